#include "engine/ingest/internal/openai_format.h"

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

// The payload of a request or response: the object itself, or its `body`.
const json* payload(const json& record, std::string_view key) {
  const json* part = member(record, key);
  if (part == nullptr) {
    return nullptr;
  }
  if (const json* body = member(*part, "body"); body != nullptr && body->is_object()) {
    return body;
  }
  return part;
}

// The request of a gateway record: `request` (or its body), or the record itself when the gateway
// logged the request's fields at the top level next to the response ({"model", "messages",
// "response": {...}}).
const json* request_of(const json& record) {
  if (const json* request = payload(record, "request")) {
    return request;
  }
  const json* messages = member(record, "messages");
  const json* response = member(record, "response");
  if (messages != nullptr && messages->is_array() && response != nullptr &&
      (response->is_object() || response->is_array())) {
    return &record;
  }
  return nullptr;
}

// A response in the Messages API shape (Anthropic and gateways in front of it): one assistant
// message whose `content` is a list of blocks, no `choices`. A message without `content` but
// with a `stop_reason` (a refusal can have no block) is one too, so that it is read or
// rejected, never skipped.
bool is_message_response(const json& response) {
  if (member(response, "choices") != nullptr) {
    return false;
  }
  const json* content = member(response, "content");
  if (content == nullptr ? member(response, "stop_reason") == nullptr : !content->is_array()) {
    return false;
  }
  auto role = string_field(response, {"role"});
  auto type = string_field(response, {"type"});
  return (role && *role == "assistant") || (type && *type == "message");
}

// Messages API blocks of a request message: tool_use blocks as OpenAI-style tool calls (so a
// repeated answer matches the call that first gave it), tool_result blocks as a tool message.
struct Blocks {
  json tool_calls = json::array();
  std::optional<std::string> tool_result;
  std::string tool_use_id;
};

Blocks read_blocks(const json& content) {
  Blocks out;
  if (!content.is_array()) {
    return out;
  }
  for (const json& block : content) {
    auto type = string_field(block, {"type"});
    if (!type) {
      continue;
    }
    if (*type == "tool_use") {
      const json* input = member(block, "input");
      out.tool_calls.push_back(
          json{{"id", block.value("id", "")},
               {"type", "function"},
               {"function",
                {{"name", block.value("name", "")},
                 {"arguments", input != nullptr ? input->dump() : std::string("{}")}}}});
    } else if (*type == "tool_result") {
      const json* result = member(block, "content");
      std::optional<std::string> text = result != nullptr ? content_text(*result) : std::nullopt;
      out.tool_result = out.tool_result.value_or("") +
                        (out.tool_result && !out.tool_result->empty() ? "\n" : "") +
                        text.value_or("");
      out.tool_use_id = block.value("tool_use_id", "");
    }
  }
  return out;
}

const json* chunk_list(const json& response) {
  if (response.is_array()) {
    return &response;
  }
  if (const json* chunks = member(response, "chunks"); chunks != nullptr && chunks->is_array()) {
    return chunks;
  }
  return nullptr;
}

// The response of a gateway record: `response` (or its body), or the record itself when the
// gateway stored the completion's own fields next to `request` ({"request", "id", "created",
// "choices", "usage"}, or the streamed `chunks`).
const json* response_of(const json& record) {
  if (const json* response = payload(record, "response")) {
    return response;
  }
  if (member(record, "request") != nullptr &&
      (member(record, "choices") != nullptr || chunk_list(record) != nullptr)) {
    return &record;
  }
  return nullptr;
}

// What the model said when it declined (the `refusal` of a chat-completions message, or the
// `{"type": "refusal", "refusal"}` parts of its content list); nullopt when it did not decline.
std::optional<std::string> refusal_text(const json& message) {
  if (auto text = string_field(message, {"refusal"})) {
    return text;
  }
  const json* content = member(message, "content");
  if (content == nullptr || !content->is_array()) {
    return std::nullopt;
  }
  std::optional<std::string> out;
  for (const json& part : *content) {
    auto type = string_field(part, {"type"});
    auto text = string_field(part, {"refusal"});
    if (type && *type == "refusal" && text) {
      out = out ? *out + "\n" + *text : *text;
    }
  }
  return out;
}

struct Choice {
  int64_t index = 0;
  std::string role = "assistant";
  std::string text;
  bool has_text = false;
  std::optional<std::string> refusal;  // the model declined; the text when there is no content
  json tool_calls = json::array();
  std::string finish_reason;
};

void add_tool_call_delta(json& calls, const json& delta) {
  const int64_t index = integer_value(delta.value("index", json(0))).value_or(0);
  while (static_cast<int64_t>(calls.size()) <= index) {
    calls.push_back(
        json{{"id", ""}, {"type", "function"}, {"function", {{"name", ""}, {"arguments", ""}}}});
  }
  json& call = calls[static_cast<size_t>(index)];
  if (auto id = string_field(delta, {"id"})) {
    call["id"] = *id;
  }
  if (const json* function = member(delta, "function")) {
    if (auto name = string_field(*function, {"name"})) {
      call["function"]["name"] = call["function"]["name"].get<std::string>() + *name;
    }
    if (const json* args = member(*function, "arguments"); args && args->is_string()) {
      call["function"]["arguments"] =
          call["function"]["arguments"].get<std::string>() + args->get<std::string>();
    }
  }
}

// Streamed chunks folded into whole choices; `response_fields` gets id, model, created, usage.
std::vector<Choice> fold_chunks(const json& chunks, json& response_fields) {
  std::map<int64_t, Choice> by_index;
  for (const json& chunk : chunks) {
    if (!chunk.is_object()) {
      continue;
    }
    for (const char* key : {"id", "model", "created", "usage", "system_fingerprint"}) {
      if (const json* value = member(chunk, key)) {
        response_fields[key] = *value;
      }
    }
    const json* choices = member(chunk, "choices");
    if (choices == nullptr || !choices->is_array()) {
      continue;
    }
    for (const json& c : *choices) {
      const int64_t index = integer_value(c.value("index", json(0))).value_or(0);
      Choice& choice = by_index[index];
      choice.index = index;
      if (const json* delta = member(c, "delta")) {
        if (auto role = string_field(*delta, {"role"})) {
          choice.role = *role;
        }
        if (const json* content = member(*delta, "content"); content && content->is_string()) {
          choice.text += content->get<std::string>();
          choice.has_text = true;
        }
        if (const json* refusal = member(*delta, "refusal");
            refusal && refusal->is_string() && !refusal->get_ref<const std::string&>().empty()) {
          choice.refusal = choice.refusal.value_or("") + refusal->get<std::string>();
        }
        if (const json* calls = member(*delta, "tool_calls"); calls && calls->is_array()) {
          for (const json& call : *calls) {
            add_tool_call_delta(choice.tool_calls, call);
          }
        }
      }
      if (auto reason = string_field(c, {"finish_reason"})) {
        choice.finish_reason = *reason;
      }
    }
  }
  std::vector<Choice> out;
  for (auto& entry : by_index) {
    if ((!entry.second.has_text || entry.second.text.empty()) && entry.second.refusal) {
      entry.second.text = *entry.second.refusal;
      entry.second.has_text = true;
    }
    out.push_back(std::move(entry.second));
  }
  return out;
}

// The first of `keys` the record has, as nanoseconds; nullopt if it has none. A key that is
// present but not a timestamp is an error naming it (never skipped for the next key).
Result<std::optional<int64_t>> time_of(const json& object,
                                       std::initializer_list<std::string_view> keys) {
  for (std::string_view key : keys) {
    if (const json* value = member(object, key); value != nullptr && !value->is_null()) {
      auto ns = parse_timestamp_value(*value);
      if (!ns) {
        return fail(ErrorCode::kBadTimestamp, std::string(key) + ": " + ns.error().message);
      }
      return std::optional<int64_t>(*ns);
    }
  }
  return std::optional<int64_t>();
}

std::optional<std::string> session_from_metadata(const json* metadata) {
  if (metadata == nullptr) {
    return std::nullopt;
  }
  return string_field(*metadata, {"session_id", "conversation_id", "thread_id"});
}

}  // namespace

bool is_openai_record(const json& record) {
  if (!record.is_object()) {
    return false;
  }
  if (const json* request = request_of(record)) {
    if (const json* messages = member(*request, "messages"); messages && messages->is_array()) {
      return true;
    }
  }
  if (const json* response = response_of(record)) {
    if (chunk_list(*response) != nullptr || member(*response, "choices") != nullptr ||
        is_message_response(*response)) {
      return true;
    }
  }
  return false;
}

void parse_openai_record(const json& record, std::string_view raw_text, const std::string& file,
                         int64_t line, const SessionSinks& sinks) {
  auto reject = [&](ErrorCode code, std::string reason) {
    sinks.on_reject(located_error(code, std::move(reason), file, line), raw_text);
  };
  if (!is_openai_record(record)) {
    reject(ErrorCode::kUnknownShape,
           "not an OpenAI chat-completions log record (no request.messages or response.choices)");
    return;
  }
  static const json kEmpty = json::object();
  const json* request_ptr = request_of(record);
  const json& request = request_ptr != nullptr && request_ptr->is_object() ? *request_ptr : kEmpty;
  const json* response_ptr = response_of(record);
  const json empty_response = json::object();
  const json& response = response_ptr != nullptr ? *response_ptr : empty_response;
  // JSON path of the response's fields in reject reasons.
  const std::string response_path = response_ptr == &record ? "" : "response.";

  // Choices, from a whole response or folded chunks.
  json response_fields = json::object();
  std::vector<Choice> choices;
  const json* error = member(response, "error");
  if (error == nullptr) {
    error = member(record, "error");
  }
  if (const json* chunks = chunk_list(response)) {
    choices = fold_chunks(*chunks, response_fields);
  } else if (response.is_object()) {
    for (const char* key : {"id", "model", "created", "usage", "system_fingerprint"}) {
      if (const json* value = member(response, key)) {
        response_fields[key] = *value;
      }
    }
    if (is_message_response(response)) {
      // Messages API: text blocks are the answer, tool_use blocks its tool calls.
      Choice choice;
      const json no_blocks = json::array();
      const json* content = member(response, "content");
      const json& blocks = content != nullptr ? *content : no_blocks;
      if (auto text = content_text(blocks)) {
        choice.text = std::move(*text);
        choice.has_text = true;
      }
      choice.tool_calls = read_blocks(blocks).tool_calls;
      if (auto reason = string_field(response, {"stop_reason"})) {
        choice.finish_reason = *reason;
      }
      // A refusal (stop_reason "refusal") is an answer, often with no block at all: the
      // assistant message is kept, with the text it has (maybe none) and `refusal: true`.
      if (choice.finish_reason == "refusal") {
        choice.refusal = choice.text;
        choice.has_text = true;
      }
      if (const json* usage = member(response, "usage"); usage && usage->is_object()) {
        // input/output tokens as the operations figures read them (prompt + completion).
        json mapped = *usage;
        auto in = integer_value(usage->value("input_tokens", json()));
        auto out_tokens = integer_value(usage->value("output_tokens", json()));
        if (in && !mapped.contains("prompt_tokens")) {
          mapped["prompt_tokens"] = *in;
        }
        if (out_tokens && !mapped.contains("completion_tokens")) {
          mapped["completion_tokens"] = *out_tokens;
        }
        response_fields["usage"] = std::move(mapped);
      }
      if (!choice.has_text && choice.tool_calls.empty()) {
        reject(ErrorCode::kMissingField, response_path + "content has no text or tool_use block");
      } else {
        choices.push_back(std::move(choice));
      }
    } else if (const json* list = member(response, "choices")) {
      if (!list->is_array()) {
        reject(ErrorCode::kBadField, response_path + "choices is not an array");
        return;
      }
      for (size_t i = 0; i < list->size(); ++i) {
        const json& c = (*list)[i];
        const json* message = member(c, "message");
        if (message == nullptr || !message->is_object()) {
          reject(ErrorCode::kMissingField,
                 response_path + "choices[" + std::to_string(i) + "] has no message object");
          continue;
        }
        Choice choice;
        choice.index = integer_value(c.value("index", json(static_cast<int64_t>(i))))
                           .value_or(static_cast<int64_t>(i));
        if (auto role = string_field(*message, {"role"})) {
          choice.role = *role;
        }
        if (const json* content = member(*message, "content")) {
          if (auto text = content_text(*content)) {
            choice.text = std::move(*text);
            choice.has_text = true;
          }
        }
        choice.refusal = refusal_text(*message);
        if ((!choice.has_text || choice.text.empty()) && choice.refusal) {
          choice.text = *choice.refusal;
          choice.has_text = true;
        }
        if (const json* calls = member(*message, "tool_calls"); calls && calls->is_array()) {
          choice.tool_calls = *calls;
        }
        if (auto reason = string_field(c, {"finish_reason"})) {
          choice.finish_reason = *reason;
        }
        if (!choice.has_text && choice.tool_calls.empty()) {
          reject(ErrorCode::kMissingField,
                 response_path + "choices[" + std::to_string(i) + "].message has no content");
          continue;
        }
        choices.push_back(std::move(choice));
      }
    }
  }

  // Session id.
  std::optional<std::string> session = session_from_metadata(member(request, "metadata"));
  if (!session) {
    session = session_from_metadata(member(record, "metadata"));
  }
  if (!session) {
    session = string_field(record, {"session_id", "conversation_id", "thread_id"});
  }
  if (!session) {
    session = string_field(request, {"user"});
  }
  std::optional<std::string> response_id = string_field(response_fields, {"id"});
  if (!response_id) {
    response_id = string_field(record, {"id", "request_id"});
  }
  if (!session) {
    session = response_id;
  }
  if (!session) {
    reject(ErrorCode::kMissingField,
           "no session id (metadata.session_id, conversation_id, request.user or response.id)");
    return;
  }

  // Times.
  // `created` (Unix seconds) of the response, or of the record when the gateway stored the
  // completion's own fields next to the request ({"id", "created", "request", "response"}).
  std::optional<int64_t> created_ns;
  const bool response_created = member(response_fields, "created") != nullptr;
  if (const json* created =
          response_created ? member(response_fields, "created") : member(record, "created")) {
    if (auto ns = parse_timestamp_value(*created)) {
      created_ns = *ns;
    } else {
      reject(ErrorCode::kBadTimestamp,
             (response_created ? response_path : std::string()) + "created: " + ns.error().message);
      return;
    }
  }
  std::optional<int64_t> latency_ms;
  for (const char* key : {"latency_ms", "duration_ms"}) {
    if (const json* value = member(record, key)) {
      latency_ms = integer_value(*value);
      if (latency_ms) {
        break;
      }
    }
  }
  auto start_time =
      time_of(record, {"timestamp", "created_at", "request_time", "start_time", "time"});
  auto end_time = time_of(record, {"end_time", "response_time"});
  for (const auto* time : {&start_time, &end_time}) {
    if (!*time) {
      reject(time->error().code, time->error().message);
      return;
    }
  }
  std::optional<int64_t> start_ns = *start_time;
  std::optional<int64_t> end_ns = *end_time;
  if (!start_ns) {
    start_ns = created_ns;
  }
  if (!start_ns) {
    start_ns = end_ns;
  }
  if (!start_ns) {
    reject(ErrorCode::kMissingField,
           "no timestamp (timestamp, created_at, request_time, start_time, response.created or "
           "created)");
    return;
  }
  if (!end_ns && latency_ms) {
    end_ns = *start_ns + *latency_ms * 1'000'000;
  }
  if (!end_ns) {
    end_ns = created_ns && *created_ns >= *start_ns ? *created_ns : *start_ns;
  }
  if (!latency_ms && *end_ns > *start_ns) {
    latency_ms = (*end_ns - *start_ns) / 1'000'000;
  }

  // Metadata every message of the call shares.
  json shared = json::object();
  if (const json* metadata = member(request, "metadata"); metadata && metadata->is_object()) {
    shared = *metadata;
  }
  if (const json* metadata = member(record, "metadata")) {
    merge_missing(shared, *metadata);
  }
  if (auto model = string_field(response_fields, {"model"})) {
    shared["model"] = *model;
  } else if (auto requested = string_field(request, {"model"})) {
    shared["model"] = *requested;
  }
  if (auto provider = string_field(record, {"provider"})) {
    shared["provider"] = *provider;
  }
  const std::string call_id = response_id.value_or(file + ":" + std::to_string(line));
  shared[std::string(kCallIdKey)] = call_id;

  const json* messages = member(request, "messages");
  std::vector<core::Message> out;
  int64_t position = 0;
  // A Messages API request carries its system prompt beside the messages, not among them.
  if (const json* system = member(request, "system"); system != nullptr && messages != nullptr) {
    if (auto text = content_text(*system)) {
      core::Message message;
      message.metadata = shared;
      message.session_id = *session;
      message.role = core::Role::kSystem;
      message.text = std::move(*text);
      message.timestamp_ns = *start_ns;
      message.metadata[std::string(kCallPositionKey)] = position++;
      message.source = SourceLocation{file, line};
      out.push_back(std::move(message));
    }
  }
  if (messages != nullptr) {
    if (!messages->is_array()) {
      reject(ErrorCode::kBadField, "request.messages is not an array");
      return;
    }
    for (size_t i = 0; i < messages->size(); ++i, ++position) {
      const json& m = (*messages)[i];
      const std::string path = "request.messages[" + std::to_string(i) + "]";
      auto role_text = string_field(m, {"role"});
      if (!role_text) {
        reject(ErrorCode::kMissingField, path + " has no role");
        continue;
      }
      auto role = chat_role(*role_text);
      if (!role) {
        reject(ErrorCode::kBadField, path + ": unknown role '" + role_text->substr(0, 64) + "'");
        continue;
      }
      core::Message message;
      message.metadata = shared;
      std::optional<std::string> text;
      Blocks blocks;
      if (const json* content = member(m, "content")) {
        text = content_text(*content);
        blocks = read_blocks(*content);
      }
      // A refused answer resent as history reads as it did when it was the answer.
      if (auto refusal = refusal_text(m)) {
        message.metadata["refusal"] = true;
        if (!text) {
          text = std::move(refusal);
        }
      }
      const json* calls = member(m, "tool_calls");
      if (calls == nullptr && !blocks.tool_calls.empty()) {
        calls = &blocks.tool_calls;
      }
      if (calls != nullptr) {
        message.metadata["tool_calls"] = *calls;
      }
      if (!text && blocks.tool_result) {  // a user turn that only returns tool results
        text = blocks.tool_result;
        role = core::Role::kTool;
        message.metadata["tool_call_id"] = blocks.tool_use_id;
      }
      if (!text && calls == nullptr) {
        reject(ErrorCode::kMissingField, path + " has no text content");
        continue;
      }
      if (auto id = string_field(m, {"tool_call_id"})) {
        message.metadata["tool_call_id"] = *id;
      }
      if (auto name = string_field(m, {"name"})) {
        message.metadata["name"] = *name;
      }
      message.session_id = *session;
      message.role = *role;
      message.text = text.value_or("");
      message.timestamp_ns = *start_ns;
      message.metadata[std::string(kCallPositionKey)] = position;
      message.source = SourceLocation{file, line};
      out.push_back(std::move(message));
    }
  }

  if (error != nullptr) {
    if (out.empty()) {
      reject(ErrorCode::kMissingField, "failed call with no request message to attach it to");
      return;
    }
    out.back().metadata["error"] = *error;
    if (latency_ms) {
      out.back().metadata["latency_ms"] = *latency_ms;
    }
  } else {
    for (const Choice& choice : choices) {
      core::Message message;
      message.session_id = *session;
      auto role = chat_role(choice.role);
      message.role = role.value_or(core::Role::kAssistant);
      message.text = choice.text;
      message.timestamp_ns = *end_ns;
      message.metadata = shared;
      message.metadata[std::string(kCallPositionKey)] = position + choice.index;
      message.metadata["response_id"] = call_id;
      if (choices.size() > 1) {
        message.metadata["choice_index"] = choice.index;
      }
      if (!choice.finish_reason.empty()) {
        message.metadata["finish_reason"] = choice.finish_reason;
      }
      if (choice.refusal) {
        message.metadata["refusal"] = true;
      }
      if (!choice.tool_calls.empty()) {
        message.metadata["tool_calls"] = choice.tool_calls;
      }
      if (latency_ms) {
        message.metadata["latency_ms"] = *latency_ms;
      }
      if (const json* usage = member(response_fields, "usage"); usage && usage->is_object()) {
        message.metadata["usage"] = *usage;
        auto input = integer_value(usage->value("prompt_tokens", json()));
        auto output = integer_value(usage->value("completion_tokens", json()));
        auto total = integer_value(usage->value("total_tokens", json()));
        if (input) {
          message.metadata["input_tokens"] = *input;
        }
        if (output) {
          message.metadata["output_tokens"] = *output;
        }
        if (total || input || output) {
          message.metadata["tokens"] = total.value_or(input.value_or(0) + output.value_or(0));
        }
      }
      message.source = SourceLocation{file, line};
      out.push_back(std::move(message));
    }
  }
  if (out.empty()) {
    reject(ErrorCode::kMissingField, "call has no request message and no answer");
    return;
  }
  for (core::Message& message : out) {
    sinks.on_message(std::move(message));
  }
}

}  // namespace convaudit::ingest::internal
