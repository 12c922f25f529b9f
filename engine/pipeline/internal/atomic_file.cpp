#include "engine/pipeline/internal/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace convaudit::pipeline::internal {

Status write_file_atomically(const std::string& path, std::string_view content) {
  std::filesystem::path target(path);
  std::string tmp = (target.parent_path() / ("." + target.filename().string() + ".tmp-" +
                                             std::to_string(::getpid())))
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
