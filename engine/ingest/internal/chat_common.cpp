#include "engine/ingest/internal/chat_common.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <utility>

namespace convaudit::ingest::internal {
namespace {

using nlohmann::json;

bool is_text_part_type(std::string_view type) {
  return type == "text" || type == "input_text" || type == "output_text";
}

}  // namespace

std::optional<std::string> content_text(const json& content) {
  if (content.is_string()) {
    return content.get<std::string>();
  }
  if (!content.is_array()) {
    return std::nullopt;
  }
  std::string joined;
  bool any = false;
  for (const json& part : content) {
    const json* text = nullptr;
    if (part.is_string()) {
      text = &part;
    } else if (part.is_object()) {
      auto type = part.find("type");
      if (type != part.end() && type->is_string() &&
          !is_text_part_type(type->get_ref<const std::string&>())) {
        continue;
      }
      for (const char* key : {"text", "content"}) {
        auto it = part.find(key);
        if (it != part.end() && it->is_string()) {
          text = &*it;
          break;
        }
      }
    }
    if (text == nullptr) {
      continue;
    }
    if (any) {
      joined += '\n';
    }
    joined += text->get_ref<const std::string&>();
    any = true;
  }
  if (!any) {
    return std::nullopt;
  }
  return joined;
}

std::optional<core::Role> chat_role(std::string_view text) {
  if (auto role = core::parse_role(text)) {
    return role;
  }
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "humanmessagechunk") {
    return core::Role::kUser;
  }
  if (lower == "aimessagechunk") {
    return core::Role::kAssistant;
  }
  if (lower == "functionmessage" || lower == "toolmessagechunk") {
    return core::Role::kTool;
  }
  return std::nullopt;
}

Result<int64_t> parse_unix_nanos(const json& value) {
  std::string digits;
  if (value.is_string()) {
    digits = value.get<std::string>();
  } else if (value.is_number_unsigned() || value.is_number_integer()) {
    digits = value.dump();
  } else {
    return fail(ErrorCode::kBadTimestamp, std::string("nanosecond timestamp is a ") +
                                              value.type_name() + ", expected digits");
  }
  if (digits.empty() || digits.size() > 19 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return fail(ErrorCode::kBadTimestamp,
                "nanosecond timestamp '" + digits.substr(0, 32) + "' is not epoch digits");
  }
  int64_t ns = 0;
  for (char c : digits) {
    const int64_t digit = c - '0';
    if (ns > (std::numeric_limits<int64_t>::max() - digit) / 10) {
      return fail(ErrorCode::kBadTimestamp, "nanosecond timestamp out of range");
    }
    ns = ns * 10 + digit;
  }
  return ns;
}

std::optional<std::string> string_field(const json& object,
                                        std::initializer_list<std::string_view> keys) {
  if (!object.is_object()) {
    return std::nullopt;
  }
  for (std::string_view key : keys) {
    auto it = object.find(key);
    if (it == object.end()) {
      continue;
    }
    if (it->is_string() && !it->get_ref<const std::string&>().empty()) {
      return it->get<std::string>();
    }
    if (it->is_number_integer()) {
      return it->dump();
    }
  }
  return std::nullopt;
}

std::optional<int64_t> integer_value(const json& value) {
  if (value.is_number_integer()) {
    return value.get<int64_t>();
  }
  if (value.is_number_float()) {
    const double d = value.get<double>();
    if (d >= -9.0e18 && d <= 9.0e18 && d == static_cast<double>(static_cast<int64_t>(d))) {
      return static_cast<int64_t>(d);
    }
    return std::nullopt;
  }
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    int64_t out = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (ec == std::errc() && ptr == text.data() + text.size() && !text.empty()) {
      return out;
    }
  }
  return std::nullopt;
}

void merge_missing(json& to, const json& from) {
  if (!from.is_object() || !to.is_object()) {
    return;
  }
  for (auto it = from.begin(); it != from.end(); ++it) {
    if (!to.contains(it.key())) {
      to[it.key()] = *it;
    }
  }
}

Error located_error(ErrorCode code, std::string reason, const std::string& file, int64_t line) {
  return Error{code, std::move(reason), SourceLocation{file, line}};
}

}  // namespace convaudit::ingest::internal
