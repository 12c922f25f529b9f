#include "engine/ingest/internal/jsonl_format.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <utility>

#include "engine/core/timestamp.h"

namespace convaudit::ingest::internal {
namespace {

using nlohmann::json;

constexpr int64_t kNsPerSecond = 1'000'000'000;

// Length of the valid UTF-8 sequence at text[i], or 0 (overlong forms, surrogates and code
// points above U+10FFFF are invalid, as in RFC 3629).
size_t utf8_sequence_length(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    return 1;
  }
  size_t length = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    if (b0 == 0xE0) {
      low = 0xA0;
    } else if (b0 == 0xED) {
      high = 0x9F;
    }
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    if (b0 == 0xF0) {
      low = 0x90;
    } else if (b0 == 0xF4) {
      high = 0x8F;
    }
  } else {
    return 0;
  }
  if (i + length > text.size()) {
    return 0;
  }
  if (byte(i + 1) < low || byte(i + 1) > high) {
    return 0;
  }
  for (size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) {
      return 0;
    }
  }
  return length;
}

Error record_error(ErrorCode code, std::string reason, const MessageContext& context) {
  return Error{code, std::move(reason), SourceLocation{context.file, context.line}};
}

std::string quoted(const std::string& text) {
  constexpr size_t kMax = 64;
  if (text.size() <= kMax) {
    return "'" + text + "'";
  }
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return "'" + text.substr(0, cut) + "...'";
}

// Epoch digits ("1751364000", "1751364000123", "1751364000.5") whose value in nanoseconds would
// not fit in int64; core::parse_timestamp multiplies without checking.
bool epoch_digits_overflow(std::string_view text) {
  std::string_view whole = text.substr(0, text.find('.'));
  if (whole.empty() || whole.size() > 19) {
    return false;  // not epoch digits, or rejected by parse_timestamp anyway
  }
  uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), value);
  if (ec != std::errc() || ptr != whole.data() + whole.size()) {
    return false;
  }
  uint64_t scale = 1;
  if (whole.size() <= 11) {
    scale = kNsPerSecond;
  } else if (whole.size() <= 14) {
    scale = 1'000'000;
  } else if (whole.size() <= 17) {
    scale = 1'000;
  }
  const uint64_t limit =
      static_cast<uint64_t>(std::numeric_limits<int64_t>::max() - kNsPerSecond) / scale;
  return value > limit;
}

Result<int64_t> parse_timestamp_text(std::string_view text) {
  std::string_view trimmed = text;
  while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\t')) {
    trimmed.remove_prefix(1);
  }
  while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\t')) {
    trimmed.remove_suffix(1);
  }
  if (epoch_digits_overflow(trimmed)) {
    return fail(ErrorCode::kBadTimestamp,
                "epoch timestamp out of range: '" + std::string(trimmed.substr(0, 64)) + "'");
  }
  return core::parse_timestamp(trimmed);
}

Result<int64_t> parse_epoch_double(double value) {
  if (!std::isfinite(value)) {
    return fail(ErrorCode::kBadTimestamp, "epoch timestamp is not a finite number");
  }
  const double magnitude = std::fabs(value);
  double scale = 1;
  if (magnitude < 1e11) {
    scale = 1e9;
  } else if (magnitude < 1e14) {
    scale = 1e6;
  } else if (magnitude < 1e17) {
    scale = 1e3;
  }
  if (magnitude * scale >= 9.2e18) {
    return fail(ErrorCode::kBadTimestamp, "epoch timestamp out of range");
  }
  // Whole units and the fraction separately: value * 1e9 in one double would lose the
  // sub-microsecond digits (1782900000.25 s is not 1782900000250000000 ns in a double).
  const double whole = std::trunc(value);
  return static_cast<int64_t>(whole) * static_cast<int64_t>(scale) +
         static_cast<int64_t>(std::llround((value - whole) * scale));
}

// Text as a string, or the text parts of a content array (OpenAI / Anthropic style
// [{"type":"text","text":"..."}]) joined by newlines.
Result<std::string> text_value(const json& value, const std::string& key) {
  if (value.is_string()) {
    return value.get<std::string>();
  }
  if (value.is_array()) {
    std::string joined;
    bool any = false;
    for (const json& part : value) {
      const json* text = &part;
      if (part.is_object()) {
        auto it = part.find("text");
        if (it == part.end()) {
          continue;
        }
        text = &*it;
      }
      if (!text->is_string()) {
        continue;
      }
      if (any) {
        joined += '\n';
      }
      joined += text->get_ref<const std::string&>();
      any = true;
    }
    if (any) {
      return joined;
    }
    return fail(ErrorCode::kBadField, "field '" + key + "' holds no text part");
  }
  return fail(ErrorCode::kBadField,
              "field '" + key + "' is a " + value.type_name() + ", expected a string");
}

Result<std::string> session_value(const json& value, const std::string& key) {
  if (value.is_string()) {
    if (value.get_ref<const std::string&>().empty()) {
      return fail(ErrorCode::kMissingField, "session id field '" + key + "' is empty");
    }
    return value.get<std::string>();
  }
  if (value.is_number_integer()) {
    return value.dump();
  }
  return fail(ErrorCode::kBadField,
              "session id field '" + key + "' is a " + value.type_name() + ", expected a string");
}

}  // namespace

std::optional<Error> check_record_text(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      size_t length = utf8_sequence_length(text, i);
      if (length == 0) {
        return Error{ErrorCode::kBadEncoding,
                     "invalid UTF-8 at byte " + std::to_string(i + 1) + " of the record"};
      }
      i += length;
      escaped = false;
      continue;
    }
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxJsonDepth) {
        return Error{ErrorCode::kMalformedJson,
                     "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"};
      }
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
    ++i;
  }
  return std::nullopt;
}

const json* find_alias(const json& object, std::span<const std::string_view> aliases,
                       std::string* found_key) {
  if (!object.is_object()) {
    return nullptr;
  }
  for (std::string_view alias : aliases) {
    auto it = object.find(alias);
    if (it != object.end() && !it->is_null()) {
      if (found_key != nullptr) {
        *found_key = std::string(alias);
      }
      return &*it;
    }
  }
  return nullptr;
}

bool has_message_shape(const json& record) {
  return record.is_object() &&
         (find_alias(record, kSessionKeys) != nullptr || find_alias(record, kRoleKeys) != nullptr ||
          find_alias(record, kTextKeys) != nullptr);
}

Result<int64_t> parse_timestamp_value(const json& value) {
  if (value.is_string()) {
    return parse_timestamp_text(value.get_ref<const std::string&>());
  }
  if (value.is_number_unsigned() || value.is_number_integer()) {
    std::string digits = value.dump();
    if (!digits.empty() && digits.front() == '-') {
      return parse_epoch_double(value.get<double>());
    }
    return parse_timestamp_text(digits);
  }
  if (value.is_number_float()) {
    return parse_epoch_double(value.get<double>());
  }
  return fail(ErrorCode::kBadTimestamp,
              std::string("timestamp is a ") + value.type_name() + ", expected text or a number");
}

Result<core::Message> parse_message(const json& record, const MessageContext& context) {
  if (!record.is_object()) {
    return fail(record_error(
        ErrorCode::kUnknownShape,
        std::string("record is a JSON ") + record.type_name() + ", expected an object", context));
  }
  if (!context.session_id && !has_message_shape(record)) {
    return fail(record_error(ErrorCode::kUnknownShape,
                             "record has no session id, role or text field", context));
  }
  core::Message message;
  message.source = SourceLocation{context.file, context.line};

  std::string session_key;
  std::string role_key;
  std::string text_key;
  std::string timestamp_key;
  if (context.session_id) {
    message.session_id = *context.session_id;
  } else {
    const json* session = find_alias(record, kSessionKeys, &session_key);
    if (session == nullptr) {
      return fail(record_error(ErrorCode::kMissingField,
                               "missing session id (session_id, conversation_id, session or "
                               "thread_id)",
                               context));
    }
    auto id = session_value(*session, session_key);
    if (!id) {
      return fail(record_error(id.error().code, id.error().message, context));
    }
    message.session_id = std::move(*id);
  }

  const json* role = find_alias(record, kRoleKeys, &role_key);
  if (role == nullptr) {
    return fail(record_error(ErrorCode::kMissingField,
                             "missing role (role, sender_type, sender or author)", context));
  }
  if (!role->is_string()) {
    return fail(record_error(
        ErrorCode::kBadField,
        "role field '" + role_key + "' is a " + role->type_name() + ", expected a string",
        context));
  }
  auto parsed_role = core::parse_role(role->get_ref<const std::string&>());
  if (!parsed_role) {
    return fail(record_error(ErrorCode::kBadField,
                             "unknown role " + quoted(role->get_ref<const std::string&>()),
                             context));
  }
  message.role = *parsed_role;

  const json* text = find_alias(record, kTextKeys, &text_key);
  if (text == nullptr) {
    return fail(
        record_error(ErrorCode::kMissingField, "missing text (message, content or text)", context));
  }
  auto text_result = text_value(*text, text_key);
  if (!text_result) {
    return fail(record_error(text_result.error().code, text_result.error().message, context));
  }
  message.text = std::move(*text_result);

  const json* timestamp = find_alias(record, kTimestampKeys, &timestamp_key);
  if (timestamp != nullptr) {
    auto ns = parse_timestamp_value(*timestamp);
    if (!ns) {
      return fail(record_error(ErrorCode::kBadTimestamp,
                               "field '" + timestamp_key + "': " + ns.error().message, context));
    }
    message.timestamp_ns = *ns;
  } else if (context.fallback_timestamp_ns) {
    message.timestamp_ns = *context.fallback_timestamp_ns;
  } else {
    return fail(record_error(ErrorCode::kMissingField,
                             "missing timestamp (timestamp, ts, created_at or time)", context));
  }

  json metadata = json::object();
  if (context.inherited_metadata != nullptr && context.inherited_metadata->is_object()) {
    metadata = *context.inherited_metadata;
  }
  const json* explicit_metadata = nullptr;
  for (auto it = record.begin(); it != record.end(); ++it) {
    const std::string& key = it.key();
    if (key == session_key || key == role_key || key == text_key || key == timestamp_key) {
      continue;
    }
    if (key == "metadata") {
      if (it->is_object()) {
        explicit_metadata = &*it;
        continue;
      }
      if (it->is_null()) {
        continue;
      }
    }
    metadata[key] = *it;
  }
  if (explicit_metadata != nullptr) {
    for (auto it = explicit_metadata->begin(); it != explicit_metadata->end(); ++it) {
      metadata[it.key()] = *it;
    }
  }
  message.metadata = std::move(metadata);
  return message;
}

}  // namespace convaudit::ingest::internal
