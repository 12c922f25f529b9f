#include "engine/pipeline/internal/atomic_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <unistd.h>

namespace convaudit::pipeline::internal {

namespace {

std::string temporary_name(const std::string& path) {
  std::filesystem::path target(path);
  return (target.parent_path() /
          ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid())))
      .string();
}

Status write_all(int fd, std::string_view content, const std::string& name) {
  size_t written = 0;
  while (written < content.size()) {
    ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return fail(ErrorCode::kIo, std::string("cannot write: ") + std::strerror(errno), {name});
    }
    written += static_cast<size_t>(n);
  }
  return ok_status();
}

}  // namespace

Result<std::unique_ptr<AtomicFileWriter>> AtomicFileWriter::open(const std::string& path) {
  std::string tmp = temporary_name(path);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return fail(ErrorCode::kIo, std::string("cannot create: ") + std::strerror(errno), {tmp});
  }
  return std::unique_ptr<AtomicFileWriter>(new AtomicFileWriter(path, tmp, fd));
}

AtomicFileWriter::AtomicFileWriter(std::string path, std::string tmp, int fd)
    : path_(std::move(path)), tmp_(std::move(tmp)), fd_(fd) {}

AtomicFileWriter::~AtomicFileWriter() {
  if (fd_ >= 0) {
    ::close(fd_);
  }
  if (!committed_) {
    ::unlink(tmp_.c_str());
  }
}

Status AtomicFileWriter::flush_buffer() {
  auto st = write_all(fd_, buffer_, tmp_);
  buffer_.clear();
  return st;
}

// Written out at this size: small enough that three writers add little to the peak memory,
// large enough that write(2) calls stay rare.
constexpr size_t kWriteBufferBytes = size_t{256} << 10;

Status AtomicFileWriter::append(std::string_view bytes) {
  buffer_.append(bytes);
  if (buffer_.size() >= kWriteBufferBytes) {
    return flush_buffer();
  }
  return ok_status();
}

Status AtomicFileWriter::commit() {
  if (auto st = flush_buffer(); !st) {
    return st;
  }
  if (::fsync(fd_) != 0 || ::close(fd_) != 0) {
    fd_ = -1;
    return fail(ErrorCode::kIo, std::string("cannot flush: ") + std::strerror(errno), {tmp_});
  }
  fd_ = -1;
  if (::rename(tmp_.c_str(), path_.c_str()) != 0) {
    return fail(ErrorCode::kIo, std::string("cannot rename into place: ") + std::strerror(errno),
                {path_});
  }
  committed_ = true;
  return ok_status();
}

Status write_file_atomically(const std::string& path, std::string_view content) {
  std::filesystem::path target(path);
  std::string tmp = (target.parent_path() /
                     ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid())))
                        .string();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return fail(ErrorCode::kIo, std::string("cannot create: ") + std::strerror(errno), {tmp});
  }
  size_t written = 0;
  while (written < content.size()) {
    ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      int saved = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return fail(ErrorCode::kIo, std::string("cannot write: ") + std::strerror(saved), {tmp});
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return fail(ErrorCode::kIo, std::string("cannot flush: ") + std::strerror(errno), {tmp});
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int saved = errno;
    ::unlink(tmp.c_str());
    return fail(ErrorCode::kIo, std::string("cannot rename into place: ") + std::strerror(saved),
                {path});
  }
  return ok_status();
}

}  // namespace convaudit::pipeline::internal
