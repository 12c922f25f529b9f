#include "engine/crypto/aead.h"

#include <string>

#include <catch2/catch.hpp>

#include "engine/core/hex.h"

using namespace convaudit;

namespace {
std::vector<uint8_t> bytes(std::string_view text) {
  auto span = core::as_bytes(text);
  return {span.begin(), span.end()};
}
}  // namespace

TEST_CASE("aead round-trips and binds the associated data", "[crypto][aead]") {
  auto key = crypto::random_bytes(32);
  auto sealed = crypto::aead_seal(key, bytes("4111 1111 1111 1111"), bytes("<CARD_abc>"));
  REQUIRE(sealed);
  CHECK(sealed->size() == crypto::kAeadNonceBytes + 19 + crypto::kAeadTagBytes);
  auto opened = crypto::aead_open(key, *sealed, bytes("<CARD_abc>"));
  REQUIRE(opened);
  CHECK(std::string(opened->begin(), opened->end()) == "4111 1111 1111 1111");

  auto wrong_aad = crypto::aead_open(key, *sealed, bytes("<CARD_abd>"));
  REQUIRE_FALSE(wrong_aad);
  CHECK(wrong_aad.error().code == ErrorCode::kCrypto);
}

TEST_CASE("aead detects every changed byte and a wrong key", "[crypto][aead]") {
  auto key = crypto::random_bytes(32);
  auto sealed = crypto::aead_seal(key, bytes("secret value"), {});
  REQUIRE(sealed);
  for (size_t i = 0; i < sealed->size(); ++i) {
    auto changed = *sealed;
    changed[i] ^= 0x01;
    INFO("byte " << i);
    CHECK_FALSE(crypto::aead_open(key, changed, {}));
  }
  auto other = crypto::random_bytes(32);
  CHECK_FALSE(crypto::aead_open(other, *sealed, {}));
  CHECK_FALSE(crypto::aead_open(key, std::vector<uint8_t>(10, 0), {}));
}

TEST_CASE("aead uses a fresh nonce and rejects bad keys", "[crypto][aead]") {
  auto key = crypto::random_bytes(32);
  auto a = crypto::aead_seal(key, bytes("same"), {});
  auto b = crypto::aead_seal(key, bytes("same"), {});
  REQUIRE(a);
  REQUIRE(b);
  CHECK(*a != *b);
  auto empty = crypto::aead_seal(key, {}, {});
  REQUIRE(empty);
  auto opened = crypto::aead_open(key, *empty, {});
  REQUIRE(opened);
  CHECK(opened->empty());
  auto bad = crypto::aead_seal(crypto::random_bytes(16), bytes("x"), {});
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == ErrorCode::kBadKey);
}
