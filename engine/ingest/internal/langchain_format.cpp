#include "engine/ingest/internal/langchain_format.h"

#include <deque>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "engine/ingest/internal/chat_common.h"
#include "engine/ingest/internal/jsonl_format.h"

namespace convaudit::ingest::internal {
namespace {

using nlohmann::json;

const json* member(const json& object, std::string_view key) {
  if (!object.is_object()) {
    return nullptr;
  }
  auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

constexpr size_t kMaxHeldCalls = 4096;  // see State::pending_runs

// A queue entry naming a run by id and by the serial it had when queued: the run may have been
// forgotten since, and its id reused by a new run, which the entry must not touch.
struct RunRef {
  uint64_t serial = 0;
  std::string id;
};

constexpr std::string_view kKnownEvents[] = {
    "chain_start",       "chain_end",        "chain_error",
    "llm_start",         "llm_end",          "llm_error",
    "llm_new_token",     "chat_model_start", "chat_model_end",
    "chat_model_stream", "tool_start",       "tool_end",
    "tool_error",        "retriever_start",  "retriever_end",
    "agent_action",      "agent_finish",     "text",
    "custom_event",      "prompt_start",     "prompt_end",
    "parser_start",      "parser_end",       "retriever_error",
    "chat_model_error"};

std::string event_name(const json& record) {
  std::string name;
  if (auto value = string_field(record, {"event", "event_type", "callback"})) {
    name = *value;
  }
  if (name.rfind("on_", 0) == 0) {
    name.erase(0, 3);
  }
  return name;
}

bool known_event(std::string_view name) {
  for (std::string_view known : kKnownEvents) {
    if (known == name) {
      return true;
    }
  }
  return false;
}

struct Parsed {
  core::Role role = core::Role::kUser;
  std::string text;
  json extra = json::object();
};

// One LangChain message in any of its serialized forms.
std::optional<Parsed> parse_lc_message(const json& value, std::string& problem) {
  Parsed out;
  if (value.is_string()) {
    out.text = value.get<std::string>();
    return out;
  }
  if (value.is_array() && value.size() == 2 && value[0].is_string()) {
    auto role = chat_role(value[0].get<std::string>());
    auto text = content_text(value[1]);
    if (!role || !text) {
      problem = "message tuple is not [role, text]";
      return std::nullopt;
    }
    out.role = *role;
    out.text = std::move(*text);
    return out;
  }
  if (!value.is_object()) {
    problem = std::string("message is a JSON ") + value.type_name();
    return std::nullopt;
  }
  const json* fields = &value;
  std::string role_text;
  if (const json* id = member(value, "id");
      id != nullptr && id->is_array() && !id->empty() && member(value, "kwargs") != nullptr) {
    role_text = id->back().is_string() ? id->back().get<std::string>() : "";
    fields = &value["kwargs"];
  } else if (const json* data = member(value, "data"); data != nullptr && data->is_object()) {
    role_text = value.value("type", "");
    fields = data;
  } else {
    role_text = value.value("type", "");
  }
  if (role_text.empty() || role_text == "chat" || role_text == "ChatMessage" ||
      role_text == "generic") {
    if (auto role = string_field(*fields, {"role"})) {
      role_text = *role;
    }
  }
  if (role_text.empty()) {
    problem = "message has no type or role";
    return std::nullopt;
  }
  auto role = chat_role(role_text);
  if (!role) {
    problem = "unknown message type '" + role_text.substr(0, 64) + "'";
    return std::nullopt;
  }
  out.role = *role;
  bool has = false;
  if (const json* content = member(*fields, "content")) {
    if (auto text = content_text(*content)) {
      out.text = std::move(*text);
      has = true;
    }
  }
  const json* calls = member(*fields, "tool_calls");
  if (calls == nullptr) {
    if (const json* extra = member(*fields, "additional_kwargs")) {
      calls = member(*extra, "tool_calls");
    }
  }
  if (calls != nullptr && calls->is_array() && !calls->empty()) {
    out.extra["tool_calls"] = *calls;
    has = true;
  }
  if (auto id = string_field(*fields, {"tool_call_id"})) {
    out.extra["tool_call_id"] = *id;
  }
  if (!has) {
    problem = "message has no content";
    return std::nullopt;
  }
  return out;
}

// The object holding a serialized message's fields: its kwargs (lc form), data, or itself.
const json& message_fields(const json& message) {
  for (const char* key : {"kwargs", "data"}) {
    if (const json* inner = member(message, key); inner != nullptr && inner->is_object()) {
      return *inner;
    }
  }
  return message;
}

std::optional<std::string> session_in(const json& metadata) {
  return string_field(metadata, {"session_id", "thread_id", "conversation_id"});
}

// The model and provider LangChain (LangSmith) names in a run's metadata, into `facts`.
void facts_in(const json& metadata, json& facts) {
  if (auto model = string_field(metadata, {"ls_model_name"})) {
    facts["model"] = *model;
  }
  if (auto provider = string_field(metadata, {"ls_provider"})) {
    facts["provider"] = *provider;
  }
}

// Token usage and model of an LLM result / AIMessage into `out`.
void usage_of(const json& source, json& out) {
  const json* usage = nullptr;
  for (const char* key : {"token_usage", "usage", "usage_metadata"}) {
    if ((usage = member(source, key)) != nullptr && usage->is_object()) {
      break;
    }
    usage = nullptr;
  }
  if (usage != nullptr) {
    out["usage"] = *usage;
    auto input = integer_value(usage->value("prompt_tokens", usage->value("input_tokens", json())));
    auto output =
        integer_value(usage->value("completion_tokens", usage->value("output_tokens", json())));
    auto total = integer_value(usage->value("total_tokens", json()));
    if (input) {
      out["input_tokens"] = *input;
    }
    if (output) {
      out["output_tokens"] = *output;
    }
    if (input || output || total) {
      out["tokens"] = total.value_or(input.value_or(0) + output.value_or(0));
    }
  }
  if (auto model = string_field(source, {"model_name", "model"})) {
    out["model"] = *model;
  }
  if (auto reason = string_field(source, {"finish_reason"})) {
    out["finish_reason"] = *reason;
  }
}

}  // namespace

bool is_langchain_record(const json& record) {
  if (!record.is_object()) {
    return false;
  }
  if (member(record, "run_id") != nullptr && known_event(event_name(record))) {
    return true;
  }
  return member(record, "run_type") != nullptr &&
         (member(record, "id") != nullptr || member(record, "child_runs") != nullptr);
}

struct LangchainReader::State {
  std::string file;
  SessionSinks sinks;
  int64_t line = 0;
  std::string_view raw;

  struct Run {
    uint64_t serial = 0;  // order of arrival in `runs`; tells a reused id from the run it was
    std::string parent;
    uint64_t parent_serial = 0;  // when counted in the parent's `children`: the parent's serial
    bool counted_in_parent = false;
    size_t children = 0;     // remembered runs counted as its children (read while it was known)
    bool finished = false;   // its end or error was read (a run tree: its record was read)
    bool in_window = false;  // finished, and among the last kMaxFinishedRuns runs to finish
    std::optional<std::string> session;
    std::string name;
    std::optional<int64_t> start_ns;
    int64_t inputs = 0;
    json tool_input;
    json facts = json::object();  // model / provider named by its metadata (ls_model_name ...)
    // Inputs of a callback-event call, held until its end or error event (or finish()): a
    // failed call puts its error on the last of them.
    std::vector<core::Message> pending;
  };
  // The runs something may still refer to. A run is forgotten once it has finished, at least
  // kMaxFinishedRuns other runs have finished since (so a repeated end event, or a late child
  // looking up its session, still finds it), and none of its remembered children is left: only
  // a descendant's session lookup walks up to it, and LangChain ends a run after its children.
  // Runs that never finish (a log of starts only) are bounded by kMaxRuns.
  std::map<std::string, Run> runs;
  // Every run in order of arrival: past kMaxRuns runs remembered the oldest is forgotten, its
  // held inputs going out (a run still naming it as parent then takes its id as session).
  std::deque<RunRef> created;
  // Finished runs in the order they finished, the last kMaxFinishedRuns of them.
  std::deque<RunRef> finished_runs;
  // Runs that hold inputs, in the order they started; `held_calls` of them still hold some. At
  // most kMaxHeldCalls hold inputs: past that the oldest call's inputs go out without waiting
  // for its end (a later error of that call then has no message to mark), so a log of starts
  // without ends cannot fill memory. Calls that ended no longer count.
  std::deque<RunRef> pending_runs;
  size_t held_calls = 0;
  uint64_t next_serial = 0;
  std::optional<int64_t> last_time;

  // The run `id`, remembered from now on if it is new.
  Run& run_named(const std::string& id) {
    auto [it, inserted] = runs.try_emplace(id);
    if (inserted) {
      it->second.serial = ++next_serial;
      created.push_back(RunRef{it->second.serial, id});
    }
    return it->second;
  }

  // The run a queue entry names, if it is still the one remembered under that id.
  std::map<std::string, Run>::iterator find(const RunRef& ref) {
    auto it = runs.find(ref.id);
    return it != runs.end() && it->second.serial == ref.serial ? it : runs.end();
  }

  void set_parent(Run& run, const std::string& id, const std::string& parent) {
    if (run.parent == parent && (run.counted_in_parent || parent.empty())) {
      return;
    }
    uncount_in_parent(run);
    run.parent = parent;
    auto it = parent == id ? runs.end() : runs.find(parent);
    if (it != runs.end()) {
      ++it->second.children;
      run.parent_serial = it->second.serial;
      run.counted_in_parent = true;
    }
  }

  // The parent `run` was counted in, if it is still remembered.
  std::map<std::string, Run>::iterator counted_parent(const Run& run) {
    return run.counted_in_parent ? find(RunRef{run.parent_serial, run.parent}) : runs.end();
  }

  void uncount_in_parent(Run& run) {
    if (auto it = counted_parent(run); it != runs.end()) {
      --it->second.children;
    }
    run.counted_in_parent = false;
  }

  // Sends the inputs a call still holds.
  void release(Run& run) {
    if (!run.pending.empty()) {
      send(run.pending);
      --held_calls;
    }
  }

  void hold(Run& run, const std::string& id, std::vector<core::Message>& messages) {
    if (messages.empty()) {
      return;
    }
    if (run.pending.empty()) {
      ++held_calls;
      pending_runs.push_back(RunRef{run.serial, id});
    }
    for (core::Message& message : messages) {
      run.pending.push_back(std::move(message));
    }
  }

  void mark_finished(const std::string& id) {
    auto it = runs.find(id);
    if (it == runs.end() || it->second.in_window) {
      return;
    }
    it->second.finished = true;
    it->second.in_window = true;
    finished_runs.push_back(RunRef{it->second.serial, id});
  }

  // Forgets a run (its held inputs go out first), then each ancestor that it leaves finished,
  // out of the window and without children.
  void forget(std::map<std::string, Run>::iterator it) {
    while (it != runs.end()) {
      release(it->second);
      auto parent = counted_parent(it->second);
      runs.erase(it);
      if (parent == runs.end()) {
        return;
      }
      Run& up = parent->second;
      --up.children;
      const bool done = up.finished && !up.in_window && up.children == 0;
      it = done ? parent : runs.end();
    }
  }

  // Drops queue entries whose run is gone (or no longer holds inputs), once they are most of it.
  template <typename Keep>
  void compact(std::deque<RunRef>& queue, size_t live, Keep keep) {
    if (queue.size() <= 2 * live + 1024) {
      return;
    }
    std::deque<RunRef> kept;
    for (RunRef& ref : queue) {
      if (auto it = find(ref); it != runs.end() && keep(it->second)) {
        kept.push_back(std::move(ref));
      }
    }
    queue.swap(kept);
  }

  // After each record: the bounds above. Never while a record is read, so references to runs
  // stay valid there.
  void trim() {
    while (finished_runs.size() > kMaxFinishedRuns) {
      auto it = find(finished_runs.front());
      finished_runs.pop_front();
      if (it != runs.end()) {
        it->second.in_window = false;
        if (it->second.children == 0) {
          forget(it);
        }
      }
    }
    while (runs.size() > kMaxRuns && !created.empty()) {
      auto it = find(created.front());
      created.pop_front();
      if (it != runs.end()) {
        forget(it);
      }
    }
    while (held_calls > kMaxHeldCalls && !pending_runs.empty()) {
      auto it = find(pending_runs.front());
      pending_runs.pop_front();
      if (it != runs.end()) {
        release(it->second);
      }
    }
    compact(created, runs.size(), [](const Run&) { return true; });
    compact(pending_runs, held_calls, [](const Run& run) { return !run.pending.empty(); });
  }

  void reject(ErrorCode code, std::string reason) {
    sinks.on_reject(located_error(code, std::move(reason), file, line), raw);
  }

  std::string session_of(const std::string& run_id) const {
    std::string current = run_id;
    for (size_t steps = 0; steps <= runs.size(); ++steps) {
      auto it = runs.find(current);
      if (it == runs.end()) {
        return current;  // an ancestor outside the file: the best root we know
      }
      if (it->second.session) {
        return *it->second.session;
      }
      if (it->second.parent.empty()) {
        return current;
      }
      current = it->second.parent;
    }
    return current;
  }

  // The messages of one call: `shared` metadata, then each message's own, then the call's id
  // and (with `first_position`) each message's position in the call.
  std::vector<core::Message> build(std::vector<Parsed>& parsed, const std::string& session,
                                   const std::string& call_id,
                                   std::optional<int64_t> first_position, int64_t time_ns,
                                   const json& shared) const {
    std::vector<core::Message> out;
    for (Parsed& p : parsed) {
      core::Message message;
      message.session_id = session;
      message.role = p.role;
      message.text = std::move(p.text);
      message.timestamp_ns = time_ns;
      message.metadata = shared;
      for (auto it = p.extra.begin(); it != p.extra.end(); ++it) {
        message.metadata[it.key()] = *it;
      }
      message.metadata[std::string(kCallIdKey)] = call_id;
      if (first_position) {
        message.metadata[std::string(kCallPositionKey)] = (*first_position)++;
      }
      message.source = SourceLocation{file, line};
      out.push_back(std::move(message));
    }
    return out;
  }

  void send(std::vector<core::Message>& messages) {
    for (core::Message& message : messages) {
      sinks.on_message(std::move(message));
    }
    messages.clear();
  }

  void emit(std::vector<Parsed>& parsed, const std::string& session, const std::string& call_id,
            std::optional<int64_t> first_position, int64_t time_ns, const json& shared) {
    std::vector<core::Message> messages =
        build(parsed, session, call_id, first_position, time_ns, shared);
    send(messages);
  }

  // Input messages of a chat model / llm call: messages (list of lists) or prompts. Returned,
  // not emitted: the caller may still have to attach the call's error to the last one.
  std::vector<core::Message> read_inputs(const json* messages, const json* prompts,
                                         const std::string& run_id, const std::string& path,
                                         int64_t time_ns, const json& shared) {
    std::vector<Parsed> parsed;
    if (messages != nullptr && messages->is_array()) {
      const json* list = messages;
      if (!messages->empty() && (*messages)[0].is_array() &&
          !((*messages)[0].size() == 2 && (*messages)[0][0].is_string())) {
        list = &(*messages)[0];  // batched: the first prompt of the batch
      }
      for (size_t i = 0; i < list->size(); ++i) {
        std::string problem;
        if (auto p = parse_lc_message((*list)[i], problem)) {
          parsed.push_back(std::move(*p));
        } else {
          reject(ErrorCode::kBadField, path + ".messages[" + std::to_string(i) + "]: " + problem);
        }
      }
    } else if (prompts != nullptr && prompts->is_array()) {
      for (size_t i = 0; i < prompts->size(); ++i) {
        if ((*prompts)[i].is_string()) {
          parsed.push_back(Parsed{core::Role::kUser, (*prompts)[i].get<std::string>(), {}});
        } else {
          reject(ErrorCode::kBadField, path + ".prompts[" + std::to_string(i) + "] is not text");
        }
      }
    } else {
      reject(ErrorCode::kMissingField, path + " has no messages or prompts");
      return {};
    }
    return build(parsed, session_of(run_id), run_id, int64_t{0}, time_ns, shared);
  }

  // Outputs of an llm / chat model run: LLMResult generations, or one message. Returned, not
  // emitted: the caller may still have to attach the run's error to the last one.
  std::vector<core::Message> read_outputs(const json& result, const std::string& run_id,
                                          const std::string& path, int64_t time_ns, json shared) {
    std::vector<Parsed> parsed;
    json output_meta = json::object();
    if (const json* llm_output = member(result, "llm_output")) {
      usage_of(*llm_output, output_meta);
    }
    if (const json* generations = member(result, "generations")) {
      const json* list = generations;
      if (generations->is_array() && !generations->empty() && (*generations)[0].is_array()) {
        list = &(*generations)[0];
      }
      if (!list->is_array()) {
        reject(ErrorCode::kBadField, path + ".generations is not an array");
        return {};
      }
      for (size_t i = 0; i < list->size(); ++i) {
        const json& generation = (*list)[i];
        std::string problem;
        std::optional<Parsed> p;
        if (const json* message = member(generation, "message")) {
          p = parse_lc_message(*message, problem);
          const json& fields = message_fields(*message);
          if (const json* meta = member(fields, "response_metadata")) {
            usage_of(*meta, output_meta);
          }
          if (const json* usage = member(fields, "usage_metadata")) {
            usage_of(json{{"usage", *usage}}, output_meta);
          }
        } else if (const json* text = member(generation, "text"); text && text->is_string()) {
          p = Parsed{core::Role::kAssistant, text->get<std::string>(), {}};
        } else {
          problem = "generation has no text or message";
        }
        if (!p) {
          reject(ErrorCode::kBadField,
                 path + ".generations[" + std::to_string(i) + "]: " + problem);
          continue;
        }
        if (const json* info = member(generation, "generation_info")) {
          usage_of(*info, output_meta);
        }
        parsed.push_back(std::move(*p));
      }
    } else {
      std::string problem;
      auto p = parse_lc_message(result, problem);
      if (!p) {
        reject(ErrorCode::kBadField, path + ": " + problem);
        return {};
      }
      const json& fields = message_fields(result);
      if (const json* meta = member(fields, "response_metadata")) {
        usage_of(*meta, output_meta);
      }
      if (const json* usage = member(fields, "usage_metadata")) {
        usage_of(json{{"usage", *usage}}, output_meta);
      }
      p->role = p->role == core::Role::kUser ? core::Role::kAssistant : p->role;
      parsed.push_back(std::move(*p));
    }
    for (auto it = output_meta.begin(); it != output_meta.end(); ++it) {
      shared[it.key()] = *it;
    }
    auto run = runs.find(run_id);
    if (run != runs.end() && run->second.start_ns && time_ns >= *run->second.start_ns) {
      shared["latency_ms"] = (time_ns - *run->second.start_ns) / 1'000'000;
    }
    const int64_t first = run != runs.end() ? run->second.inputs : 0;
    return build(parsed, session_of(run_id), run_id, first, time_ns, shared);
  }

  void read_tool_output(const json& output, const std::string& run_id, int64_t time_ns,
                        json shared) {
    Parsed p;
    p.role = core::Role::kTool;
    std::string problem;
    if (output.is_object() &&
        (member(output, "content") != nullptr || member(output, "kwargs") != nullptr)) {
      if (auto parsed = parse_lc_message(output, problem)) {
        p.text = std::move(parsed->text);
        p.extra = std::move(parsed->extra);
      }
    }
    if (problem.empty() && p.text.empty()) {
      p.text = output.is_string() ? output.get<std::string>() : output.dump();
    }
    auto run = runs.find(run_id);
    if (run != runs.end()) {
      if (!run->second.name.empty()) {
        shared["tool_name"] = run->second.name;
      }
      if (!run->second.tool_input.is_null()) {
        shared["tool_input"] = run->second.tool_input;
      }
    }
    std::vector<Parsed> parsed;
    parsed.push_back(std::move(p));
    // No position: a tool result repeated in a later model call is the same message wherever
    // it appears there.
    emit(parsed, session_of(run_id), run_id, std::nullopt, time_ns, shared);
  }

  std::optional<int64_t> time_of(const json& record, const std::string& path) {
    for (const char* key : {"timestamp", "time", "ts", "created_at", "start_time", "end_time"}) {
      if (const json* value = member(record, key)) {
        auto ns = parse_timestamp_value(*value);
        if (!ns) {
          reject(ErrorCode::kBadTimestamp, path + "." + key + ": " + ns.error().message);
          return std::nullopt;
        }
        last_time = *ns;
        return *ns;
      }
    }
    if (!last_time) {
      reject(ErrorCode::kMissingField, path + " has no timestamp (timestamp, time, ts)");
    }
    return last_time;
  }

  void read_event(const json& record) {
    const std::string name = event_name(record);
    auto run_id = string_field(record, {"run_id"});
    if (!run_id) {
      reject(ErrorCode::kMissingField, "event has no run_id");
      return;
    }
    read_run_event(record, name, *run_id);
    const bool ends = (name.size() > 4 && name.compare(name.size() - 4, 4, "_end") == 0) ||
                      (name.size() > 6 && name.compare(name.size() - 6, 6, "_error") == 0);
    if (ends) {
      mark_finished(*run_id);
    }
  }

  void read_run_event(const json& record, const std::string& name, const std::string& run_id) {
    Run& run = run_named(run_id);
    if (auto parent = string_field(record, {"parent_run_id"})) {
      set_parent(run, run_id, *parent);
    } else if (const json* ids = member(record, "parent_ids");
               ids != nullptr && ids->is_array() && !ids->empty() && ids->back().is_string()) {
      set_parent(run, run_id, ids->back().get<std::string>());
    }
    if (const json* metadata = member(record, "metadata")) {
      if (auto session = session_in(*metadata)) {
        run.session = *session;
      }
    }
    if (auto run_name = string_field(record, {"name"})) {
      run.name = *run_name;
    } else if (const json* serialized = member(record, "serialized")) {
      if (auto serialized_name = string_field(*serialized, {"name"})) {
        run.name = *serialized_name;
      }
    }
    const json* data = member(record, "data");
    const json& envelope = data != nullptr && data->is_object() ? *data : record;
    const bool is_start = name.size() > 6 && name.compare(name.size() - 6, 6, "_start") == 0;
    const bool is_llm_start = name == "llm_start" || name == "chat_model_start";
    const bool is_llm_end = name == "llm_end" || name == "chat_model_end";
    // A failed tool call is its result: a tool message with the error as text and as `error`.
    const bool is_tool_error = name == "tool_error";
    const bool is_tool_end = name == "tool_end" || is_tool_error;
    if (is_llm_end) {
      release(run);  // the call's inputs go out before its answers, even if the end is bad
    }
    if (name == "llm_error" || name == "chat_model_error") {
      // A failed call has no answer: the last message of the call carries the error, and the
      // time from the call's start to the error, as an answer carries its latency.
      const json* error = member(record, "error");
      if (error == nullptr) {
        error = member(envelope, "error");
      }
      if (run.pending.empty()) {
        reject(ErrorCode::kMissingField,
               "event " + name + ": failed call has no input message to attach its error to");
        return;
      }
      core::Message& last = run.pending.back();
      last.metadata["error"] = error != nullptr ? *error : json(name);
      // A bad time is a reject of its own; the error is still marked.
      if (auto time_ns = time_of(record, "event");
          time_ns && run.start_ns && *time_ns >= *run.start_ns) {
        last.metadata["latency_ms"] = (*time_ns - *run.start_ns) / 1'000'000;
      }
      release(run);
      return;
    }
    if (!is_start && !is_llm_end && !is_tool_end) {
      return;  // chain ends, errors, streaming tokens: run-tree context only
    }
    auto time_ns = time_of(record, "event");
    if (!time_ns) {
      return;
    }
    if (is_start) {
      run.start_ns = *time_ns;
      if (!is_llm_start && name != "tool_start") {
        return;  // chain, retriever, prompt starts: run-tree context only
      }
    }
    json shared = json::object();
    if (!run.name.empty() && !is_tool_end) {
      shared["run_name"] = run.name;
    }
    if (const json* metadata = member(record, "metadata")) {
      facts_in(*metadata, run.facts);
    }
    merge_missing(shared, run.facts);
    if (name == "tool_start") {
      if (const json* input = member(record, "input_str")) {
        run.tool_input = *input;
      } else if (const json* inputs = member(envelope, "input")) {
        run.tool_input = *inputs;
      } else if (const json* inputs2 = member(record, "inputs")) {
        run.tool_input = *inputs2;
      }
      return;
    }
    if (is_llm_start) {
      const json* input = member(envelope, "input");
      const json& source = input != nullptr && input->is_object() ? *input : envelope;
      const json* inputs = member(record, "inputs");
      const json& source2 = inputs != nullptr && inputs->is_object() ? *inputs : source;
      const json* messages = member(source2, "messages");
      const json* prompts = member(source2, "prompts");
      if (messages == nullptr && prompts == nullptr) {
        messages = member(source, "messages");
        prompts = member(source, "prompts");
      }
      std::vector<core::Message> messages_in =
          read_inputs(messages, prompts, run_id, "event", *time_ns, shared);
      run.inputs = static_cast<int64_t>(messages_in.size());
      hold(run, run_id, messages_in);
      return;
    }
    if (is_llm_end) {
      const json* result = member(record, "response");
      if (result == nullptr) {
        result = member(envelope, "output");
      }
      if (result == nullptr) {
        result = member(record, "outputs");
      }
      if (result == nullptr) {
        reject(ErrorCode::kMissingField, "event " + name + " has no response or output");
        return;
      }
      std::vector<core::Message> answers =
          read_outputs(*result, run_id, "event.response", *time_ns, shared);
      send(answers);
      return;
    }
    const char* result_key = is_tool_error ? "error" : "output";
    const json* output = member(record, result_key);
    if (output == nullptr) {
      output = member(envelope, result_key);
    }
    if (output == nullptr && !is_tool_error) {
      output = member(record, "outputs");
    }
    if (output == nullptr) {
      reject(ErrorCode::kMissingField, "event " + name + " has no " + result_key);
      return;
    }
    if (is_tool_error) {
      shared["error"] = *output;
    }
    read_tool_output(*output, run_id, *time_ns, shared);
  }

  void read_run(const json& run_json, const std::string& parent, const std::string& path,
                int depth) {
    if (!run_json.is_object()) {
      reject(ErrorCode::kBadField, path + " is not a run object");
      return;
    }
    if (depth > 64) {
      reject(ErrorCode::kBadField, path + ": run tree deeper than 64 levels");
      return;
    }
    auto id = string_field(run_json, {"id", "run_id"});
    if (!id) {
      reject(ErrorCode::kMissingField, path + " has no id");
      return;
    }
    read_run_fields(run_json, *id, parent, path, depth);
    // A run tree is the whole record of its runs (even one rejected in part): nothing more
    // comes for them but, in flat exports, later runs naming them as parent.
    mark_finished(*id);
  }

  void read_run_fields(const json& run_json, const std::string& run_id, const std::string& parent,
                       const std::string& path, int depth) {
    Run& run = run_named(run_id);
    std::string parent_id = parent;
    if (parent_id.empty()) {
      parent_id = string_field(run_json, {"parent_run_id"}).value_or("");
    }
    set_parent(run, run_id, parent_id);
    for (const json* metadata :
         {member(run_json, "metadata"),
          member(run_json, "extra") != nullptr ? member(run_json["extra"], "metadata") : nullptr}) {
      if (metadata != nullptr) {
        if (auto session = session_in(*metadata)) {
          run.session = *session;
        }
        facts_in(*metadata, run.facts);
      }
    }
    run.name = run_json.value("name", json("")).is_string() ? run_json.value("name", "") : "";
    std::optional<int64_t> start;
    std::optional<int64_t> end;
    if (const json* value = member(run_json, "start_time")) {
      auto ns = parse_timestamp_value(*value);
      if (!ns) {
        reject(ErrorCode::kBadTimestamp, path + ".start_time: " + ns.error().message);
        return;
      }
      start = *ns;
    }
    if (const json* value = member(run_json, "end_time")) {
      auto ns = parse_timestamp_value(*value);
      if (!ns) {
        reject(ErrorCode::kBadTimestamp, path + ".end_time: " + ns.error().message);
        return;
      }
      end = *ns;
    }
    if (!start) {
      start = end;
    }
    if (!start) {
      reject(ErrorCode::kMissingField, path + " has no start_time");
      return;
    }
    run.start_ns = *start;
    const std::string run_type =
        run_json.value("run_type", json("")).is_string() ? run_json.value("run_type", "") : "";
    json shared = json::object();
    if (!run.name.empty() && run_type != "tool") {
      shared["run_name"] = run.name;
    }
    // As for callback events: the answer's own model (response metadata) wins over these.
    merge_missing(shared, run.facts);
    const json* inputs = member(run_json, "inputs");
    const json* outputs = member(run_json, "outputs");
    if (run_type == "llm" || run_type == "chat_model") {
      std::vector<core::Message> messages_in;
      if (inputs != nullptr) {
        messages_in = read_inputs(member(*inputs, "messages"), member(*inputs, "prompts"), run_id,
                                  path + ".inputs", *start, shared);
        run.inputs = static_cast<int64_t>(messages_in.size());
      }
      std::vector<core::Message> answers;
      if (outputs != nullptr) {
        answers = read_outputs(*outputs, run_id, path + ".outputs", end.value_or(*start), shared);
      }
      if (const json* error = member(run_json, "error")) {
        // The error belongs to the call, once: on its last message, the last answer when there
        // is one, else (a failed call) the last input message, which then also carries the
        // time to the error as latency.
        if (!answers.empty()) {
          answers.back().metadata["error"] = *error;
        } else if (!messages_in.empty()) {
          messages_in.back().metadata["error"] = *error;
          if (end && *end >= *start) {
            messages_in.back().metadata["latency_ms"] = (*end - *start) / 1'000'000;
          }
        } else {
          reject(ErrorCode::kMissingField,
                 path + ": failed llm run has no input message to attach its error to: " +
                     error->dump().substr(0, 120));
        }
      }
      send(messages_in);
      send(answers);
    } else if (run_type == "tool") {
      if (inputs != nullptr) {
        run.tool_input = member(*inputs, "input") != nullptr ? (*inputs)["input"] : *inputs;
      }
      if (outputs != nullptr) {
        const json* output = member(*outputs, "output");
        read_tool_output(output != nullptr ? *output : *outputs, run_id, end.value_or(*start),
                         shared);
      } else if (const json* error = member(run_json, "error")) {
        shared["error"] = *error;  // a failed tool call: its error is its result
        read_tool_output(*error, run_id, end.value_or(*start), shared);
      }
    }
    if (const json* children = member(run_json, "child_runs"); children && children->is_array()) {
      for (size_t i = 0; i < children->size(); ++i) {
        read_run((*children)[i], run_id, path + ".child_runs[" + std::to_string(i) + "]",
                 depth + 1);
      }
    }
  }
};

LangchainReader::LangchainReader(std::string file, SessionSinks sinks)
    : state_(std::make_unique<State>()) {
  state_->file = std::move(file);
  state_->sinks = std::move(sinks);
}

LangchainReader::~LangchainReader() = default;

void LangchainReader::finish() {
  for (const RunRef& ref : state_->pending_runs) {
    if (auto it = state_->find(ref); it != state_->runs.end()) {
      state_->release(it->second);
    }
  }
  state_->pending_runs.clear();
}

size_t LangchainReader::remembered_runs() const {
  return state_->runs.size();
}

void LangchainReader::read(const json& record, std::string_view raw_text, int64_t line) {
  state_->line = line;
  state_->raw = raw_text;
  if (!is_langchain_record(record)) {
    state_->reject(ErrorCode::kUnknownShape,
                   "not a LangChain callback event (event + run_id) or run tree (run_type + id)");
    return;
  }
  if (member(record, "run_type") != nullptr && member(record, "event") == nullptr) {
    state_->read_run(record, "", "run", 0);
  } else {
    state_->read_event(record);
  }
  state_->trim();
}

}  // namespace convaudit::ingest::internal
