#include "engine/crypto/hmac.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "engine/core/check.h"

namespace convaudit::crypto {

Digest hmac_sha256(std::span<const uint8_t> key, std::string_view data) {
  Digest digest{};
  unsigned int length = 0;
  // HMAC() with an empty key still needs a non-null pointer.
  static const uint8_t kEmpty = 0;
  const uint8_t* key_data = key.empty() ? &kEmpty : key.data();
  const uint8_t* result = HMAC(EVP_sha256(), key_data, static_cast<int>(key.size()),
                               reinterpret_cast<const unsigned char*>(data.data()), data.size(),
                               digest.data(), &length);
  CONVAUDIT_CHECK(result != nullptr && length == digest.size());
  return digest;
}

}  // namespace convaudit::crypto
