#include "engine/core/message.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace convaudit::core {

std::string_view role_name(Role role) {
  switch (role) {
    case Role::kSystem: return "system";
    case Role::kUser: return "user";
    case Role::kAssistant: return "assistant";
    case Role::kTool: return "tool";
    case Role::kOther: return "other";
  }
  return "other";
}

std::optional<Role> parse_role(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "user" || lower == "human" || lower == "customer" || lower == "visitor" ||
      lower == "client" || lower == "end_user" || lower == "humanmessage") {
    return Role::kUser;
  }
  if (lower == "assistant" || lower == "ai" || lower == "bot" || lower == "agent" ||
      lower == "model" || lower == "aimessage" || lower == "chatbot") {
    return Role::kAssistant;
  }
  if (lower == "system" || lower == "developer" || lower == "systemmessage") {
    return Role::kSystem;
  }
  if (lower == "tool" || lower == "function" || lower == "toolmessage" || lower == "ipython") {
    return Role::kTool;
  }
  return std::nullopt;
}

}  // namespace convaudit::core
