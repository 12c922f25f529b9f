#pragma once
// Helpers shared by the chat-API readers (otel, langchain, openai): message content to text,
// role spellings, exact Unix-nanosecond digits, and the call metadata the SessionAssembler
// uses to recognise history a later API call repeats.
//
// Every message a chat-API reader emits carries metadata `call_id` (the API call it came from:
// response id, span id, run id) and, when known, `call_position` (its 0-based index in that
// call: input messages first, then the outputs). See session_assembler.h.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/core/error.h"
#include "engine/core/message.h"
#include "engine/core/result.h"

namespace convaudit::ingest::internal {

inline constexpr std::string_view kCallIdKey = "call_id";
inline constexpr std::string_view kCallPositionKey = "call_position";

// The text of a message `content`: a string, or an array of parts (strings, or objects
// {"type": "text"|"input_text"|"output_text", "text"|"content": string}) joined by newlines.
// Parts without text (images, tool calls) are skipped. nullopt when there is no text at all.
std::optional<std::string> content_text(const nlohmann::json& content);

// core::parse_role plus the class and type names chat frameworks use (HumanMessage, AIMessage,
// SystemMessage, ToolMessage, FunctionMessage, "human", "ai", "generic" is not a role).
std::optional<core::Role> chat_role(std::string_view text);

// Unix nanoseconds given as digits (a JSON string or unsigned integer), parsed digit by digit
// (never through a double). Errors: kBadTimestamp.
Result<int64_t> parse_unix_nanos(const nlohmann::json& value);

// The first string (or integer, as digits) among `keys` of `object`, if any and non-empty.
std::optional<std::string> string_field(const nlohmann::json& object,
                                        std::initializer_list<std::string_view> keys);

// The integer value of `value` (a number, or digits as text); nullopt otherwise.
std::optional<int64_t> integer_value(const nlohmann::json& value);

// Copies every member of `from` (an object) into `to`, keeping what `to` already has.
void merge_missing(nlohmann::json& to, const nlohmann::json& from);

Error located_error(ErrorCode code, std::string reason, const std::string& file, int64_t line);

}  // namespace convaudit::ingest::internal
