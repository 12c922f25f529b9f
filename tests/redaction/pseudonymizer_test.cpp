#include "redaction/pseudonymizer.h"

#include <catch2/catch.hpp>

#include "engine/core/hex.h"
#include "engine/crypto/hmac.h"

using convaudit::redaction::is_token;
using convaudit::redaction::PiiType;
using convaudit::redaction::Pseudonymizer;

namespace {
std::vector<uint8_t> key(uint8_t fill) {
  return std::vector<uint8_t>(32, fill);
}
}  // namespace

TEST_CASE("token format and HMAC input", "[redaction][pseudonymizer]") {
  Pseudonymizer p(key(7));
  const std::string token = p.token(PiiType::kEmail, "jane@example.com");
  const std::string mac =
      convaudit::core::to_hex(convaudit::crypto::hmac_sha256(key(7), "EMAIL:jane@example.com"));
  CHECK(token == "<EMAIL_" + mac.substr(0, 18) + ">");
  CHECK(p.token(PiiType::kIpAddress, "10.0.0.1").rfind("<IP_", 0) == 0);
  CHECK(p.token(PiiType::kUrlCredentials, "x").rfind("<URLCRED_", 0) == 0);
}

TEST_CASE("tokens are deterministic and depend on key, type and value",
          "[redaction][pseudonymizer]") {
  Pseudonymizer a(key(1));
  Pseudonymizer a2(key(1));
  Pseudonymizer b(key(2));
  CHECK(a.token(PiiType::kPhone, "+15551234567") == a2.token(PiiType::kPhone, "+15551234567"));
  CHECK(a.token(PiiType::kPhone, "+15551234567") != b.token(PiiType::kPhone, "+15551234567"));
  CHECK(a.token(PiiType::kPhone, "+15551234567") != a.token(PiiType::kPhone, "+15551234568"));
  // Same digits, different type: different tokens (the type is inside the HMAC input).
  CHECK(a.token(PiiType::kCard, "4111").substr(6) != a.token(PiiType::kSsn, "4111").substr(5));
}

TEST_CASE("is_token", "[redaction][pseudonymizer]") {
  Pseudonymizer p(key(3));
  CHECK(is_token(p.token(PiiType::kAddress, "1 Main St")));
  CHECK(is_token("<EMAIL_4f9c0a1e7b2d3c6a55>"));
  CHECK_FALSE(is_token("<EMAIL_4f9c0a1e7b2d3c6a5>"));   // 17 hex
  CHECK_FALSE(is_token("<EMAIL_4F9C0A1E7B2D3C6A55>"));  // upper-case hex
  CHECK_FALSE(is_token("<FOO_4f9c0a1e7b2d3c6a55>"));    // unknown type
  CHECK_FALSE(is_token(" <EMAIL_4f9c0a1e7b2d3c6a55>"));
  CHECK_FALSE(is_token("EMAIL_4f9c0a1e7b2d3c6a55"));
  CHECK_FALSE(is_token(""));
}
