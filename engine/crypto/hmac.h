#pragma once
// HMAC-SHA256 (OpenSSL). Thread-safe.

#include <cstdint>
#include <span>
#include <string_view>

#include "engine/crypto/sha256.h"

namespace convaudit::crypto {

Digest hmac_sha256(std::span<const uint8_t> key, std::string_view data);

}  // namespace convaudit::crypto
