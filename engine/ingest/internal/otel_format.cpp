#include "engine/ingest/internal/otel_format.h"

#include <algorithm>
#include <set>
#include <utility>

#include "engine/ingest/internal/chat_common.h"
#include "engine/ingest/internal/json_parse.h"

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

const json& array_member(const json& object, std::string_view key) {
  static const json kEmpty = json::array();
  const json* value = member(object, key);
  return value != nullptr && value->is_array() ? *value : kEmpty;
}

std::string text_member(const json& object, std::string_view key) {
  const json* value = member(object, key);
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

// One message found on a span or log record, before its session id is known.
struct Draft {
  core::Role role = core::Role::kUser;
  std::string text;
  json extra = json::object();  // tool_calls, tool_call_id, finish_reason
  std::optional<int64_t> time_ns;
  bool output = false;
};

struct ParseProblem {
  ErrorCode code;
  std::string reason;
};

// Attribute values that hold messages may be JSON text (spans) or structured (log records).
std::optional<json> structured(const json& value, const std::string& path,
                               std::vector<ParseProblem>& problems) {
  if (!value.is_string()) {
    return value;
  }
  try {
    return parse_json(value.get_ref<const std::string&>());
  } catch (const json::exception& e) {
    problems.push_back({ErrorCode::kMalformedJson, path + ": not JSON: " + e.what()});
    return std::nullopt;
  }
}

std::string as_text(const json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

// A message of the current convention: {"role", "parts": [...], "finish_reason"?}, or the older
// {"role", "content"} shape.
std::optional<Draft> draft_from_parts_message(const json& message, bool output,
                                              const std::string& path,
                                              std::vector<ParseProblem>& problems) {
  if (!message.is_object()) {
    problems.push_back({ErrorCode::kBadField, path + " is not an object"});
    return std::nullopt;
  }
  Draft draft;
  draft.output = output;
  std::string role_text = text_member(message, "role");
  if (role_text.empty()) {
    role_text = output ? "assistant" : "user";
  }
  auto role = chat_role(role_text);
  if (!role) {
    problems.push_back({ErrorCode::kBadField, path + ": unknown role '" + role_text + "'"});
    return std::nullopt;
  }
  draft.role = *role;
  bool has_content = false;
  if (const json* parts = member(message, "parts"); parts != nullptr && parts->is_array()) {
    std::string text;
    json tool_calls = json::array();
    for (const json& part : *parts) {
      const std::string type = text_member(part, "type");
      std::optional<std::string> piece;
      if (type == "text" || type.empty()) {
        if (const json* content = member(part, "content")) {
          piece = as_text(*content);
        } else if (const json* t = member(part, "text")) {
          piece = as_text(*t);
        }
      } else if (type == "tool_call") {
        json call = json::object();
        for (const char* key : {"id", "name", "arguments"}) {
          if (const json* v = member(part, key)) {
            call[key] = *v;
          }
        }
        tool_calls.push_back(std::move(call));
        has_content = true;
      } else if (type == "tool_call_response") {
        if (const json* response = member(part, "response")) {
          piece = as_text(*response);
        } else if (const json* result = member(part, "result")) {
          piece = as_text(*result);
        }
        if (auto id = string_field(part, {"id"})) {
          draft.extra["tool_call_id"] = *id;
        }
      }
      if (piece) {
        if (!text.empty()) {
          text += '\n';
        }
        text += *piece;
        has_content = true;
      }
    }
    draft.text = std::move(text);
    if (!tool_calls.empty()) {
      draft.extra["tool_calls"] = std::move(tool_calls);
    }
  } else if (const json* content = member(message, "content")) {
    if (auto text = content_text(*content)) {
      draft.text = std::move(*text);
      has_content = true;
    }
    if (const json* calls = member(message, "tool_calls")) {
      draft.extra["tool_calls"] = *calls;
      has_content = true;
    }
  } else if (const json* calls = member(message, "tool_calls")) {
    draft.extra["tool_calls"] = *calls;
    has_content = true;
  }
  if (!has_content) {
    problems.push_back({ErrorCode::kMissingField, path + " has no text (parts or content)"});
    return std::nullopt;
  }
  if (auto reason = string_field(message, {"finish_reason"})) {
    draft.extra["finish_reason"] = *reason;
  }
  return draft;
}

void drafts_from_message_list(const json& value, bool output, const std::string& path,
                              std::vector<Draft>& drafts, std::vector<ParseProblem>& problems) {
  auto parsed = structured(value, path, problems);
  if (!parsed) {
    return;
  }
  if (!parsed->is_array()) {
    problems.push_back({ErrorCode::kBadField, path + " is not an array of messages"});
    return;
  }
  for (size_t i = 0; i < parsed->size(); ++i) {
    auto draft = draft_from_parts_message((*parsed)[i], output,
                                          path + "[" + std::to_string(i) + "]", problems);
    if (draft) {
      drafts.push_back(std::move(*draft));
    }
  }
}

// Convention 1: gen_ai.system_instructions, gen_ai.input.messages, gen_ai.output.messages.
bool current_convention(const json& attrs, const std::string& path, std::vector<Draft>& drafts,
                        std::vector<ParseProblem>& problems) {
  const json* system = member(attrs, "gen_ai.system_instructions");
  const json* input = member(attrs, "gen_ai.input.messages");
  const json* output = member(attrs, "gen_ai.output.messages");
  if (system == nullptr && input == nullptr && output == nullptr) {
    return false;
  }
  if (system != nullptr) {
    const std::string where = path + ".attributes[gen_ai.system_instructions]";
    if (auto parsed = structured(*system, where, problems)) {
      json parts = parsed->is_array() ? *parsed : json::array({*parsed});
      auto draft = draft_from_parts_message(json{{"role", "system"}, {"parts", parts}}, false,
                                            where, problems);
      if (draft) {
        drafts.push_back(std::move(*draft));
      }
    }
  }
  if (input != nullptr) {
    drafts_from_message_list(*input, false, path + ".attributes[gen_ai.input.messages]", drafts,
                             problems);
  }
  if (output != nullptr) {
    drafts_from_message_list(*output, true, path + ".attributes[gen_ai.output.messages]", drafts,
                             problems);
  }
  return true;
}

std::optional<core::Role> event_role(std::string_view name) {
  if (name == "gen_ai.system.message") {
    return core::Role::kSystem;
  }
  if (name == "gen_ai.user.message") {
    return core::Role::kUser;
  }
  if (name == "gen_ai.assistant.message" || name == "gen_ai.choice") {
    return core::Role::kAssistant;
  }
  if (name == "gen_ai.tool.message") {
    return core::Role::kTool;
  }
  return std::nullopt;
}

// A per-message event's body (gen_ai.user.message ... gen_ai.choice) into one Draft.
std::optional<Draft> draft_from_event_body(std::string_view name, const json& body,
                                           std::optional<int64_t> time_ns, const std::string& path,
                                           std::vector<ParseProblem>& problems) {
  Draft draft;
  draft.role = *event_role(name);
  draft.output = name == "gen_ai.choice";
  draft.time_ns = time_ns;
  if (body.is_string()) {
    draft.text = body.get<std::string>();
    return draft;
  }
  const json* message = &body;
  if (draft.output) {
    if (const json* inner = member(body, "message"); inner != nullptr && inner->is_object()) {
      message = inner;
    }
    if (auto reason = string_field(body, {"finish_reason"})) {
      draft.extra["finish_reason"] = *reason;
    }
  }
  if (auto role_text = string_field(*message, {"role"})) {
    if (auto role = chat_role(*role_text)) {
      draft.role = *role;
    }
  }
  bool has_content = false;
  if (const json* content = member(*message, "content")) {
    auto parsed = content->is_string() ? std::optional<json>(*content)
                                       : structured(*content, path + ".content", problems);
    if (parsed) {
      if (auto text = content_text(*parsed)) {
        draft.text = std::move(*text);
        has_content = true;
      }
    }
  }
  if (const json* calls = member(*message, "tool_calls")) {
    auto parsed = structured(*calls, path + ".tool_calls", problems);
    if (parsed) {
      draft.extra["tool_calls"] = *parsed;
      has_content = true;
    }
  }
  if (auto id = string_field(*message, {"id", "tool_call_id"})) {
    if (draft.role == core::Role::kTool) {
      draft.extra["tool_call_id"] = *id;
    }
  }
  if (!has_content) {
    problems.push_back(
        {ErrorCode::kMissingField, path + " (" + std::string(name) + ") has no content"});
    return std::nullopt;
  }
  return draft;
}

// Oldest events: gen_ai.content.prompt / gen_ai.content.completion with the whole prompt or
// completion in one attribute, as JSON messages or plain text.
void drafts_from_prompt_attribute(const json& value, bool output, std::optional<int64_t> time_ns,
                                  const std::string& path, std::vector<Draft>& drafts,
                                  std::vector<ParseProblem>& problems) {
  std::optional<json> parsed;
  if (value.is_string()) {
    try {
      parsed = parse_json(value.get_ref<const std::string&>());
    } catch (const json::exception&) {
      parsed.reset();
    }
  } else {
    parsed = value;
  }
  if (parsed && parsed->is_array()) {
    size_t before = drafts.size();
    drafts_from_message_list(*parsed, output, path, drafts, problems);
    for (size_t i = before; i < drafts.size(); ++i) {
      drafts[i].time_ns = time_ns;
    }
    return;
  }
  if (!value.is_string()) {
    problems.push_back({ErrorCode::kBadField, path + " is neither text nor a message list"});
    return;
  }
  Draft draft;
  draft.role = output ? core::Role::kAssistant : core::Role::kUser;
  draft.output = output;
  draft.text = value.get<std::string>();
  draft.time_ns = time_ns;
  drafts.push_back(std::move(draft));
}

std::optional<int64_t> event_time(const json& event) {
  if (const json* t = member(event, "timeUnixNano")) {
    if (auto ns = parse_unix_nanos(*t); ns && *ns > 0) {
      return *ns;
    }
  }
  return std::nullopt;
}

// Convention 2: span events.
bool event_convention(const json& span, const std::string& path, std::vector<Draft>& drafts,
                      std::vector<ParseProblem>& problems) {
  bool found = false;
  const json& events = array_member(span, "events");
  for (size_t i = 0; i < events.size(); ++i) {
    const json& event = events[i];
    const std::string name = text_member(event, "name");
    const std::string where = path + ".events[" + std::to_string(i) + "]";
    const json attrs = otel_attributes(array_member(event, "attributes"));
    const auto time_ns = event_time(event);
    if (event_role(name)) {
      found = true;
      json body = attrs;
      if (const json* content = member(attrs, "gen_ai.event.content")) {
        auto parsed = structured(*content, where + ".attributes[gen_ai.event.content]", problems);
        if (!parsed) {
          continue;
        }
        body = std::move(*parsed);
      } else if (const json* message = member(attrs, "message");
                 message != nullptr && message->is_string() && name == "gen_ai.choice") {
        auto parsed = structured(*message, where + ".attributes[message]", problems);
        if (!parsed) {
          continue;
        }
        body["message"] = std::move(*parsed);
      }
      auto draft = draft_from_event_body(name, body, time_ns, where, problems);
      if (draft) {
        drafts.push_back(std::move(*draft));
      }
    } else if (name == "gen_ai.content.prompt" || name == "gen_ai.prompt") {
      found = true;
      if (const json* prompt = member(attrs, "gen_ai.prompt")) {
        drafts_from_prompt_attribute(*prompt, false, time_ns, where + ".attributes[gen_ai.prompt]",
                                     drafts, problems);
      } else {
        problems.push_back({ErrorCode::kMissingField, where + " has no gen_ai.prompt attribute"});
      }
    } else if (name == "gen_ai.content.completion" || name == "gen_ai.completion") {
      found = true;
      if (const json* completion = member(attrs, "gen_ai.completion")) {
        drafts_from_prompt_attribute(*completion, true, time_ns,
                                     where + ".attributes[gen_ai.completion]", drafts, problems);
      } else {
        problems.push_back(
            {ErrorCode::kMissingField, where + " has no gen_ai.completion attribute"});
      }
    }
  }
  return found;
}

// Indices N of attributes named prefix + N + "." + ...
std::set<int64_t> indices_of(const json& attrs, std::string_view prefix) {
  std::set<int64_t> out;
  for (auto it = attrs.begin(); it != attrs.end(); ++it) {
    std::string_view key = it.key();
    if (key.size() <= prefix.size() || key.substr(0, prefix.size()) != prefix) {
      continue;
    }
    std::string_view rest = key.substr(prefix.size());
    size_t dot = rest.find('.');
    if (dot == 0 || dot == std::string_view::npos) {
      continue;
    }
    if (auto n = integer_value(json(std::string(rest.substr(0, dot)))); n && *n >= 0) {
      out.insert(*n);
    }
  }
  return out;
}

// Conventions 3 and 4: gen_ai.prompt.N.role / content, llm.input_messages.N.message.role ...
bool indexed_convention(const json& attrs, std::string_view input_prefix,
                        std::string_view output_prefix, std::string_view field_infix,
                        const std::string& path, std::vector<Draft>& drafts,
                        std::vector<ParseProblem>& problems) {
  bool found = false;
  for (bool output : {false, true}) {
    const std::string prefix(output ? output_prefix : input_prefix);
    for (int64_t n : indices_of(attrs, prefix)) {
      const std::string base = prefix + std::to_string(n) + "." + std::string(field_infix);
      found = true;
      Draft draft;
      draft.output = output;
      std::string role_text = text_member(attrs, base + "role");
      if (role_text.empty()) {
        role_text = output ? "assistant" : "user";
      }
      auto role = chat_role(role_text);
      if (!role) {
        problems.push_back({ErrorCode::kBadField, path + ".attributes[" + base +
                                                      "role]: unknown role '" + role_text + "'"});
        continue;
      }
      draft.role = *role;
      bool has_text = false;
      if (const json* content = member(attrs, base + "content")) {
        draft.text = as_text(*content);
        has_text = true;
      } else {
        // OpenInference multi-part contents: ...message.contents.M.message_content.text
        const std::string parts_prefix = base + "contents.";
        for (int64_t m : indices_of(attrs, parts_prefix)) {
          const json* t = member(attrs, parts_prefix + std::to_string(m) + ".message_content.text");
          if (t != nullptr) {
            if (has_text) {
              draft.text += '\n';
            }
            draft.text += as_text(*t);
            has_text = true;
          }
        }
      }
      if (auto reason = string_field(attrs, {base + "finish_reason"})) {
        draft.extra["finish_reason"] = *reason;
      }
      json calls = json::array();
      const std::string calls_prefix = base + "tool_calls.";
      for (int64_t k : indices_of(attrs, calls_prefix)) {
        json call = json::object();
        const std::string call_base = calls_prefix + std::to_string(k) + ".";
        for (auto it = attrs.begin(); it != attrs.end(); ++it) {
          if (it.key().rfind(call_base, 0) == 0) {
            call[it.key().substr(call_base.size())] = *it;
          }
        }
        calls.push_back(std::move(call));
      }
      if (!calls.empty()) {
        draft.extra["tool_calls"] = std::move(calls);
        has_text = true;
      }
      if (!has_text) {
        problems.push_back(
            {ErrorCode::kMissingField, path + ".attributes[" + base + "content] is missing"});
        continue;
      }
      drafts.push_back(std::move(draft));
    }
  }
  return found;
}

std::optional<std::string> first_string(const json& attrs,
                                        std::initializer_list<std::string_view> keys) {
  return string_field(attrs, keys);
}

std::optional<int64_t> first_integer(const json& attrs,
                                     std::initializer_list<std::string_view> keys) {
  for (std::string_view key : keys) {
    if (const json* value = member(attrs, key)) {
      if (auto n = integer_value(*value)) {
        return n;
      }
    }
  }
  return std::nullopt;
}

std::optional<std::string> session_attribute(const json& attrs) {
  return first_string(attrs, {"gen_ai.conversation.id", "session.id"});
}

// Model, provider and usage of a span or log record.
struct CallFacts {
  json shared = json::object();  // on every message
  json output = json::object();  // on output messages only
};

CallFacts call_facts(const json& attrs, const json& resource_attrs) {
  CallFacts facts;
  if (auto model = first_string(
          attrs, {"gen_ai.response.model", "gen_ai.request.model", "llm.model_name"})) {
    facts.shared["model"] = *model;
  }
  if (auto provider = first_string(
          attrs, {"gen_ai.provider.name", "gen_ai.system", "llm.provider", "llm.system"})) {
    facts.shared["provider"] = *provider;
  }
  if (auto operation = first_string(attrs, {"gen_ai.operation.name"})) {
    facts.shared["operation"] = *operation;
  }
  if (auto service = first_string(resource_attrs, {"service.name"})) {
    facts.shared["service_name"] = *service;
  }
  auto input = first_integer(
      attrs, {"gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.token_count.prompt"});
  auto output =
      first_integer(attrs, {"gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens",
                            "llm.token_count.completion"});
  auto total = first_integer(attrs, {"llm.token_count.total", "gen_ai.usage.total_tokens"});
  if (input) {
    facts.output["input_tokens"] = *input;
  }
  if (output) {
    facts.output["output_tokens"] = *output;
  }
  if (input || output || total) {
    facts.output["tokens"] = total.value_or(input.value_or(0) + output.value_or(0));
  }
  if (auto id = first_string(attrs, {"gen_ai.response.id"})) {
    facts.output["response_id"] = *id;
  }
  if (const json* reasons = member(attrs, "gen_ai.response.finish_reasons")) {
    if (reasons->is_array() && !reasons->empty() && (*reasons)[0].is_string()) {
      facts.output["finish_reason"] = (*reasons)[0];
    }
  }
  return facts;
}

}  // namespace

json otel_any_value(const json& value) {
  if (!value.is_object()) {
    return value;
  }
  if (const json* v = member(value, "stringValue")) {
    return *v;
  }
  if (const json* v = member(value, "intValue")) {
    if (auto n = integer_value(*v)) {
      return *n;
    }
    return *v;
  }
  if (const json* v = member(value, "doubleValue")) {
    if (v->is_string()) {
      try {
        return std::stod(v->get<std::string>());
      } catch (const std::exception&) {
        return *v;
      }
    }
    return *v;
  }
  if (const json* v = member(value, "boolValue")) {
    return *v;
  }
  if (const json* v = member(value, "bytesValue")) {
    return *v;
  }
  if (const json* v = member(value, "arrayValue")) {
    json out = json::array();
    for (const json& element : array_member(*v, "values")) {
      out.push_back(otel_any_value(element));
    }
    return out;
  }
  if (const json* v = member(value, "kvlistValue")) {
    return otel_attributes(array_member(*v, "values"));
  }
  return nullptr;
}

json otel_attributes(const json& attributes) {
  json out = json::object();
  if (!attributes.is_array()) {
    return out;
  }
  for (const json& attribute : attributes) {
    if (!attribute.is_object()) {
      continue;
    }
    auto key = attribute.find("key");
    if (key == attribute.end() || !key->is_string()) {
      continue;
    }
    auto value = attribute.find("value");
    out[key->get<std::string>()] = value == attribute.end() ? json() : otel_any_value(*value);
  }
  return out;
}

bool is_otel_record(const json& record) {
  if (!record.is_object()) {
    return false;
  }
  const json* spans = member(record, "resourceSpans");
  const json* logs = member(record, "resourceLogs");
  return (spans != nullptr && spans->is_array()) || (logs != nullptr && logs->is_array());
}

struct OtelReader::State {
  std::string file;
  SessionSinks sinks;

  struct SpanInfo {
    std::string parent_key;  // empty for a root span
    std::optional<std::string> session;
  };
  std::map<std::string, SpanInfo> spans;  // trace id + "/" + span id

  struct Pending {
    std::vector<core::Message> messages;
    std::string trace_id;
  };
  std::map<std::string, std::vector<Pending>> waiting;  // by the span key they wait for
  std::map<std::string, int64_t> log_positions;         // next position per call id

  std::string raw_excerpt;
  int64_t line = 0;

  void reject(ErrorCode code, std::string reason, std::string_view raw) {
    sinks.on_reject(located_error(code, std::move(reason), file, line), raw);
  }

  struct Resolution {
    bool resolved = false;
    std::optional<std::string> session;
    std::string waiting_for;
  };

  Resolution resolve(const std::string& key) const {
    Resolution out;
    std::string current = key;
    for (size_t steps = 0; steps <= spans.size(); ++steps) {
      auto it = spans.find(current);
      if (it == spans.end()) {
        out.waiting_for = current;
        return out;
      }
      if (it->second.session) {
        out.resolved = true;
        out.session = it->second.session;
        return out;
      }
      if (it->second.parent_key.empty()) {
        break;
      }
      current = it->second.parent_key;
    }
    out.resolved = true;  // root reached (or a parent cycle): no session attribute
    return out;
  }

  void emit(Pending pending, const std::optional<std::string>& session) {
    for (core::Message& message : pending.messages) {
      message.session_id = session.value_or(pending.trace_id);
      sinks.on_message(std::move(message));
    }
  }

  void settle(Pending pending, const std::string& key) {
    Resolution r = resolve(key);
    if (r.resolved) {
      emit(std::move(pending), r.session);
    } else {
      waiting[r.waiting_for].push_back(std::move(pending));
    }
  }

  void wake(const std::string& key) {
    auto it = waiting.find(key);
    if (it == waiting.end()) {
      return;
    }
    std::vector<Pending> woken = std::move(it->second);
    waiting.erase(it);
    for (Pending& pending : woken) {
      settle(std::move(pending), key);
    }
  }

  // Drafts into Messages (session id still empty), positions and metadata filled in.
  std::vector<core::Message> messages_of(std::vector<Draft>& drafts, const CallFacts& facts,
                                         const std::string& trace_id, const std::string& span_id,
                                         const std::string& call_id, int64_t first_position,
                                         int64_t start_ns, int64_t end_ns,
                                         const json* error) const {
    std::vector<core::Message> out;
    int64_t position = first_position;
    const int64_t latency_ms = end_ns > start_ns ? (end_ns - start_ns) / 1'000'000 : -1;
    for (Draft& draft : drafts) {
      core::Message message;
      message.role = draft.role;
      message.text = std::move(draft.text);
      message.timestamp_ns = draft.time_ns.value_or(draft.output ? end_ns : start_ns);
      message.metadata = facts.shared;
      if (!trace_id.empty()) {
        message.metadata["trace_id"] = trace_id;
      }
      if (!span_id.empty()) {
        message.metadata["span_id"] = span_id;
      }
      message.metadata[std::string(kCallIdKey)] = call_id;
      message.metadata[std::string(kCallPositionKey)] = position++;
      if (draft.output) {
        for (auto it = facts.output.begin(); it != facts.output.end(); ++it) {
          message.metadata[it.key()] = *it;
        }
        if (latency_ms >= 0) {
          message.metadata["latency_ms"] = latency_ms;
        }
      }
      for (auto it = draft.extra.begin(); it != draft.extra.end(); ++it) {
        message.metadata[it.key()] = *it;
      }
      message.source = SourceLocation{file, line};
      out.push_back(std::move(message));
    }
    if (error != nullptr && !out.empty()) {
      out.back().metadata["error"] = *error;
    }
    return out;
  }

  void report(const std::vector<ParseProblem>& problems, std::string_view raw) {
    for (const ParseProblem& problem : problems) {
      reject(problem.code, problem.reason, raw);
    }
  }

  void read_spans(const json& record, std::string_view raw) {
    const json& resources = array_member(record, "resourceSpans");
    // Pass 1: every span of the record is known before any message is placed.
    std::vector<std::string> new_keys;
    for (const json& resource : resources) {
      for (const json& scope : array_member(resource, "scopeSpans")) {
        for (const json& span : array_member(scope, "spans")) {
          const std::string trace_id = text_member(span, "traceId");
          const std::string span_id = text_member(span, "spanId");
          if (span_id.empty()) {
            continue;
          }
          SpanInfo info;
          const std::string parent = text_member(span, "parentSpanId");
          if (!parent.empty()) {
            info.parent_key = trace_id + "/" + parent;
          }
          info.session = session_attribute(otel_attributes(array_member(span, "attributes")));
          const std::string key = trace_id + "/" + span_id;
          spans[key] = std::move(info);
          new_keys.push_back(key);
        }
      }
    }
    for (const std::string& key : new_keys) {
      wake(key);
    }
    // Pass 2: messages.
    for (size_t r = 0; r < resources.size(); ++r) {
      const json resource_attrs = otel_attributes(array_member(
          member(resources[r], "resource") != nullptr ? resources[r]["resource"] : json::object(),
          "attributes"));
      const json& scopes = array_member(resources[r], "scopeSpans");
      for (size_t s = 0; s < scopes.size(); ++s) {
        const json& spans_list = array_member(scopes[s], "spans");
        for (size_t i = 0; i < spans_list.size(); ++i) {
          const std::string path = "resourceSpans[" + std::to_string(r) + "].scopeSpans[" +
                                   std::to_string(s) + "].spans[" + std::to_string(i) + "]";
          read_span(spans_list[i], resource_attrs, path, raw);
        }
      }
    }
  }

  void read_span(const json& span, const json& resource_attrs, const std::string& path,
                 std::string_view raw) {
    if (!span.is_object()) {
      reject(ErrorCode::kBadField, path + " is not an object", raw);
      return;
    }
    const json attrs = otel_attributes(array_member(span, "attributes"));
    std::vector<Draft> drafts;
    std::vector<ParseProblem> problems;
    bool found = current_convention(attrs, path, drafts, problems) ||
                 event_convention(span, path, drafts, problems) ||
                 indexed_convention(attrs, "gen_ai.prompt.", "gen_ai.completion.", "", path, drafts,
                                    problems) ||
                 indexed_convention(attrs, "llm.input_messages.", "llm.output_messages.",
                                    "message.", path, drafts, problems);
    report(problems, raw);
    if (!found || drafts.empty()) {
      return;  // not a GenAI span (or nothing usable in it): context only
    }
    const std::string trace_id = text_member(span, "traceId");
    const std::string span_id = text_member(span, "spanId");
    if (trace_id.empty() && span_id.empty() && !session_attribute(attrs)) {
      reject(ErrorCode::kMissingField, path + " has no traceId, spanId or session id", raw);
      return;
    }
    auto start = member(span, "startTimeUnixNano") != nullptr
                     ? parse_unix_nanos(span["startTimeUnixNano"])
                     : Result<int64_t>(fail(ErrorCode::kMissingField, "missing"));
    if (!start) {
      reject(start.error().code == ErrorCode::kMissingField ? ErrorCode::kMissingField
                                                            : ErrorCode::kBadTimestamp,
             path + ".startTimeUnixNano: " + start.error().message, raw);
      return;
    }
    int64_t end_ns = *start;
    if (const json* end = member(span, "endTimeUnixNano")) {
      auto parsed = parse_unix_nanos(*end);
      if (!parsed) {
        reject(ErrorCode::kBadTimestamp, path + ".endTimeUnixNano: " + parsed.error().message, raw);
        return;
      }
      end_ns = std::max(*parsed, *start);
    }
    json error_value;
    const json* error = nullptr;
    if (const json* status = member(span, "status")) {
      const json* code = member(*status, "code");
      if (code != nullptr && (*code == 2 || *code == "STATUS_CODE_ERROR")) {
        error_value = member(*status, "message") != nullptr ? (*status)["message"] : json(true);
        error = &error_value;
      }
    }
    CallFacts facts = call_facts(attrs, resource_attrs);
    Pending pending;
    pending.trace_id = trace_id.empty() ? span_id : trace_id;
    pending.messages = messages_of(drafts, facts, trace_id, span_id,
                                   span_id.empty() ? trace_id : span_id, 0, *start, end_ns, error);
    if (auto own = session_attribute(attrs); own || span_id.empty()) {
      emit(std::move(pending), own);
      return;
    }
    settle(std::move(pending), trace_id + "/" + span_id);
  }

  void read_logs(const json& record, std::string_view raw) {
    const json& resources = array_member(record, "resourceLogs");
    for (size_t r = 0; r < resources.size(); ++r) {
      const json resource_attrs = otel_attributes(array_member(
          member(resources[r], "resource") != nullptr ? resources[r]["resource"] : json::object(),
          "attributes"));
      const json& scopes = array_member(resources[r], "scopeLogs");
      for (size_t s = 0; s < scopes.size(); ++s) {
        const json& logs = array_member(scopes[s], "logRecords");
        for (size_t i = 0; i < logs.size(); ++i) {
          const std::string path = "resourceLogs[" + std::to_string(r) + "].scopeLogs[" +
                                   std::to_string(s) + "].logRecords[" + std::to_string(i) + "]";
          read_log_record(logs[i], resource_attrs, path, raw);
        }
      }
    }
  }

  void read_log_record(const json& log, const json& resource_attrs, const std::string& path,
                       std::string_view raw) {
    if (!log.is_object()) {
      reject(ErrorCode::kBadField, path + " is not an object", raw);
      return;
    }
    const json attrs = otel_attributes(array_member(log, "attributes"));
    std::string name = text_member(log, "eventName");
    if (name.empty()) {
      name = text_member(attrs, "event.name");
    }
    std::vector<Draft> drafts;
    std::vector<ParseProblem> problems;
    std::optional<int64_t> time_ns;
    for (const char* key : {"timeUnixNano", "observedTimeUnixNano"}) {
      if (const json* t = member(log, key)) {
        auto ns = parse_unix_nanos(*t);
        if (!ns) {
          problems.push_back(
              {ErrorCode::kBadTimestamp, path + "." + key + ": " + ns.error().message});
          break;
        }
        if (*ns > 0) {
          time_ns = *ns;
          break;
        }
      }
    }
    bool per_message = false;
    if (!current_convention(attrs, path, drafts, problems) && event_role(name)) {
      per_message = true;
      const json body = member(log, "body") != nullptr ? otel_any_value(log["body"]) : json();
      if (body.is_null()) {
        problems.push_back({ErrorCode::kMissingField, path + " (" + name + ") has no body"});
      } else if (auto draft =
                     draft_from_event_body(name, body, time_ns, path + ".body", problems)) {
        drafts.push_back(std::move(*draft));
      }
    }
    if (drafts.empty()) {
      report(problems, raw);
      return;
    }
    if (!time_ns) {
      if (problems.empty()) {
        problems.push_back({ErrorCode::kMissingField, path + " has no timeUnixNano"});
      }
      report(problems, raw);
      return;
    }
    report(problems, raw);
    const std::string trace_id = text_member(log, "traceId");
    const std::string span_id = text_member(log, "spanId");
    std::optional<std::string> session = session_attribute(attrs);
    const std::string key = trace_id + "/" + span_id;
    const bool span_known = !span_id.empty() && spans.count(key) != 0;
    if (!session && !span_known && trace_id.empty()) {
      reject(ErrorCode::kMissingField,
             path + " has no session id (gen_ai.conversation.id, session.id or traceId)", raw);
      return;
    }
    // Per-message event records of one call share its span (else trace, else session). A record
    // that holds a whole call is that call: without a span, its time tells calls apart.
    std::string call_id = !span_id.empty() ? span_id : !trace_id.empty() ? trace_id : *session;
    if (!per_message && span_id.empty()) {
      call_id += "@" + std::to_string(*time_ns);
    }
    int64_t first_position = 0;
    if (per_message) {
      first_position = log_positions[call_id]++;
    }
    CallFacts facts = call_facts(attrs, resource_attrs);
    Pending pending;
    pending.trace_id = trace_id;
    pending.messages = messages_of(drafts, facts, trace_id, span_id, call_id, first_position,
                                   *time_ns, *time_ns, nullptr);
    if (session || !span_known) {
      emit(std::move(pending), session);
      return;
    }
    settle(std::move(pending), key);
  }
};

OtelReader::OtelReader(std::string file, SessionSinks sinks) : state_(std::make_unique<State>()) {
  state_->file = std::move(file);
  state_->sinks = std::move(sinks);
}

OtelReader::~OtelReader() = default;

void OtelReader::read(const json& record, std::string_view raw_text, int64_t line) {
  state_->line = line;
  if (!is_otel_record(record)) {
    state_->reject(ErrorCode::kUnknownShape,
                   "not an OTLP JSON export (no resourceSpans or resourceLogs array)", raw_text);
    return;
  }
  if (member(record, "resourceSpans") != nullptr) {
    state_->read_spans(record, raw_text);
  }
  if (member(record, "resourceLogs") != nullptr) {
    state_->read_logs(record, raw_text);
  }
}

void OtelReader::finish() {
  // Whatever still waits has an ancestor outside the file: the nearest session found so far
  // is none, so the trace id stands in. Map order keeps this deterministic.
  auto waiting = std::move(state_->waiting);
  state_->waiting.clear();
  for (auto& entry : waiting) {
    for (auto& pending : entry.second) {
      state_->emit(std::move(pending), std::nullopt);
    }
  }
}

}  // namespace convaudit::ingest::internal
