#pragma once
// Vault: the encrypted, append-only token -> value store (spec: docs/vault-format.md).
//
// Each subject (token) has its own random 256-bit data key; the value is sealed under the data
// key and the data key is sealed (wrapped) under the vault key, both AES-256-GCM with the token
// as associated data. Records are appended whole, each with a length and a CRC-free AEAD check,
// so a torn last record is detected and ignored. An exclusive file lock (flock) is held while
// appending.
//
// Thread-safety: record() (MappingSink) is thread-safe; it buffers new entries in memory, and
// flush() appends them (the destructor flushes what is left, ignoring errors: call flush() to
// see them). reveal() reads the file. Sealing runs outside the lock record() takes.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"

#include "redaction/mapping_sink.h"
#include "redaction/pii_type.h"

namespace convaudit::redaction {

struct RevealedValue {
  PiiType type = PiiType::kEmail;
  std::string value;
};

class Vault : public MappingSink {
 public:
  // Opens (creating if absent) the vault at `path` and indexes its tokens. Error kBadKey for a
  // key that is not 32 bytes, kCrypto for a key that is not this vault's (header key check),
  // kVaultCorrupt for a file that is not a vault, kIo.
  static Result<std::unique_ptr<Vault>> open(const std::string& path,
                                             std::vector<uint8_t> vault_key);
  ~Vault() override;

  void record(const std::string& token, PiiType type, std::string_view value) override;
  // Appends every buffered new entry and fsyncs the file (also what append() wrote before):
  // durable when it returns. Error kTokenCollision if two different values produced the same
  // token (never silently merged), kIo.
  Status flush();
  // flush() without the fsync, for a long run that empties its buffer often (an fsync each time
  // cost a run seconds): the records are in the file, durable at the next flush(), which the
  // run calls before it commits any output that names their tokens. Same errors.
  Status append();
  // Drops every buffered new entry without writing it: for a run that fails before it writes
  // any output (its tokens name nothing anyone can read).
  void discard_pending();

  // Error kTokenUnknown, kSubjectErased, kCrypto (wrong vault key), kVaultCorrupt.
  Result<RevealedValue> reveal(std::string_view token) const;
  // Erases a subject (docs/vault-format.md, "Erasure"): under the file lock, appends a forget
  // record and overwrites the wrapped data key of every entry for `token` in place with zeros
  // (then fsync), so the value cannot be recovered even from the file. Afterwards reveal() gives
  // kSubjectErased and record() never stores the token again. Forgetting an erased token again
  // succeeds (it only re-zeroes key bytes a crash may have left). Error kTokenUnknown for a
  // token the vault never held, kVaultLocked, kIo.
  Status forget(std::string_view token);
  size_t size() const;  // distinct tokens known (stored + buffered)

 private:
  Status write_pending(bool sync);
  struct Impl;
  explicit Vault(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace convaudit::redaction
