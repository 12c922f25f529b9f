#pragma once
// SHA-256 (OpenSSL EVP behind a byte-span API). Thread-safe free functions.

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "engine/core/result.h"

namespace convaudit::crypto {

using Digest = std::array<uint8_t, 32>;

Digest sha256(std::span<const uint8_t> data);
Digest sha256(std::string_view data);
// Lower-case hex of sha256(data).
std::string sha256_hex(std::string_view data);

// Incremental hashing of a stream. One per thread; not copyable.
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;
  void update(std::span<const uint8_t> data);
  void update(std::string_view data);
  Digest finish();  // call once

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct FileDigest {
  std::string sha256_hex;
  uint64_t size_bytes = 0;
};

// Hashes a file's raw bytes (a .gz file is hashed as stored). Error kIo / kNotFound.
// With `stop`: gives up (kInternal, "stopped") once *stop is true, checked every 64 KiB read.
Result<FileDigest> sha256_file(const std::string& path, const std::atomic<bool>* stop = nullptr);

}  // namespace convaudit::crypto
