#include "engine/core/hex.h"

#include <catch2/catch.hpp>

using namespace convaudit::core;

TEST_CASE("hex round trip", "[core][hex]") {
  std::vector<uint8_t> bytes{0x00, 0x0f, 0xa5, 0xff};
  CHECK(to_hex(bytes) == "000fa5ff");
  CHECK(*from_hex("000FA5ff") == bytes);
  CHECK_FALSE(from_hex("abc"));
  CHECK_FALSE(from_hex("zz"));
}

TEST_CASE("base64 matches RFC 4648 vectors", "[core][base64]") {
  CHECK(to_base64(as_bytes("")) == "");
  CHECK(to_base64(as_bytes("f")) == "Zg==");
  CHECK(to_base64(as_bytes("fo")) == "Zm8=");
  CHECK(to_base64(as_bytes("foo")) == "Zm9v");
  CHECK(to_base64(as_bytes("foobar")) == "Zm9vYmFy");
  auto decoded = from_base64("Zm9vYmE=");
  REQUIRE(decoded);
  CHECK(std::string(decoded->begin(), decoded->end()) == "fooba");
  CHECK_FALSE(from_base64("Zm9"));
  CHECK_FALSE(from_base64("Zm=v"));
  CHECK_FALSE(from_base64("Zm9v!A=="));
}
