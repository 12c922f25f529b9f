#include "engine/crypto/hmac.h"

#include <catch2/catch.hpp>

#include "engine/core/hex.h"

using namespace convaudit;

TEST_CASE("hmac_sha256 matches RFC 4231 test cases", "[crypto][hmac]") {
  // Test case 1: key = 0x0b * 20, data = "Hi There".
  std::vector<uint8_t> key1(20, 0x0b);
  CHECK(core::to_hex(crypto::hmac_sha256(key1, "Hi There")) ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // Test case 2: key = "Jefe".
  std::string jefe = "Jefe";
  CHECK(core::to_hex(crypto::hmac_sha256(core::as_bytes(jefe), "what do ya want for nothing?")) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("hmac_sha256 depends on the key", "[crypto][hmac]") {
  std::vector<uint8_t> a(32, 1);
  std::vector<uint8_t> b(32, 2);
  CHECK(crypto::hmac_sha256(a, "alice@example.com") != crypto::hmac_sha256(b, "alice@example.com"));
  CHECK(crypto::hmac_sha256(a, "alice@example.com") == crypto::hmac_sha256(a, "alice@example.com"));
}
