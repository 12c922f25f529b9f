#pragma once
// Ed25519 keys (OpenSSL EVP_PKEY), loaded from and written to PEM (PKCS#8 private,
// SubjectPublicKeyInfo public). Key objects are immutable once made and safe to share.
//
// Key id: the first 16 hex digits of SHA-256 over the raw 32-byte public key.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"

namespace convaudit::crypto {

class VerifyKey;

class SigningKey {
 public:
  static Result<SigningKey> generate();
  // Error kBadKey when the PEM is not an Ed25519 private key.
  static Result<SigningKey> from_pem(std::string_view pem);
  SigningKey(SigningKey&&) noexcept;
  SigningKey& operator=(SigningKey&&) noexcept;
  ~SigningKey();

  std::string private_pem() const;
  std::string public_pem() const;
  std::string key_id() const;
  VerifyKey verify_key() const;
  Result<std::vector<uint8_t>> sign(std::span<const uint8_t> message) const;  // 64 bytes

 private:
  struct Impl;
  explicit SigningKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class VerifyKey {
 public:
  // Error kBadKey when the PEM is not an Ed25519 public key.
  static Result<VerifyKey> from_pem(std::string_view pem);
  VerifyKey(VerifyKey&&) noexcept;
  VerifyKey& operator=(VerifyKey&&) noexcept;
  ~VerifyKey();

  std::string public_pem() const;
  std::string key_id() const;
  // true only for a valid signature of exactly `message`.
  bool verify(std::span<const uint8_t> message, std::span<const uint8_t> signature) const;

 private:
  friend class SigningKey;
  struct Impl;
  explicit VerifyKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace convaudit::crypto
