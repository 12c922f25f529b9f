#include "engine/pipeline/internal/spill.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <sys/resource.h>
#include <unistd.h>

namespace convaudit::pipeline::internal {

namespace {

namespace fs = std::filesystem;

// Bounds of one partition's write buffer (the store's buffer budget is split between them).
constexpr size_t kMinFlushBytes = size_t{4} << 10;
constexpr size_t kMaxFlushBytes = size_t{1} << 20;
// Open files left for everything else while the partitions' files are open.
constexpr rlim_t kSpareFiles = 256;

void put_u32(std::string& out, uint32_t value) {
  for (int i = 0; i < 4; ++i) {
    out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
  }
}

// Writes `value` little-endian over the 8 bytes at `at`.
void set_u64(std::string& out, size_t at, uint64_t value) {
  for (size_t i = 0; i < 8; ++i) {
    out[at + i] = static_cast<char>((value >> (8 * i)) & 0xff);
  }
}

void put_u64(std::string& out, uint64_t value) {
  out.append(8, '\0');
  set_u64(out, out.size() - 8, value);
}

void put_string(std::string& out, std::string_view text) {
  put_u64(out, text.size());
  out.append(text);
}

class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  bool done() const { return pos_ == data_.size(); }
  bool u32(uint32_t& value) {
    uint64_t wide = 0;
    if (!bytes(4, wide))
      return false;
    value = static_cast<uint32_t>(wide);
    return true;
  }
  bool u64(uint64_t& value) { return bytes(8, value); }
  bool string(std::string& out) {
    std::string_view view;
    if (!bytes(view))
      return false;
    out.assign(view);
    return true;
  }
  // A length-prefixed run of bytes, viewed in place.
  bool bytes(std::string_view& out) {
    uint64_t size = 0;
    if (!u64(size) || size > data_.size() - pos_)
      return false;
    out = data_.substr(pos_, size);
    pos_ += size;
    return true;
  }

 private:
  bool bytes(int count, uint64_t& value) {
    if (data_.size() - pos_ < static_cast<size_t>(count))
      return false;
    value = 0;
    for (int i = 0; i < count; ++i) {
      value |= static_cast<uint64_t>(static_cast<unsigned char>(data_[pos_ + i])) << (8 * i);
    }
    pos_ += static_cast<size_t>(count);
    return true;
  }
  std::string_view data_;
  size_t pos_ = 0;
};

void encode(const core::Message& message, std::string& out) {
  put_string(out, message.session_id);
  put_u32(out, static_cast<uint32_t>(message.role));
  put_u64(out, static_cast<uint64_t>(message.timestamp_ns));
  put_string(out, message.text);
  // Metadata as CBOR (nlohmann's binary form of the same value): no text to print and lex again,
  // and numbers come back bit for bit. The size is patched in once the bytes are written.
  const size_t size_at = out.size();
  put_u64(out, 0);
  nlohmann::json::to_cbor(message.metadata, out);  // appends to `out`
  set_u64(out, size_at, out.size() - size_at - 8);
  put_string(out, message.source.file);
  put_u64(out, static_cast<uint64_t>(message.source.line));
}

bool decode(Reader& in, core::Message& message) {
  uint32_t role = 0;
  uint64_t timestamp = 0;
  uint64_t line = 0;
  std::string_view metadata;
  if (!in.string(message.session_id) || !in.u32(role) || !in.u64(timestamp) ||
      !in.string(message.text) || !in.bytes(metadata) || !in.string(message.source.file) ||
      !in.u64(line) || role > static_cast<uint32_t>(core::Role::kOther)) {
    return false;
  }
  message.role = static_cast<core::Role>(role);
  message.timestamp_ns = static_cast<int64_t>(timestamp);
  message.source.line = static_cast<int64_t>(line);
  message.metadata = nlohmann::json::from_cbor(metadata.begin(), metadata.end(), true, false);
  return !message.metadata.is_discarded();
}

}  // namespace

struct SpillStore::Impl {
  std::string path;
  std::vector<std::string> buffers;                // pending bytes per partition
  std::string encoded;                             // one message, before it joins a buffer
  std::vector<FILE*> files;                        // one per partition when spilling
  std::vector<std::vector<core::Message>> memory;  // one partition: kept in memory
  bool spilling = false;
  size_t flush_bytes = kMaxFlushBytes;  // a partition's buffer is written out at this size

  ~Impl() {
    for (FILE* file : files) {
      if (file != nullptr)
        std::fclose(file);
    }
    if (!path.empty()) {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  }

  Status flush(size_t partition) {
    std::string& buffer = buffers[partition];
    if (buffer.empty())
      return ok_status();
    if (std::fwrite(buffer.data(), 1, buffer.size(), files[partition]) != buffer.size()) {
      return fail(ErrorCode::kIo, std::string("cannot write spill file: ") + std::strerror(errno),
                  {path});
    }
    buffer.clear();
    return ok_status();
  }
};

SpillStore::SpillStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SpillStore::~SpillStore() = default;

Result<std::unique_ptr<SpillStore>> SpillStore::create(const std::string& dir, size_t partitions,
                                                       size_t buffer_bytes) {
  auto impl = std::make_unique<Impl>();
  partitions = std::max<size_t>(1, partitions);
  impl->flush_bytes = std::clamp(buffer_bytes / partitions, kMinFlushBytes, kMaxFlushBytes);
  if (partitions == 1) {
    impl->memory.resize(1);
    return std::unique_ptr<SpillStore>(new SpillStore(std::move(impl)));
  }
  std::string pattern = (fs::path(dir) / ".convaudit-spill-XXXXXX").string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  if (::mkdtemp(name.data()) == nullptr) {
    return fail(ErrorCode::kIo, std::string("cannot create spill folder: ") + std::strerror(errno),
                {dir});
  }
  impl->path = name.data();
  impl->spilling = true;
  // One open file per partition: a large input needs more than the usual soft limit of 1024, so
  // the soft limit is raised towards the hard one (the kernel's own cap) when it is too low.
  struct rlimit files {};
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY &&
      files.rlim_cur < partitions + kSpareFiles) {
    files.rlim_cur = std::min<rlim_t>(files.rlim_max, partitions + kSpareFiles);
    ::setrlimit(RLIMIT_NOFILE, &files);
  }
  impl->buffers.resize(partitions);
  impl->files.assign(partitions, nullptr);
  for (size_t i = 0; i < partitions; ++i) {
    std::string file = impl->path + "/" + std::to_string(i);
    impl->files[i] = std::fopen(file.c_str(), "w+b");
    if (impl->files[i] == nullptr) {
      return fail(ErrorCode::kIo, std::string("cannot create spill file: ") + std::strerror(errno),
                  {file});
    }
    // Unbuffered: every write is a whole partition buffer and every read the whole file, so a
    // stdio buffer per file (hundreds of files on a large input) would only hold memory.
    std::setvbuf(impl->files[i], nullptr, _IONBF, 0);
  }
  return std::unique_ptr<SpillStore>(new SpillStore(std::move(impl)));
}

size_t SpillStore::partition_count() const {
  return impl_->spilling ? impl_->files.size() : 1;
}

size_t SpillStore::flush_bytes() const {
  return impl_->flush_bytes;
}

size_t SpillStore::buffer_capacity() const {
  const size_t inline_capacity = std::string().capacity();  // held in the object itself
  size_t total = 0;
  for (const std::string& buffer : impl_->buffers) {
    total += buffer.capacity() > inline_capacity ? buffer.capacity() : 0;
  }
  return total;
}

const std::string& SpillStore::path() const {
  return impl_->path;
}

Status SpillStore::add(core::Message message) {
  if (!impl_->spilling) {
    impl_->memory[0].push_back(std::move(message));
    return ok_status();
  }
  size_t partition = partition_of(message.session_id, impl_->files.size());
  std::string& buffer = impl_->buffers[partition];
  impl_->encoded.clear();
  encode(message, impl_->encoded);
  // A buffer is written out before it would pass flush_bytes, so it never grows past that
  // (its capacity doubling would make the buffers together hold up to twice their budget).
  if (!buffer.empty() && buffer.size() + impl_->encoded.size() > impl_->flush_bytes) {
    if (auto st = impl_->flush(partition); !st) {
      return st;
    }
  }
  if (buffer.capacity() < impl_->flush_bytes) {
    buffer.reserve(impl_->flush_bytes);
  }
  buffer += impl_->encoded;
  return ok_status();
}

Status SpillStore::finish() {
  if (!impl_->spilling)
    return ok_status();
  for (size_t i = 0; i < impl_->files.size(); ++i) {
    if (auto st = impl_->flush(i); !st)
      return st;
    if (std::fflush(impl_->files[i]) != 0) {
      return fail(ErrorCode::kIo, "cannot write spill file", {impl_->path});
    }
    std::string().swap(impl_->buffers[i]);  // the budget is free again for the evaluation
  }
  std::string().swap(impl_->encoded);
  return ok_status();
}

Result<std::vector<core::Message>> SpillStore::take(size_t partition) {
  if (!impl_->spilling) {
    return std::move(impl_->memory[0]);
  }
  FILE* file = impl_->files.at(partition);
  std::string data;
  if (std::fseek(file, 0, SEEK_END) != 0) {
    return fail(ErrorCode::kIo, "cannot read spill file", {impl_->path});
  }
  long size = std::ftell(file);
  std::rewind(file);
  data.resize(static_cast<size_t>(std::max(0L, size)));
  if (!data.empty() && std::fread(data.data(), 1, data.size(), file) != data.size()) {
    return fail(ErrorCode::kIo, "cannot read spill file", {impl_->path});
  }
  std::fclose(file);
  impl_->files[partition] = nullptr;
  std::remove((impl_->path + "/" + std::to_string(partition)).c_str());
  std::vector<core::Message> messages;
  Reader reader(data);
  while (!reader.done()) {
    core::Message message;
    if (!decode(reader, message)) {
      return fail(ErrorCode::kInternal, "spill file is corrupt", {impl_->path});
    }
    messages.push_back(std::move(message));
  }
  return messages;
}

size_t partition_of(std::string_view session_id, size_t partitions) {
  uint64_t hash = 14695981039346656037ull;  // FNV-1a: the same partition on every platform
  for (char c : session_id) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return static_cast<size_t>(hash % std::max<size_t>(partitions, 1));
}

size_t partitions_for(uint64_t input_bytes, uint64_t partition_bytes) {
  partition_bytes = std::max<uint64_t>(partition_bytes, 1);
  uint64_t count = (input_bytes + partition_bytes - 1) / partition_bytes;
  return static_cast<size_t>(std::clamp<uint64_t>(count, 1, 4096));
}

}  // namespace convaudit::pipeline::internal
