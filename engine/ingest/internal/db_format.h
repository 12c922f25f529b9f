#pragma once
// Database exports (format kDb): one JSON object per session with a `messages` array, either one
// object per line or all sessions in one top-level JSON array.
//
//   {"session_id": "s1", "channel": "web", "created_at": "2026-07-01T10:00:00Z",
//    "messages": [{"role": "user", "content": "hi", "timestamp": "2026-07-01T10:00:01Z"},
//                 {"role": "assistant", "content": "hello"}]}
//
// Session id: session_id | conversation_id | session | thread_id | id. Each message is parsed
// as a per-message record (jsonl_format.h) with the session's id; the session's other fields
// and its `metadata` object become the lowest-priority metadata of every message. A message
// without its own timestamp takes the previous message's, or the session's (the session's
// timestamp keys are those of jsonl_format.h plus started_at); with neither it is rejected.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/core/error.h"
#include "engine/core/message.h"

namespace convaudit::ingest::internal {

// True when `record` is an object with a `messages` array.
bool is_db_session(const nlohmann::json& record);

struct SessionSinks {
  std::function<void(core::Message&&)> on_message;
  // A rejected session or message; `raw` is the part of the record text it came from.
  std::function<void(Error, std::string_view raw)> on_reject;
};

// Emits the messages of one session record. `raw_text` is the record's text and `line` the
// line it starts on; they give each message its own source line.
void parse_db_session(const nlohmann::json& session, std::string_view raw_text,
                      const std::string& file, int64_t line, const SessionSinks& sinks);

// Byte offsets in `object_text` (one JSON object) of the elements of the array held by its
// top-level member `key`; empty when there is no such array.
std::vector<size_t> member_array_offsets(std::string_view object_text, std::string_view key);

}  // namespace convaudit::ingest::internal
