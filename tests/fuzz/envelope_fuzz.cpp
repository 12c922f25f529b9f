// Fuzz target: any bytes as a DSSE envelope. Verification must fail cleanly (never crash) and
// must never accept an envelope the key did not sign.

#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/crypto/ed25519.h"

#include "reports/envelope.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static auto key = convaudit::crypto::SigningKey::generate();
  if (!key) {
    __builtin_trap();
  }
  static const convaudit::crypto::VerifyKey pub = key->verify_key();
  std::string envelope(reinterpret_cast<const char*>(data), size);
  const std::string report = "{}";
  if (convaudit::reports::verify_envelope(envelope, pub, &report)) {
    __builtin_trap();  // nothing random can carry a valid signature of a fresh key
  }
  return 0;
}
