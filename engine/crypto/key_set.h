#pragma once
// The key folder (KEYDIR) contract from PRODUCT.md:
//   signing.key    Ed25519 private key, PEM, mode 0600
//   signing.pub    Ed25519 public key, PEM
//   pseudonym.key  HMAC-SHA256 key: 32 random bytes as 64 hex digits and a newline, mode 0600
//   vault.key      AES-256-GCM key:  32 random bytes as 64 hex digits and a newline, mode 0600
//   demo           present (empty) only in a demo key folder made on first use
//
// Key ids (the only thing outputs name): signing = VerifyKey::key_id(); pseudonym and vault =
// first 16 hex digits of SHA-256 over the key bytes.

#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/result.h"
#include "engine/crypto/ed25519.h"

namespace convaudit::crypto {

struct KeySet {
  SigningKey signing;
  std::vector<uint8_t> pseudonym_key;  // 32 bytes
  std::vector<uint8_t> vault_key;      // 32 bytes
  bool is_demo = false;

  std::string signing_key_id() const { return signing.key_id(); }
  std::string pseudonym_key_id() const;
  std::string vault_key_id() const;
};

struct KeygenOptions {
  bool demo = false;        // writes the `demo` marker file
  bool overwrite = false;   // refuse (kUsage) to replace existing keys unless set
};

// Creates KEYDIR (mode 0700) and the four files with the modes above.
Status generate_key_folder(const std::string& dir, const KeygenOptions& options);

// Loads all keys. Error kNotFound when a file is missing, kBadKey when one is malformed; the
// error names the file.
Result<KeySet> load_key_folder(const std::string& dir);

// Loads only signing.pub (or any Ed25519 public PEM file).
Result<VerifyKey> load_verify_key(const std::string& path);

// First 16 hex digits of SHA-256 over `key`.
std::string symmetric_key_id(const std::vector<uint8_t>& key);

}  // namespace convaudit::crypto
