#include "engine/ingest/internal/db_format.h"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

#include "engine/ingest/internal/jsonl_format.h"

namespace convaudit::ingest::internal {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 5> kDbSessionKeys = {"session_id", "conversation_id",
                                                            "session", "thread_id", "id"};
constexpr std::array<std::string_view, 5> kDbSessionTimestampKeys = {
    "timestamp", "ts", "created_at", "time", "started_at"};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Index just past the string starting at text[i] == '"' (text.size() when unterminated).
size_t skip_string(std::string_view text, size_t i) {
  for (++i; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i + 1;
    }
  }
  return text.size();
}

size_t skip_space(std::string_view text, size_t i) {
  while (i < text.size() && is_space(text[i])) {
    ++i;
  }
  return i;
}

std::vector<size_t> element_offsets(std::string_view text, size_t open_bracket) {
  std::vector<size_t> offsets;
  int depth = 0;
  bool expecting = true;
  for (size_t i = open_bracket + 1; i < text.size();) {
    i = skip_space(text, i);
    if (i >= text.size()) {
      break;
    }
    const char c = text[i];
    if (expecting && c != ']') {
      offsets.push_back(i);
      expecting = false;
    }
    if (c == '"') {
      i = skip_string(text, i);
      continue;
    }
    if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth == 0) {
        return offsets;
      }
      --depth;
    } else if (c == ',' && depth == 0) {
      expecting = true;
    }
    ++i;
  }
  return offsets;
}

Result<std::string> session_id_of(const json& session) {
  std::string key;
  const json* id = find_alias(session, kDbSessionKeys, &key);
  if (id == nullptr) {
    return fail(ErrorCode::kMissingField,
                "session has no id (session_id, conversation_id, session, thread_id or id)");
  }
  if (id->is_string()) {
    if (id->get_ref<const std::string&>().empty()) {
      return fail(ErrorCode::kMissingField, "session id field '" + key + "' is empty");
    }
    return id->get<std::string>();
  }
  if (id->is_number_integer()) {
    return id->dump();
  }
  return fail(ErrorCode::kBadField, "session id field '" + key + "' is not a string");
}

}  // namespace

bool is_db_session(const json& record) {
  if (!record.is_object()) {
    return false;
  }
  auto it = record.find("messages");
  return it != record.end() && it->is_array();
}

std::vector<size_t> member_array_offsets(std::string_view text, std::string_view key) {
  int depth = 0;
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == '"') {
      size_t end = skip_string(text, i);
      if (depth == 1 && end <= text.size() && end >= i + 2 &&
          text.substr(i + 1, end - i - 2) == key) {
        size_t colon = skip_space(text, end);
        if (colon < text.size() && text[colon] == ':') {
          size_t value = skip_space(text, colon + 1);
          if (value < text.size() && text[value] == '[') {
            return element_offsets(text, value);
          }
        }
      }
      i = end;
      continue;
    }
    if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      --depth;
    }
    ++i;
  }
  return {};
}

void parse_db_session(const json& session, std::string_view raw_text, const std::string& file,
                      int64_t line, const SessionSinks& sinks) {
  auto session_id = session_id_of(session);
  if (!session_id) {
    Error error = session_id.error();
    error.where = SourceLocation{file, line};
    sinks.on_reject(std::move(error), raw_text);
    return;
  }
  std::string session_id_key;
  find_alias(session, kDbSessionKeys, &session_id_key);
  std::string session_timestamp_key;
  std::optional<int64_t> fallback_ns;
  if (const json* ts = find_alias(session, kDbSessionTimestampKeys, &session_timestamp_key)) {
    if (auto ns = parse_timestamp_value(*ts)) {
      fallback_ns = *ns;
    }
  }

  json inherited = json::object();
  for (auto it = session.begin(); it != session.end(); ++it) {
    const std::string& key = it.key();
    if (key == "messages" || key == session_id_key || key == session_timestamp_key ||
        (key == "metadata" && (it->is_object() || it->is_null()))) {
      continue;
    }
    inherited[key] = *it;
  }
  if (auto it = session.find("metadata"); it != session.end() && it->is_object()) {
    for (auto m = it->begin(); m != it->end(); ++m) {
      inherited[m.key()] = *m;
    }
  }

  const json& messages = session.at("messages");
  std::vector<size_t> offsets = member_array_offsets(raw_text, "messages");
  const bool have_offsets = offsets.size() == messages.size();
  size_t newlines_counted_to = 0;
  int64_t message_line = line;

  MessageContext context;
  context.file = file;
  context.session_id = *session_id;
  context.inherited_metadata = &inherited;
  for (size_t i = 0; i < messages.size(); ++i) {
    std::string_view raw = raw_text;
    if (have_offsets) {
      message_line += std::count(raw_text.begin() + static_cast<ptrdiff_t>(newlines_counted_to),
                                 raw_text.begin() + static_cast<ptrdiff_t>(offsets[i]), '\n');
      newlines_counted_to = offsets[i];
      size_t end = i + 1 < offsets.size() ? offsets[i + 1] : raw_text.size();
      raw = raw_text.substr(offsets[i], end - offsets[i]);
    }
    context.line = message_line;
    context.fallback_timestamp_ns = fallback_ns;
    auto message = parse_message(messages[i], context);
    if (!message) {
      sinks.on_reject(std::move(message.error()), raw);
      continue;
    }
    fallback_ns = message->timestamp_ns;
    sinks.on_message(std::move(*message));
  }
}

}  // namespace convaudit::ingest::internal
