#pragma once
// The vault file's byte layout (spec: docs/vault-format.md): encoding and decoding only, no I/O.
//
//   header  = "CAVAULT\n" (8) | version u16 LE (1) | reserved u16 (0) | key check (16)
//   record  = body length u32 LE | body
//   body    = kind u8 | token length u16 LE | token
//             kind 1 (entry):  type length u8 | type name | wrapped length u32 LE | wrapped key
//                              | sealed length u32 LE | sealed value
//             kind 2 (forget): erased at, ns since the epoch, i64 LE

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace convaudit::redaction::internal {

inline constexpr std::string_view kVaultMagic = "CAVAULT\n";
inline constexpr uint16_t kVaultVersion = 1;
inline constexpr size_t kVaultKeyCheckBytes = 16;
inline constexpr size_t kVaultHeaderBytes = 8 + 2 + 2 + kVaultKeyCheckBytes;
inline constexpr uint32_t kVaultMaxBodyBytes = 16U << 20;

enum class VaultRecordKind : uint8_t { kEntry = 1, kForget = 2 };

struct VaultRecord {
  VaultRecordKind kind = VaultRecordKind::kEntry;
  std::string token;
  std::string type_name;              // entry only
  std::vector<uint8_t> wrapped_key;   // entry only: aead_seal(vault_key, data_key, aad=token)
  std::vector<uint8_t> sealed_value;  // entry only: aead_seal(data_key, value, aad=token)
  int64_t erased_at_ns = 0;           // forget only
};

// The 16-byte key check stored in the header: SHA-256("convaudit-vault-key-check\0" || key).
std::vector<uint8_t> vault_key_check(std::span<const uint8_t> vault_key);
std::string encode_vault_header(std::span<const uint8_t> vault_key);

// Length prefix included.
std::string encode_vault_record(const VaultRecord& record);

struct VaultScan {
  std::vector<VaultRecord> records;
  size_t valid_bytes = 0;  // bytes of `data` consumed by whole, well-formed records
  bool corrupt = false;    // a malformed record that is not the last one
  size_t corrupt_offset = 0;
};

// Parses records from `data` (which starts at a record boundary). A short or malformed final
// record (a torn append) ends the scan without error; a malformed record followed by more bytes
// sets `corrupt`.
VaultScan scan_vault_records(std::string_view data);

}  // namespace convaudit::redaction::internal
