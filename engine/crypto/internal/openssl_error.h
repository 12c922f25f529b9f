#pragma once
// The one place OpenSSL's error queue becomes text. Internal to engine/crypto.

#include <string>

namespace convaudit::crypto::internal {

// Drains the OpenSSL error queue into "what: reason; reason" (or just `what`).
std::string openssl_error(const std::string& what);

}  // namespace convaudit::crypto::internal
