#include "redaction/pseudonymizer.h"

#include <utility>

#include "engine/core/hex.h"
#include "engine/crypto/hmac.h"

namespace convaudit::redaction {

Pseudonymizer::Pseudonymizer(std::vector<uint8_t> key) : key_(std::move(key)) {}

std::string Pseudonymizer::token(PiiType type, std::string_view normalized_value) const {
  const std::string_view name = pii_type_name(type);
  std::string message;
  message.reserve(name.size() + 1 + normalized_value.size());
  message.append(name).append(":").append(normalized_value);
  const crypto::Digest mac = crypto::hmac_sha256(key_, message);
  const std::string hex = core::to_hex(mac);
  std::string out;
  out.reserve(name.size() + kTokenHexDigits + 3);
  out.append("<").append(name).append("_").append(hex, 0, kTokenHexDigits).append(">");
  return out;
}

bool is_token(std::string_view text) {
  if (text.size() < kTokenHexDigits + 4 || text.front() != '<' || text.back() != '>') {
    return false;
  }
  const size_t underscore = text.size() - 2 - kTokenHexDigits;
  if (text[underscore] != '_') {
    return false;
  }
  if (!parse_pii_type(text.substr(1, underscore - 1))) {
    return false;
  }
  for (char c : text.substr(underscore + 1, kTokenHexDigits)) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    if (!hex) {
      return false;
    }
  }
  return true;
}

}  // namespace convaudit::redaction
