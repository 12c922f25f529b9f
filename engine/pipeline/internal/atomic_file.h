#pragma once
// Atomic output files: the bytes go to a temporary file in the same folder, are fsync'ed, and are
// renamed over the target, so a killed run never leaves a half-written output.

#include <memory>
#include <string>
#include <string_view>

#include "engine/core/result.h"

namespace convaudit::pipeline::internal {

Status write_file_atomically(const std::string& path, std::string_view content);

// The same for an output written piece by piece (findings.jsonl of a large run): append() goes
// to the temporary file through a buffer, commit() fsyncs and renames it into place. Destroyed
// without commit() (a failed run), it removes the temporary file. Not thread-safe.
class AtomicFileWriter {
 public:
  static Result<std::unique_ptr<AtomicFileWriter>> open(const std::string& path);
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;
  Status append(std::string_view bytes);
  Status commit();

 private:
  AtomicFileWriter(std::string path, std::string tmp, int fd);
  Status flush_buffer();
  std::string path_;
  std::string tmp_;
  int fd_ = -1;
  std::string buffer_;
  bool committed_ = false;
};

}  // namespace convaudit::pipeline::internal
