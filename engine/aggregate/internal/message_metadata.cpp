#include "engine/aggregate/internal/message_metadata.h"

#include <charconv>
#include <limits>
#include <optional>
#include <string_view>
#include <system_error>

#include "engine/aggregate/internal/fixed_point.h"

namespace convaudit::aggregate::internal {
namespace {

using nlohmann::json;

std::optional<double> read_number(const json& value) {
  if (value.is_number()) {
    return value.get<double>();
  }
  if (!value.is_string()) {
    return std::nullopt;
  }
  const std::string& text = value.get_ref<const std::string&>();
  double parsed = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, parsed);
  if (ec != std::errc() || ptr != end || text.empty()) {
    return std::nullopt;
  }
  return parsed;
}

// Integers are taken exactly; floats and numeric strings are rounded to the nearest integer.
std::optional<int64_t> read_integer(const json& value) {
  if (value.is_number_unsigned()) {
    auto unsigned_value = value.get<uint64_t>();
    if (unsigned_value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return std::nullopt;
    }
    return static_cast<int64_t>(unsigned_value);
  }
  if (value.is_number_integer()) {
    return value.get<int64_t>();
  }
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    int64_t parsed = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, parsed);
    if (ec == std::errc() && ptr == end && !text.empty()) {
      return parsed;
    }
  }
  auto number = read_number(value);
  if (!number) {
    return std::nullopt;
  }
  return round_to_int64(*number);
}

const json* find_field(const json& object, std::string_view key) {
  if (!object.is_object()) {
    return nullptr;
  }
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

bool is_truthy(const json& value) {
  if (value.is_boolean()) {
    return value.get<bool>();
  }
  if (value.is_number()) {
    return value.get<double>() != 0.0;
  }
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    return !text.empty() && text != "false" && text != "0";
  }
  if (value.is_object() || value.is_array()) {
    return !value.empty();
  }
  return false;
}

bool is_error_message(const json& metadata) {
  if (const json* error = find_field(metadata, "error"); error && is_truthy(*error)) {
    return true;
  }
  const json* status = find_field(metadata, "status");
  return status != nullptr && status->is_string() &&
         status->get_ref<const std::string&>() == "error";
}

std::optional<int64_t> read_tokens(const json& metadata) {
  if (const json* tokens = find_field(metadata, "tokens")) {
    if (auto count = read_integer(*tokens)) {
      return count;
    }
  }
  const json* usage = find_field(metadata, "usage");
  if (usage == nullptr) {
    return std::nullopt;
  }
  if (const json* total = find_field(*usage, "total_tokens")) {
    if (auto count = read_integer(*total)) {
      return count;
    }
  }
  std::optional<int64_t> prompt;
  std::optional<int64_t> completion;
  if (const json* field = find_field(*usage, "prompt_tokens")) {
    prompt = read_integer(*field);
  }
  if (const json* field = find_field(*usage, "completion_tokens")) {
    completion = read_integer(*field);
  }
  if (!prompt && !completion) {
    return std::nullopt;
  }
  return saturating_add(prompt.value_or(0), completion.value_or(0));
}

std::optional<int64_t> read_cost_micros(const json& metadata) {
  const json* cost = find_field(metadata, "cost_usd");
  if (cost == nullptr) {
    return std::nullopt;
  }
  auto usd = read_number(*cost);
  return usd ? to_micros(*usd) : std::nullopt;
}

// Negative latencies are broken clocks, not measurements: nullopt like a missing value.
std::optional<int64_t> read_latency_ms(const json& metadata) {
  const json* latency = find_field(metadata, "latency_ms");
  if (latency == nullptr) {
    return std::nullopt;
  }
  auto ms = read_integer(*latency);
  if (!ms || *ms < 0) {
    return std::nullopt;
  }
  return ms;
}

std::string slice_key(const json& metadata, std::string_view key) {
  const json* value = find_field(metadata, key);
  if (value == nullptr) {
    return std::string(kNoSlice);
  }
  if (value->is_string()) {
    const std::string& text = value->get_ref<const std::string&>();
    return text.empty() ? std::string(kNoSlice) : text;
  }
  if (value->is_number() || value->is_boolean()) {
    return value->dump();
  }
  return std::string(kNoSlice);
}

}  // namespace

bool is_attack_blocked(const json& metadata) {
  const json* flag = find_field(metadata, "attack_blocked");
  if (flag == nullptr) {
    return false;
  }
  return (flag->is_boolean() && flag->get<bool>()) ||
         (flag->is_string() && flag->get_ref<const std::string&>() == "true");
}

MessageMetadata read_message_metadata(const json& metadata) {
  MessageMetadata result;
  result.model = slice_key(metadata, "model");
  result.prompt_version = slice_key(metadata, "prompt_version");
  result.channel = slice_key(metadata, "channel");
  result.is_error = is_error_message(metadata);
  result.attack_blocked = is_attack_blocked(metadata);
  result.tokens = read_tokens(metadata).value_or(0);
  result.cost_micros = read_cost_micros(metadata).value_or(0);
  result.latency_ms = read_latency_ms(metadata).value_or(-1);
  return result;
}

}  // namespace convaudit::aggregate::internal
