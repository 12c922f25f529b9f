#include "redaction/internal/vault_format.h"

#include "engine/crypto/sha256.h"

namespace convaudit::redaction::internal {
namespace {

void put_u16(std::string& out, uint16_t v) {
  out.push_back(static_cast<char>(v & 0xff));
  out.push_back(static_cast<char>(v >> 8));
}

void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) {
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
}

void put_u64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) {
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
}

class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  bool done() const { return pos_ == data_.size(); }
  std::optional<uint64_t> uint(size_t bytes) {
    if (data_.size() - pos_ < bytes) {
      return std::nullopt;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < bytes; ++i) {
      v |= static_cast<uint64_t>(static_cast<uint8_t>(data_[pos_ + i])) << (8 * i);
    }
    pos_ += bytes;
    return v;
  }
  std::optional<std::string_view> bytes(size_t n) {
    if (data_.size() - pos_ < n) {
      return std::nullopt;
    }
    std::string_view out = data_.substr(pos_, n);
    pos_ += n;
    return out;
  }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

std::vector<uint8_t> to_vector(std::string_view s) {
  return {s.begin(), s.end()};
}

std::optional<VaultRecord> parse_body(std::string_view body) {
  Reader r(body);
  auto kind = r.uint(1);
  auto token_len = r.uint(2);
  if (!kind || !token_len) {
    return std::nullopt;
  }
  auto token = r.bytes(*token_len);
  if (!token || token->empty()) {
    return std::nullopt;
  }
  VaultRecord record;
  record.token = std::string(*token);
  if (*kind == static_cast<uint64_t>(VaultRecordKind::kEntry)) {
    record.kind = VaultRecordKind::kEntry;
    auto type_len = r.uint(1);
    auto type = type_len ? r.bytes(*type_len) : std::nullopt;
    auto wrapped_len = type ? r.uint(4) : std::nullopt;
    auto wrapped = wrapped_len ? r.bytes(*wrapped_len) : std::nullopt;
    auto sealed_len = wrapped ? r.uint(4) : std::nullopt;
    auto sealed = sealed_len ? r.bytes(*sealed_len) : std::nullopt;
    if (!sealed) {
      return std::nullopt;
    }
    record.type_name = std::string(*type);
    record.wrapped_key = to_vector(*wrapped);
    record.sealed_value = to_vector(*sealed);
  } else if (*kind == static_cast<uint64_t>(VaultRecordKind::kForget)) {
    record.kind = VaultRecordKind::kForget;
    auto at = r.uint(8);
    if (!at) {
      return std::nullopt;
    }
    record.erased_at_ns = static_cast<int64_t>(*at);
  } else {
    return std::nullopt;
  }
  if (!r.done()) {
    return std::nullopt;
  }
  return record;
}

}  // namespace

std::vector<uint8_t> vault_key_check(std::span<const uint8_t> vault_key) {
  std::string input("convaudit-vault-key-check");
  input.push_back('\0');
  input.append(reinterpret_cast<const char*>(vault_key.data()), vault_key.size());
  const crypto::Digest digest = crypto::sha256(std::string_view(input));
  return {digest.begin(), digest.begin() + kVaultKeyCheckBytes};
}

std::string encode_vault_header(std::span<const uint8_t> vault_key) {
  std::string out(kVaultMagic);
  put_u16(out, kVaultVersion);
  put_u16(out, 0);
  const std::vector<uint8_t> check = vault_key_check(vault_key);
  out.append(check.begin(), check.end());
  return out;
}

std::string encode_vault_record(const VaultRecord& record) {
  std::string body;
  body.push_back(static_cast<char>(record.kind));
  put_u16(body, static_cast<uint16_t>(record.token.size()));
  body += record.token;
  if (record.kind == VaultRecordKind::kEntry) {
    body.push_back(static_cast<char>(record.type_name.size()));
    body += record.type_name;
    put_u32(body, static_cast<uint32_t>(record.wrapped_key.size()));
    body.append(record.wrapped_key.begin(), record.wrapped_key.end());
    put_u32(body, static_cast<uint32_t>(record.sealed_value.size()));
    body.append(record.sealed_value.begin(), record.sealed_value.end());
  } else {
    put_u64(body, static_cast<uint64_t>(record.erased_at_ns));
  }
  std::string out;
  put_u32(out, static_cast<uint32_t>(body.size()));
  return out + body;
}

VaultScan scan_vault_records(std::string_view data) {
  VaultScan scan;
  size_t pos = 0;
  while (pos < data.size()) {
    Reader r(data.substr(pos));
    auto length = r.uint(4);
    if (!length || *length > kVaultMaxBodyBytes || data.size() - pos - 4 < *length) {
      // Short: a torn append, unless a sane length points past the end... which is also torn.
      if (length && *length > kVaultMaxBodyBytes && data.size() - pos - 4 >= kVaultMaxBodyBytes) {
        scan.corrupt = true;
        scan.corrupt_offset = pos;
      }
      break;
    }
    auto record = parse_body(data.substr(pos + 4, *length));
    const size_t next = pos + 4 + *length;
    if (!record) {
      if (next < data.size()) {
        scan.corrupt = true;
        scan.corrupt_offset = pos;
      }
      break;
    }
    scan.records.push_back(std::move(*record));
    pos = next;
    scan.valid_bytes = pos;
  }
  return scan;
}

}  // namespace convaudit::redaction::internal
