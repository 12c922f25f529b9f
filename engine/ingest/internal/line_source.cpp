#include "engine/ingest/internal/line_source.h"

#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

namespace convaudit::ingest::internal {
namespace {

constexpr size_t kBufferBytes = 256 * 1024;
// A too-long record keeps this much of its head, enough for an excerpt.
constexpr size_t kTooLongKeptBytes = 256;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

}  // namespace

struct LineSource::GzFile {
  gzFile handle = nullptr;
  ~GzFile() {
    if (handle != nullptr) {
      gzclose(handle);
    }
  }
};

Result<std::unique_ptr<LineSource>> LineSource::open(const std::string& path,
                                                     uint64_t max_record_bytes) {
  auto file = std::make_unique<GzFile>();
  if (path == "-") {
    int fd = ::dup(STDIN_FILENO);
    if (fd < 0) {
      return fail(ErrorCode::kIo, "cannot read standard input", {path});
    }
    file->handle = gzdopen(fd, "rb");
    if (file->handle == nullptr) {
      ::close(fd);
    }
  } else {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
      if (errno == ENOENT || errno == ENOTDIR) {
        return fail(ErrorCode::kNotFound, "no such file", {path});
      }
      return fail(ErrorCode::kIo, std::string("cannot open: ") + std::strerror(errno), {path});
    }
    if (S_ISDIR(info.st_mode)) {
      return fail(ErrorCode::kIo, "is a directory", {path});
    }
    file->handle = gzopen(path.c_str(), "rb");
  }
  if (file->handle == nullptr) {
    return fail(ErrorCode::kIo, "cannot open", {path});
  }
  gzbuffer(file->handle, 128 * 1024);
  std::unique_ptr<LineSource> source(new LineSource(std::move(file), max_record_bytes));
  source->sniff();
  if (source->bytes_read_ == 0 && source->problem_) {
    return fail(ErrorCode::kIo, "cannot read: " + source->problem_->reason, {path});
  }
  return source;
}

LineSource::LineSource(std::unique_ptr<GzFile> file, uint64_t max_record_bytes)
    : file_(std::move(file)),
      max_record_bytes_(max_record_bytes == 0 ? UINT64_MAX : max_record_bytes),
      buffer_(kBufferBytes) {}

LineSource::~LineSource() = default;

bool LineSource::fill() {
  if (pos_ < end_) {
    return true;
  }
  if (eof_) {
    return false;
  }
  pos_ = 0;
  end_ = 0;
  int n = gzread(file_->handle, buffer_.data(), static_cast<unsigned>(buffer_.size()));
  int errnum = Z_OK;
  const char* message = gzerror(file_->handle, &errnum);
  if (n < 0 || (errnum != Z_OK && errnum != Z_STREAM_END)) {
    eof_ = true;
    if (n > 0) {
      end_ = static_cast<size_t>(n);
      bytes_read_ += end_;
    }
    problem_ = StructureProblem{
        line_, ErrorCode::kBadEncoding,
        std::string("input stream broken: ") + (message != nullptr ? message : "read error")};
    return end_ > 0;
  }
  if (n == 0) {
    eof_ = true;
    return false;
  }
  end_ = static_cast<size_t>(n);
  bytes_read_ += end_;
  return true;
}

bool LineSource::peek(char& c) {
  if (!fill()) {
    return false;
  }
  c = buffer_[pos_];
  return true;
}

void LineSource::sniff() {
  if (!fill()) {
    return;
  }
  if (end_ - pos_ >= 3 && std::memcmp(buffer_.data() + pos_, "\xEF\xBB\xBF", 3) == 0) {
    pos_ += 3;
  }
  char c = 0;
  while (peek(c) && is_space(c)) {
    if (c == '\n') {
      ++line_;
    }
    ++pos_;
  }
  if (peek(c) && c == '[') {
    array_ = true;
    ++pos_;
    return;
  }
  if (c == '{') {
    // Does the first line (as far as the buffer shows it) leave an object open?
    int depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (size_t i = pos_; i < end_; ++i) {
      const char b = buffer_[i];
      if (b == '\n') {
        objects_ = depth > 0;
        return;
      }
      if (in_string) {
        if (escaped) {
          escaped = false;
        } else if (b == '\\') {
          escaped = true;
        } else if (b == '"') {
          in_string = false;
        }
      } else if (b == '"') {
        in_string = true;
      } else if (b == '{' || b == '[') {
        ++depth;
      } else if (b == '}' || b == ']') {
        --depth;
      }
    }
  }
}

bool LineSource::next(RawRecord& record) {
  record.text.clear();
  record.too_long = false;
  if (array_) {
    return next_element(record);
  }
  return objects_ ? next_object(record) : next_line(record);
}

void LineSource::append(RawRecord& record, const char* data, size_t size) const {
  if (record.too_long) {
    return;
  }
  if (record.text.size() + size > max_record_bytes_) {
    record.too_long = true;
    size_t room =
        record.text.size() < kTooLongKeptBytes ? kTooLongKeptBytes - record.text.size() : 0;
    record.text.append(data, std::min(size, room));
    return;
  }
  record.text.append(data, size);
}

bool LineSource::next_line(RawRecord& record) {
  while (fill()) {
    record.line = line_;
    bool ended = false;
    while (!ended && fill()) {
      const char* start = buffer_.data() + pos_;
      const void* newline = std::memchr(start, '\n', end_ - pos_);
      size_t length = newline != nullptr
                          ? static_cast<size_t>(static_cast<const char*>(newline) - start)
                          : end_ - pos_;
      append(record, start, length);
      pos_ += length;
      if (newline != nullptr) {
        ++pos_;
        ++line_;
        ended = true;
      }
    }
    if (!record.too_long && !record.text.empty() && record.text.back() == '\r') {
      record.text.pop_back();
    }
    bool blank = true;
    for (char c : record.text) {
      if (!is_space(c)) {
        blank = false;
        break;
      }
    }
    if (!blank || record.too_long) {
      return true;
    }
    record.text.clear();
  }
  return false;
}

void LineSource::skip_whitespace_and_commas() {
  char c = 0;
  while (peek(c) && (is_space(c) || c == ',')) {
    if (c == '\n') {
      ++line_;
    }
    ++pos_;
  }
}

void LineSource::finish_array() {
  array_closed_ = true;
  char c = 0;
  while (peek(c) && is_space(c)) {
    if (c == '\n') {
      ++line_;
    }
    ++pos_;
  }
  if (peek(c) && !problem_) {
    problem_ = StructureProblem{line_, ErrorCode::kMalformedJson,
                                "unexpected data after the closing ']' of the top-level array"};
  }
  eof_ = true;
  pos_ = end_;
}

// Scans one top-level array element: strings (with escapes) are opaque, brackets nest, and the
// element ends when its brackets close or, for a scalar, at ',' or ']' outside any bracket.
bool LineSource::next_element(RawRecord& record) {
  if (array_closed_) {
    return false;
  }
  skip_whitespace_and_commas();
  char c = 0;
  if (!peek(c)) {
    if (!problem_) {
      problem_ = StructureProblem{line_, ErrorCode::kMalformedJson,
                                  "top-level array is not closed with ']'"};
    }
    return false;
  }
  if (c == ']') {
    ++pos_;
    finish_array();
    return false;
  }
  record.line = line_;
  int64_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  while (fill()) {
    size_t start = pos_;
    bool done = false;
    while (pos_ < end_ && !done) {
      c = buffer_[pos_];
      if (c == '\n') {
        ++line_;
      }
      if (in_string) {
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          in_string = false;
        }
      } else if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (depth == 0) {
          if (c == ']') {
            done = true;  // end of a scalar element: leave the ']' for the next call
            break;
          }
        } else if (--depth == 0) {
          ++pos_;
          done = true;
          break;
        }
      } else if (c == ',' && depth == 0) {
        done = true;
        break;
      }
      ++pos_;
    }
    append(record, buffer_.data() + start, pos_ - start);
    if (done) {
      return true;
    }
  }
  return true;  // input ended inside the element: the JSON parser will say what is missing
}

}  // namespace convaudit::ingest::internal

namespace convaudit::ingest::internal {

// One top-level object of a pretty-printed file: brackets nest, strings are opaque, and the object
// ends when its brackets close. A '{' opening a line while an object is still open starts the
// next record (the open one was cut short and will fail to parse); a line at depth 0 that opens
// nothing is a record of its own.
bool LineSource::next_object(RawRecord& record) {
  skip_whitespace_and_commas();
  char c = 0;
  if (!peek(c)) {
    return false;
  }
  record.line = line_;
  int64_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  bool line_start = false;
  while (fill()) {
    size_t start = pos_;
    bool done = false;
    while (pos_ < end_ && !done) {
      c = buffer_[pos_];
      if (line_start && c == '{' && depth > 0) {
        done = true;
        break;
      }
      line_start = false;
      if (c == '\n') {
        ++line_;
        line_start = true;
        if (depth == 0) {
          ++pos_;
          done = true;
          break;
        }
      }
      if (in_string) {
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          in_string = false;
        }
      } else if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if ((c == '}' || c == ']') && depth > 0 && --depth == 0) {
        ++pos_;
        done = true;
        break;
      }
      ++pos_;
    }
    append(record, buffer_.data() + start, pos_ - start);
    if (done) {
      return true;
    }
  }
  return true;  // input ended inside the object: the JSON parser will say what is missing
}

}  // namespace convaudit::ingest::internal
