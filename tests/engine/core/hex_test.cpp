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

TEST_CASE("hex digit values and UTF-8 encoding of code points", "[core][hex]") {
  using convaudit::core::append_utf8;
  using convaudit::core::hex_digit_value;
  CHECK(hex_digit_value('0') == 0);
  CHECK(hex_digit_value('9') == 9);
  CHECK(hex_digit_value('a') == 10);
  CHECK(hex_digit_value('F') == 15);
  CHECK(hex_digit_value('g') == -1);
  CHECK(hex_digit_value(' ') == -1);
  std::string out;
  for (uint32_t code : {0x41u, 0xE9u, 0x20ACu, 0x1F600u}) {
    append_utf8(out, code);
  }
  CHECK(out == "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
}
