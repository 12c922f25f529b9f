#pragma once
// Pseudonymizer: keyed, deterministic tokens for PII values.
//
// Token format: "<" TYPE "_" HEX ">" where HEX is the first 18 hex digits (72 bits) of
// HMAC-SHA256(key, TYPE ":" normalized_value). E.g. <EMAIL_4f9c0a1e7b2d3c6a55>.
// 72 bits: for ten million distinct values the birthday bound gives a collision probability of
// n^2 / 2^73 ~= 1.1e-8, below PRODUCT.md's one in a million. Without the key nobody can confirm a
// guess. Immutable; safe to share between threads.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "redaction/pii_type.h"

namespace convaudit::redaction {

inline constexpr size_t kTokenHexDigits = 18;

class Pseudonymizer {
 public:
  explicit Pseudonymizer(std::vector<uint8_t> key);
  std::string token(PiiType type, std::string_view normalized_value) const;

 private:
  std::vector<uint8_t> key_;
};

// true when `text` is exactly one token of the format above.
bool is_token(std::string_view text);

}  // namespace convaudit::redaction
