#pragma once
// Per-message records (format kJsonl): one JSON object is one Message.
//
//   {"session_id": "s1", "role": "user", "message": "hi", "timestamp": "2026-07-01T10:00:00Z",
//    "metadata": {"model": "gpt-4o"}}
//
// Field aliases (first present, non-null one wins):
//   session id  session_id | conversation_id | session | thread_id   (string or integer)
//   role        role | sender_type | sender | author                 (core::parse_role spellings)
//   text        message | content | text      (string, or an array of string / {"text": ...} parts)
//   timestamp   timestamp | ts | created_at | time   (ISO 8601 text, epoch digits, or epoch number)
// Every other top-level key becomes metadata; the explicit `metadata` object wins over them.
// The database-export reader (db_format.h) parses each message of a session through the same
// function, passing what the session supplies in a MessageContext.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/core/error.h"
#include "engine/core/message.h"
#include "engine/core/result.h"

namespace convaudit::ingest::internal {

// JSON deeper than this is rejected before parsing (recursion in later stages stays bounded).
inline constexpr int kMaxJsonDepth = 256;

// A problem with a record's raw bytes: invalid UTF-8 (kBadEncoding) or nesting deeper than
// kMaxJsonDepth (kMalformedJson). nullopt when the text may be handed to the JSON parser.
std::optional<Error> check_record_text(std::string_view text);

// What the record's container supplies: where it is, and for db-export messages the session's
// id, its fields (lowest-priority metadata) and a timestamp for messages that carry none.
struct MessageContext {
  std::string file{};
  int64_t line = 0;
  std::optional<std::string> session_id{};
  const nlohmann::json* inherited_metadata = nullptr;  // an object, or null
  std::optional<int64_t> fallback_timestamp_ns{};
};

// True when `record` is an object with at least one session id, role or text key.
bool has_message_shape(const nlohmann::json& record);

// The Message of one record. Errors (as Reject codes): kUnknownShape (not an object / no known
// field), kMissingField, kBadField (wrong type, unknown role), kBadTimestamp.
Result<core::Message> parse_message(const nlohmann::json& record, const MessageContext& context);

// A timestamp field's value: ISO 8601 or epoch digits as text, or an epoch number (seconds,
// milliseconds, microseconds or nanoseconds by magnitude). Out-of-range values are kBadTimestamp.
Result<int64_t> parse_timestamp_value(const nlohmann::json& value);

// The first present, non-null key of `aliases` in `object`, or nullptr.
const nlohmann::json* find_alias(const nlohmann::json& object,
                                 std::span<const std::string_view> aliases,
                                 std::string* found_key = nullptr);

inline constexpr std::array<std::string_view, 4> kSessionKeys = {"session_id", "conversation_id",
                                                                 "session", "thread_id"};
inline constexpr std::array<std::string_view, 4> kRoleKeys = {"role", "sender_type", "sender",
                                                              "author"};
inline constexpr std::array<std::string_view, 3> kTextKeys = {"message", "content", "text"};
inline constexpr std::array<std::string_view, 4> kTimestampKeys = {"timestamp", "ts", "created_at",
                                                                   "time"};

}  // namespace convaudit::ingest::internal
