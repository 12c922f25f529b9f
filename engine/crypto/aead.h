#pragma once
// AES-256-GCM authenticated encryption (OpenSSL EVP). Thread-safe.
//
// Sealed box layout: nonce (12 bytes, random) || ciphertext || tag (16 bytes).
// `aad` is authenticated, not encrypted; open() must be given the same aad.

#include <cstdint>
#include <span>
#include <vector>

#include "engine/core/result.h"

namespace convaudit::crypto {

inline constexpr size_t kAeadKeyBytes = 32;
inline constexpr size_t kAeadNonceBytes = 12;
inline constexpr size_t kAeadTagBytes = 16;

// Error kBadKey when the key is not 32 bytes, kCrypto on an OpenSSL failure.
Result<std::vector<uint8_t>> aead_seal(std::span<const uint8_t> key,
                                       std::span<const uint8_t> plaintext,
                                       std::span<const uint8_t> aad);
// Error kCrypto when the box is too short or authentication fails (wrong key, aad or a
// changed byte).
Result<std::vector<uint8_t>> aead_open(std::span<const uint8_t> key,
                                       std::span<const uint8_t> sealed,
                                       std::span<const uint8_t> aad);

// Cryptographically secure random bytes (RAND_bytes).
std::vector<uint8_t> random_bytes(size_t count);

}  // namespace convaudit::crypto
