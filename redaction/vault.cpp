#include "redaction/vault.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/core/hex.h"
#include "engine/crypto/aead.h"
#include "engine/crypto/sha256.h"

#include "redaction/internal/vault_format.h"

namespace convaudit::redaction {
namespace {

using internal::VaultRecord;
using internal::VaultRecordKind;

constexpr auto kLockTimeout = std::chrono::seconds(30);

// An open file descriptor holding a flock; both released on destruction.
class LockedFile {
 public:
  LockedFile() = default;
  LockedFile(const LockedFile&) = delete;
  LockedFile& operator=(const LockedFile&) = delete;
  ~LockedFile() {
    if (fd_ >= 0) {
      ::flock(fd_, LOCK_UN);
      ::close(fd_);
    }
  }

  Status open(const std::string& path, int flags, int lock) {
    fd_ = ::open(path.c_str(), flags | O_CLOEXEC, 0600);
    if (fd_ < 0) {
      return fail(ErrorCode::kIo, std::string("cannot open vault: ") + std::strerror(errno),
                  {path});
    }
    const auto deadline = std::chrono::steady_clock::now() + kLockTimeout;
    while (::flock(fd_, lock | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK && errno != EINTR) {
        return fail(ErrorCode::kIo, std::string("cannot lock vault: ") + std::strerror(errno),
                    {path});
      }
      if (std::chrono::steady_clock::now() > deadline) {
        return fail(ErrorCode::kVaultLocked, "vault is locked by another process", {path});
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return ok_status();
  }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

Result<std::string> read_from(int fd, off_t offset, const std::string& path) {
  std::string out;
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::pread(fd, buffer, sizeof buffer, offset);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return fail(ErrorCode::kIo, std::string("cannot read vault: ") + std::strerror(errno),
                  {path});
    }
    if (n == 0) {
      return out;
    }
    out.append(buffer, static_cast<size_t>(n));
    offset += n;
  }
}

Status sync_file(int fd, const std::string& path) {
  if (::fsync(fd) != 0) {
    return fail(ErrorCode::kIo, std::string("cannot sync vault: ") + std::strerror(errno), {path});
  }
  return ok_status();
}

// Writes `data` at `offset`, then fsyncs unless `sync` is false (the caller syncs later).
Status write_at(int fd, std::string_view data, off_t offset, const std::string& path,
                bool sync = true) {
  while (!data.empty()) {
    const ssize_t n = ::pwrite(fd, data.data(), data.size(), offset);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return fail(ErrorCode::kIo, std::string("cannot write vault: ") + std::strerror(errno),
                  {path});
    }
    data.remove_prefix(static_cast<size_t>(n));
    offset += n;
  }
  return sync ? sync_file(fd, path) : ok_status();
}

std::span<const uint8_t> token_aad(const std::string& token) {
  return core::as_bytes(token);
}

crypto::Digest value_digest(std::string_view value) {
  return crypto::sha256(value);
}

uint32_t get_u32(std::string_view data, size_t at) {
  return static_cast<uint32_t>(static_cast<uint8_t>(data[at])) |
         static_cast<uint32_t>(static_cast<uint8_t>(data[at + 1])) << 8 |
         static_cast<uint32_t>(static_cast<uint8_t>(data[at + 2])) << 16 |
         static_cast<uint32_t>(static_cast<uint8_t>(data[at + 3])) << 24;
}

struct ByteSpan {
  size_t offset = 0;
  size_t length = 0;
};

// Where the wrapped data key of every entry record for `token` lies in `data` (the whole file),
// walking the length prefixes of the records in [from, end), which holds whole records only.
std::vector<ByteSpan> wrapped_key_spans(std::string_view data, size_t from, size_t end,
                                        std::string_view token) {
  std::vector<ByteSpan> spans;
  size_t pos = from;
  while (pos + 4 <= end) {
    const size_t body_at = pos + 4;
    const size_t length = get_u32(data, pos);
    if (length > end - body_at) {
      break;
    }
    const std::string_view body = data.substr(body_at, length);
    pos = body_at + length;
    if (body.size() < 3 ||
        static_cast<uint8_t>(body[0]) != static_cast<uint8_t>(VaultRecordKind::kEntry)) {
      continue;
    }
    const size_t token_length = static_cast<size_t>(static_cast<uint8_t>(body[1])) |
                                static_cast<size_t>(static_cast<uint8_t>(body[2])) << 8;
    if (3 + token_length + 1 > body.size() || body.substr(3, token_length) != token) {
      continue;
    }
    size_t at = 3 + token_length;
    at += 1 + static_cast<uint8_t>(body[at]);
    if (at + 4 > body.size()) {
      continue;
    }
    const size_t wrapped_length = get_u32(body, at);
    at += 4;
    if (wrapped_length > body.size() - at) {
      continue;
    }
    spans.push_back(ByteSpan{body_at + at, wrapped_length});
  }
  return spans;
}

struct Stored {
  std::string type_name;
  std::vector<uint8_t> wrapped_key;
  std::vector<uint8_t> sealed_value;
  bool erased = false;
  std::optional<crypto::Digest> digest;  // of the plaintext, once decrypted or written here
  // An entry this process appended keeps only its digest (collision checks) and where its
  // record lies in the file; the sealed key and value are read back from there if it is
  // revealed. A run that hands out many new tokens then holds ~110 bytes less per token.
  off_t record_at = -1;
  size_t record_size = 0;
};

struct Pending {
  PiiType type = PiiType::kEmail;
  std::string value;
};

// A pending entry sealed and encoded, ready to append, with what the vault keeps of it.
struct Sealed {
  const std::string* token = nullptr;
  std::string bytes;  // the encoded record
  Stored entry;
};

}  // namespace

struct Vault::Impl {
  std::string path;
  std::vector<uint8_t> key;
  mutable std::mutex mutex;  // everything below
  std::mutex flush_mutex;    // one flush(), append() or forget() at a time; taken before `mutex`
  bool unsynced = false;     // append() wrote records the next flush() must fsync
  std::unordered_map<std::string, Stored> stored;
  std::vector<std::string> pending_order;
  std::unordered_map<std::string, Pending> pending;
  std::vector<std::string> collisions;
  off_t scanned_end = 0;

  // Indexes the records in `data` (the file's bytes from scanned_end); returns the offset where
  // whole records end.
  Result<off_t> index(std::string_view data) {
    internal::VaultScan scan = internal::scan_vault_records(data);
    if (scan.corrupt) {
      return fail(ErrorCode::kVaultCorrupt,
                  "malformed vault record at byte " +
                      std::to_string(static_cast<size_t>(scanned_end) + scan.corrupt_offset),
                  {path});
    }
    for (VaultRecord& record : scan.records) {
      if (record.kind == VaultRecordKind::kForget) {
        stored[record.token].erased = true;
        stored[record.token].wrapped_key.clear();
        stored[record.token].sealed_value.clear();
        continue;
      }
      auto [it, inserted] = stored.try_emplace(record.token);
      if (inserted) {
        it->second.type_name = std::move(record.type_name);
        it->second.wrapped_key = std::move(record.wrapped_key);
        it->second.sealed_value = std::move(record.sealed_value);
      }
    }
    scanned_end += static_cast<off_t>(scan.valid_bytes);
    return scanned_end;
  }

  // The sealed key and value of an entry this process appended, read back from its record.
  Result<VaultRecord> reread(const std::string& token, const Stored& entry) const {
    LockedFile file;
    if (auto st = file.open(path, O_RDONLY, LOCK_SH); !st) {
      return fail(st.error());
    }
    std::string data(entry.record_size, '\0');
    const ssize_t got = ::pread(file.fd(), data.data(), data.size(), entry.record_at);
    if (got != static_cast<ssize_t>(data.size())) {
      return fail(ErrorCode::kIo, "cannot read back the vault record of " + token, {path});
    }
    internal::VaultScan scan = internal::scan_vault_records(data);
    if (scan.corrupt || scan.records.size() != 1 || scan.records[0].token != token ||
        scan.records[0].kind != VaultRecordKind::kEntry) {
      return fail(ErrorCode::kVaultCorrupt, "the vault record of " + token + " has changed",
                  {path});
    }
    return std::move(scan.records[0]);
  }

  Result<std::string> decrypt(const std::string& token, const Stored& entry) const {
    if (entry.record_at < 0) {
      return open_sealed(token, entry.wrapped_key, entry.sealed_value);
    }
    auto record = reread(token, entry);
    if (!record) {
      return fail(record.error());
    }
    return open_sealed(token, record->wrapped_key, record->sealed_value);
  }

  Result<std::string> open_sealed(const std::string& token, const std::vector<uint8_t>& wrapped_key,
                                  const std::vector<uint8_t>& sealed_value) const {
    auto data_key = crypto::aead_open(key, wrapped_key, token_aad(token));
    if (!data_key) {
      return fail(ErrorCode::kCrypto,
                  "cannot unwrap the data key of " + token + " (wrong vault key or damaged record)",
                  {path});
    }
    auto value = crypto::aead_open(*data_key, sealed_value, token_aad(token));
    if (!value) {
      return fail(ErrorCode::kCrypto, "cannot decrypt the value of " + token, {path});
    }
    return std::string(value->begin(), value->end());
  }

  // Whether `value` is the value already stored for `token` (decrypting it once).
  bool same_as_stored(const std::string& token, Stored& entry, std::string_view value) const {
    if (!entry.digest) {
      auto plain = decrypt(token, entry);
      if (!plain) {
        return false;
      }
      entry.digest = value_digest(*plain);
    }
    return *entry.digest == value_digest(value);
  }

  // Seals `entry` under a fresh data key. Needs no lock: reads only `key`.
  Result<Sealed> seal(const std::string& token, const Pending& entry) const {
    const std::vector<uint8_t> data_key = crypto::random_bytes(crypto::kAeadKeyBytes);
    auto wrapped = crypto::aead_seal(key, data_key, token_aad(token));
    auto value = crypto::aead_seal(data_key, core::as_bytes(entry.value), token_aad(token));
    if (!wrapped || !value) {
      return fail(ErrorCode::kCrypto, "cannot seal vault entry", {path});
    }
    VaultRecord record;
    record.kind = VaultRecordKind::kEntry;
    record.token = token;
    record.type_name = std::string(pii_type_name(entry.type));
    record.wrapped_key = std::move(*wrapped);
    record.sealed_value = std::move(*value);
    Sealed one;
    one.token = &token;
    one.bytes = internal::encode_vault_record(record);
    one.entry.type_name = std::move(record.type_name);
    one.entry.digest = value_digest(entry.value);
    return one;
  }

  // Appends the sealed entries of `order` (fsync unless !sync) and moves them from pending to
  // stored. With `mutex` held.
  Status append_sealed(std::vector<Sealed>& sealed, const std::vector<std::string>& order,
                       bool sync) {
    LockedFile file;
    if (auto st = file.open(path, O_RDWR, LOCK_EX); !st) {
      return st;
    }
    // Another process may have appended since we last looked; a torn tail is cut off.
    auto tail = read_from(file.fd(), scanned_end, path);
    if (!tail) {
      return fail(tail.error());
    }
    auto end = index(*tail);
    if (!end) {
      return fail(end.error());
    }
    struct stat info {};
    if (::fstat(file.fd(), &info) != 0) {
      return fail(ErrorCode::kIo, std::string("cannot stat vault: ") + std::strerror(errno),
                  {path});
    }
    if (info.st_size > *end && ::ftruncate(file.fd(), *end) != 0) {
      return fail(ErrorCode::kIo, std::string("cannot cut torn record: ") + std::strerror(errno),
                  {path});
    }
    std::string out;
    std::vector<Sealed*> written;
    for (Sealed& one : sealed) {
      const std::string& token = *one.token;
      // Written meanwhile by another process: only checked.
      if (auto it = stored.find(token); it != stored.end()) {
        if (!it->second.erased && !same_as_stored(token, it->second, pending.at(token).value)) {
          note_collision(token);
        }
        continue;
      }
      one.entry.record_at = *end + static_cast<off_t>(out.size());
      one.entry.record_size = one.bytes.size();
      out += one.bytes;
      written.push_back(&one);
    }
    if (auto st = write_at(file.fd(), out, *end, path, sync); !st) {
      return st;
    }
    unsynced = !sync;
    scanned_end = *end + static_cast<off_t>(out.size());
    for (Sealed* one : written) {
      stored.emplace(*one->token, std::move(one->entry));
    }
    for (const std::string& token : order) {
      pending.erase(token);
    }
    return ok_status();
  }

  void note_collision(const std::string& token) {
    if (std::find(collisions.begin(), collisions.end(), token) == collisions.end()) {
      collisions.push_back(token);
    }
  }
};

Vault::Vault(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Vault::~Vault() {
  // Tokens handed out must stay revealable: entries the owner did not flush are appended now
  // (best effort; a caller that needs the error calls flush() itself).
  if (impl_ != nullptr) {
    (void)flush();
  }
}

Result<std::unique_ptr<Vault>> Vault::open(const std::string& path,
                                           std::vector<uint8_t> vault_key) {
  if (vault_key.size() != crypto::kAeadKeyBytes) {
    return fail(ErrorCode::kBadKey, "the vault key must be 32 bytes", {path});
  }
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->key = std::move(vault_key);

  auto open_locked = [](int fd, std::unique_ptr<Impl> state) -> Result<std::unique_ptr<Vault>> {
    const std::string& where = state->path;
    auto data = read_from(fd, 0, where);
    if (!data) {
      return fail(data.error());
    }
    const std::string header = internal::encode_vault_header(state->key);
    const std::string_view magic = internal::kVaultMagic;
    const size_t common = std::min(data->size(), magic.size());
    if (data->compare(0, common, magic.substr(0, common)) != 0) {
      return fail(ErrorCode::kVaultCorrupt, "not a convaudit vault (bad magic)", {where});
    }
    if (data->size() < header.size()) {
      // New, or a header torn while being created: (re)write it.
      if (::ftruncate(fd, 0) != 0) {
        return fail(ErrorCode::kIo, std::string("cannot write vault: ") + std::strerror(errno),
                    {where});
      }
      if (auto st = write_at(fd, header, 0, where); !st) {
        return fail(st.error());
      }
      state->scanned_end = static_cast<off_t>(header.size());
      return std::unique_ptr<Vault>(new Vault(std::move(state)));
    }
    const size_t version_at = magic.size();
    const uint16_t version =
        static_cast<uint16_t>(static_cast<uint8_t>((*data)[version_at]) |
                              static_cast<uint8_t>((*data)[version_at + 1]) << 8);
    if (version != internal::kVaultVersion) {
      return fail(ErrorCode::kVaultCorrupt, "unsupported vault version " + std::to_string(version),
                  {where});
    }
    const size_t check_at = internal::kVaultHeaderBytes - internal::kVaultKeyCheckBytes;
    if (data->compare(check_at, internal::kVaultKeyCheckBytes, header, check_at,
                      internal::kVaultKeyCheckBytes) != 0) {
      return fail(ErrorCode::kCrypto, "the vault key does not match this vault", {where});
    }
    state->scanned_end = static_cast<off_t>(header.size());
    if (auto end = state->index(std::string_view(*data).substr(header.size())); !end) {
      return fail(end.error());
    }
    return std::unique_ptr<Vault>(new Vault(std::move(state)));
  };

  LockedFile file;
  if (auto st = file.open(path, O_RDWR | O_CREAT, LOCK_EX); !st) {
    if (st.error().code != ErrorCode::kIo) {
      return fail(st.error());
    }
    LockedFile read_only;  // e.g. an auditor's read-only copy: reveal still works
    if (auto ro = read_only.open(path, O_RDONLY, LOCK_SH); !ro) {
      return fail(st.error());
    }
    return open_locked(read_only.fd(), std::move(impl));
  }
  return open_locked(file.fd(), std::move(impl));
}

void Vault::record(const std::string& token, PiiType type, std::string_view value) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  if (auto it = impl_->pending.find(token); it != impl_->pending.end()) {
    if (it->second.value != value) {
      impl_->note_collision(token);
    }
    return;
  }
  if (auto it = impl_->stored.find(token); it != impl_->stored.end()) {
    // An erased subject is not stored again; a known one only checked for a collision.
    if (!it->second.erased && !impl_->same_as_stored(token, it->second, value)) {
      impl_->note_collision(token);
    }
    return;
  }
  impl_->pending.emplace(token, Pending{type, std::string(value)});
  impl_->pending_order.push_back(token);
}

Status Vault::flush() {
  return write_pending(true);
}

Status Vault::append() {
  return write_pending(false);
}

void Vault::discard_pending() {
  std::lock_guard<std::mutex> flushing(impl_->flush_mutex);
  std::lock_guard<std::mutex> lock(impl_->mutex);
  impl_->pending.clear();
  impl_->pending_order.clear();
}

Status Vault::write_pending(bool sync) {
  // One flush at a time. The sealing (a fresh data key and two AES-GCM seals per entry) runs
  // without the entry lock, so workers recording tokens do not wait for it; only the append to
  // the file holds it.
  std::lock_guard<std::mutex> flushing(impl_->flush_mutex);
  Impl& impl = *impl_;
  // The entries to write stay in `pending` (record(), reveal() and size() still see them) until
  // they are stored; their nodes do not move and nobody else changes or erases them meanwhile,
  // so they are read through these pointers without the lock.
  std::vector<std::string> order;
  std::vector<const Pending*> entries;
  {
    std::lock_guard<std::mutex> lock(impl.mutex);
    order.swap(impl.pending_order);
    entries.reserve(order.size());
    for (const std::string& token : order) {
      entries.push_back(&impl.pending.at(token));
    }
  }
  // When the batch cannot be written it goes back in line (under the lock): nothing is lost.
  auto restore = [&impl, &order]() {
    impl.pending_order.insert(impl.pending_order.begin(), order.begin(), order.end());
  };
  std::vector<Sealed> sealed;
  sealed.reserve(order.size());
  for (size_t i = 0; i < order.size(); ++i) {
    auto one = impl.seal(order[i], *entries[i]);
    if (!one) {
      std::lock_guard<std::mutex> lock(impl.mutex);
      restore();
      return fail(one.error());
    }
    sealed.push_back(std::move(*one));
  }
  std::lock_guard<std::mutex> lock(impl.mutex);
  if (!sealed.empty() || (sync && impl.unsynced)) {
    if (auto st = impl.append_sealed(sealed, order, sync); !st) {
      restore();
      return st;
    }
  }
  if (!impl.collisions.empty()) {
    std::string message = "different values produced the same token: ";
    for (size_t i = 0; i < impl.collisions.size(); ++i) {
      message += (i == 0 ? "" : ", ") + impl.collisions[i];
    }
    impl.collisions.clear();
    return fail(ErrorCode::kTokenCollision, message, {impl.path});
  }
  return ok_status();
}

Result<RevealedValue> Vault::reveal(std::string_view token) const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  const std::string key(token);
  if (auto it = impl_->stored.find(key); it != impl_->stored.end()) {
    if (it->second.erased) {
      return fail(ErrorCode::kSubjectErased, "the subject of " + key + " has been erased",
                  {impl_->path});
    }
    auto type = parse_pii_type(it->second.type_name);
    if (!type) {
      return fail(ErrorCode::kVaultCorrupt, "unknown PII type '" + it->second.type_name + "'",
                  {impl_->path});
    }
    auto value = impl_->decrypt(key, it->second);
    if (!value) {
      return fail(value.error());
    }
    return RevealedValue{*type, std::move(*value)};
  }
  if (auto it = impl_->pending.find(key); it != impl_->pending.end()) {
    return RevealedValue{it->second.type, it->second.value};
  }
  return fail(ErrorCode::kTokenUnknown, "no vault entry for " + key, {impl_->path});
}

Status Vault::forget(std::string_view token) {
  // Not while a flush seals: it reads pending entries without the lock, and this erases them.
  std::lock_guard<std::mutex> flushing(impl_->flush_mutex);
  std::lock_guard<std::mutex> lock(impl_->mutex);
  Impl& impl = *impl_;
  const std::string key(token);
  LockedFile file;
  if (auto st = file.open(impl.path, O_RDWR, LOCK_EX); !st) {
    return st;
  }
  // The whole file: new records from other processes are indexed, and the offsets of this
  // subject's entries are found from the start.
  auto data = read_from(file.fd(), 0, impl.path);
  if (!data) {
    return fail(data.error());
  }
  const auto scanned = static_cast<size_t>(impl.scanned_end);
  if (data->size() < scanned) {
    return fail(ErrorCode::kVaultCorrupt, "the vault file shrank while open", {impl.path});
  }
  auto end = impl.index(std::string_view(*data).substr(scanned));
  if (!end) {
    return fail(end.error());
  }
  const auto stored = impl.stored.find(key);
  const bool pending = impl.pending.count(key) != 0;
  if (stored == impl.stored.end() && !pending) {
    return fail(ErrorCode::kTokenUnknown, "no vault entry for " + key, {impl.path});
  }
  const bool already_erased = stored != impl.stored.end() && stored->second.erased;
  if (!already_erased) {
    if (data->size() > static_cast<size_t>(*end) && ::ftruncate(file.fd(), *end) != 0) {
      return fail(ErrorCode::kIo, std::string("cannot cut torn record: ") + std::strerror(errno),
                  {impl.path});
    }
    VaultRecord record;
    record.kind = VaultRecordKind::kForget;
    record.token = key;
    record.erased_at_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
    const std::string out = internal::encode_vault_record(record);
    if (auto st = write_at(file.fd(), out, *end, impl.path); !st) {
      return st;
    }
    impl.scanned_end = *end + static_cast<off_t>(out.size());
  }
  // The forget record is durable; now the wrapped data key goes, so the value is gone for good.
  for (const ByteSpan& span :
       wrapped_key_spans(*data, internal::kVaultHeaderBytes, static_cast<size_t>(*end), key)) {
    const std::string_view bytes = std::string_view(*data).substr(span.offset, span.length);
    if (bytes.find_first_not_of('\0') == std::string_view::npos) {
      continue;
    }
    const std::string zeros(span.length, '\0');
    if (auto st = write_at(file.fd(), zeros, static_cast<off_t>(span.offset), impl.path); !st) {
      return st;
    }
  }
  Stored& entry = impl.stored[key];
  entry.erased = true;
  entry.wrapped_key.clear();
  entry.sealed_value.clear();
  entry.digest.reset();
  impl.pending.erase(key);
  impl.pending_order.erase(std::remove(impl.pending_order.begin(), impl.pending_order.end(), key),
                           impl.pending_order.end());
  return ok_status();
}

size_t Vault::size() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->stored.size() + impl_->pending.size();
}

}  // namespace convaudit::redaction
