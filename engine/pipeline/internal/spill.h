#pragma once
// SpillStore: partitions messages by session so a run needs memory for one partition at a time,
// however large the input and however its sessions interleave.
//
// Every message goes to partition hash(session_id) % count, so all messages of a session land in
// the same partition. With one partition nothing touches the disk. With more, each partition is
// a file of length-prefixed records in a private temporary folder (mode 0700) that the store
// removes when it is destroyed, also when the run fails. add() and finish() are for one ingest
// thread; after finish(), take() of DIFFERENT partitions may run on several threads at once.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/message.h"
#include "engine/core/result.h"

namespace convaudit::pipeline::internal {

class SpillStore {
 public:
  // `dir` is where the temporary folder is made (the output folder: same file system). Error
  // kIo when the folder or a file cannot be created. `buffer_bytes` bounds the write buffers of
  // all partitions together (each partition's buffer holds between 4 KiB and 1 MiB), so the
  // buffering does not grow with the number of partitions.
  static Result<std::unique_ptr<SpillStore>> create(const std::string& dir, size_t partitions,
                                                    size_t buffer_bytes = size_t{8} << 20);
  // The size at which a partition's write buffer goes to its file, for tests.
  size_t flush_bytes() const;
  ~SpillStore();
  SpillStore(const SpillStore&) = delete;
  SpillStore& operator=(const SpillStore&) = delete;

  size_t partition_count() const;
  Status add(core::Message message);
  // Flushes what is buffered and frees the write buffers; call once, after the last add().
  Status finish();
  // Bytes the write buffers hold allocated now: at most partition_count() * flush_bytes() (more
  // only for a single message larger than flush_bytes()), none after finish().
  size_t buffer_capacity() const;
  // The messages of one partition, in the order they were added. Consumes the partition.
  Result<std::vector<core::Message>> take(size_t partition);
  // The temporary folder ("" with one partition), for tests.
  const std::string& path() const;

 private:
  struct Impl;
  explicit SpillStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The partition of a session: FNV-1a of its id, modulo `partitions` (stable across platforms,
// so the order of findings.jsonl is too).
size_t partition_of(std::string_view session_id, size_t partitions);

// How many partitions an input of `input_bytes` needs so that one partition's share stays
// near `partition_bytes`: ceil(input / partition), at least 1, at most 4096.
size_t partitions_for(uint64_t input_bytes, uint64_t partition_bytes);

}  // namespace convaudit::pipeline::internal
