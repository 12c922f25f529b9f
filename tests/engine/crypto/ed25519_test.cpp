#include "engine/crypto/ed25519.h"

#include <catch2/catch.hpp>

#include "engine/core/hex.h"

using namespace convaudit;

TEST_CASE("Ed25519 signs and verifies; any change fails", "[crypto][ed25519]") {
  auto key = crypto::SigningKey::generate();
  REQUIRE(key);
  std::string message = "DSSEv1 28 application/vnd.in-toto+json 2 {}";
  auto signature = key->sign(core::as_bytes(message));
  REQUIRE(signature);
  CHECK(signature->size() == 64);
  auto verify = key->verify_key();
  CHECK(verify.verify(core::as_bytes(message), *signature));

  std::string changed = message;
  changed[3] = 'X';
  CHECK_FALSE(verify.verify(core::as_bytes(changed), *signature));
  auto bad = *signature;
  bad[10] ^= 0x80;
  CHECK_FALSE(verify.verify(core::as_bytes(message), bad));
  CHECK_FALSE(verify.verify(core::as_bytes(message), std::vector<uint8_t>(63, 0)));

  auto other = crypto::SigningKey::generate();
  REQUIRE(other);
  CHECK_FALSE(other->verify_key().verify(core::as_bytes(message), *signature));
}

TEST_CASE("Ed25519 keys round-trip through PEM with a stable key id", "[crypto][ed25519]") {
  auto key = crypto::SigningKey::generate();
  REQUIRE(key);
  std::string private_pem = key->private_pem();
  CHECK(private_pem.find("-----BEGIN PRIVATE KEY-----") == 0);
  auto reloaded = crypto::SigningKey::from_pem(private_pem);
  REQUIRE(reloaded);
  CHECK(reloaded->key_id() == key->key_id());
  CHECK(key->key_id().size() == 16);

  auto pub = crypto::VerifyKey::from_pem(key->public_pem());
  REQUIRE(pub);
  CHECK(pub->key_id() == key->key_id());
  auto signature = reloaded->sign(core::as_bytes("hello"));
  REQUIRE(signature);
  CHECK(pub->verify(core::as_bytes("hello"), *signature));
}

TEST_CASE("non-Ed25519 or garbage PEM is a bad key", "[crypto][ed25519]") {
  auto garbage = crypto::SigningKey::from_pem("not a key");
  REQUIRE_FALSE(garbage);
  CHECK(garbage.error().code == ErrorCode::kBadKey);
  // A valid P-256 public key (openssl ecparam -name prime256v1): well-formed, wrong algorithm.
  const char* ec_pub =
      "-----BEGIN PUBLIC KEY-----\n"
      "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE9hgQJR9ohKr/Ww0Qwugi236DysU3\n"
      "U24gVEO6/7VWDcmsfVYOVOy4tj+Q3m1l518a225x8iFM3E+lEw6Pkte7gA==\n"
      "-----END PUBLIC KEY-----\n";
  auto ec = crypto::VerifyKey::from_pem(ec_pub);
  REQUIRE_FALSE(ec);
  CHECK(ec.error().code == ErrorCode::kBadKey);
}
