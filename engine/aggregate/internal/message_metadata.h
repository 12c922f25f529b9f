#pragma once
// MessageMetadata: what one message's free-form metadata says for the operations figures and
// incident blocking. The keys and accepted value shapes are listed in aggregator.h; anything
// unusable reads as absent, never as an error.

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace convaudit::aggregate::internal {

// Slice key of a message without the field (or with null, "" or a non-scalar value).
inline constexpr const char* kNoSlice = "(none)";

struct MessageMetadata {
  std::string model = kNoSlice;
  std::string prompt_version = kNoSlice;
  std::string channel = kNoSlice;
  bool is_error = false;
  bool attack_blocked = false;
  int64_t tokens = 0;       // 0 when absent
  int64_t cost_micros = 0;  // 0 when absent
  int64_t latency_ms = -1;  // -1 when absent, unparseable or negative
};

// `metadata` is normally a JSON object; any other value reads as all-absent.
MessageMetadata read_message_metadata(const nlohmann::json& metadata);
// attack_blocked is true or "true".
bool is_attack_blocked(const nlohmann::json& metadata);

}  // namespace convaudit::aggregate::internal
