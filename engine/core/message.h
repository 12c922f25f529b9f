#pragma once
// Message and Conversation: what ingest emits and every later stage consumes.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/error.h"

namespace convaudit::core {

enum class Role { kSystem, kUser, kAssistant, kTool, kOther };

// "system", "user", "assistant", "tool", "other".
std::string_view role_name(Role role);
// Maps the role spellings real exports use (user/human/customer/visitor, assistant/ai/bot/agent/
// model, system/developer, tool/function) to a Role; nullopt when unrecognised.
std::optional<Role> parse_role(std::string_view text);

struct Message {
  std::string session_id;
  Role role = Role::kOther;
  std::string text;
  int64_t timestamp_ns = 0;  // Unix epoch, nanoseconds, UTC
  // Everything else the record carried (model, prompt_version, channel, agent_id, latency_ms,
  // tokens, cost, attack_blocked, ...). Always a JSON object.
  nlohmann::json metadata = nlohmann::json::object();
  SourceLocation source;  // input file and line the message came from
};

// One session's messages in conversation order (timestamp, then input order).
struct Conversation {
  std::string session_id;
  std::vector<Message> messages;
};

}  // namespace convaudit::core
