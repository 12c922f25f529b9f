#pragma once
// LineSource: the raw records of one input file, before any JSON parsing.
//
// The file may be plain or gzip (zlib reads both, chosen by the magic bytes; concatenated gzip
// members are read through); "-" is standard input. A UTF-8 byte order mark is skipped. When the
// first non-blank byte is '[' the file is one JSON array and each top-level element is a record
// (found by bracket and string scanning, so memory stays bounded by one element); otherwise each
// non-blank line is a record ("\r\n" endings accepted), except when the first line opens an object
// it does not close (pretty-printed JSON, as OTLP exporters write): then each top-level object is
// a record, however many lines it spans (a '{' at the start of a line inside an unfinished object
// ends that object, so one truncated object does not swallow the rest of the file).
//
// A record longer than max_record_bytes is returned with too_long set and only its first bytes
// kept, so one huge line cannot exhaust memory. Not thread-safe: one per file.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/error.h"
#include "engine/core/result.h"

namespace convaudit::ingest::internal {

struct RawRecord {
  std::string text;       // the record's bytes (a prefix only when too_long)
  int64_t line = 0;       // 1-based line where the record starts
  bool too_long = false;  // longer than max_record_bytes; text holds its first bytes
};

// Something wrong with the file as a whole rather than with one record (an unterminated array,
// bytes after the closing ']', a corrupt gzip stream). Reported once; reading stops after it.
struct StructureProblem {
  int64_t line = 0;
  ErrorCode code = ErrorCode::kMalformedJson;
  std::string reason;
};

class LineSource {
 public:
  // kNotFound when the file does not exist, kIo when it cannot be opened or not a byte read.
  static Result<std::unique_ptr<LineSource>> open(const std::string& path,
                                                  uint64_t max_record_bytes);
  ~LineSource();
  LineSource(const LineSource&) = delete;
  LineSource& operator=(const LineSource&) = delete;

  // The next non-blank record; false at the end of input (or after a structure problem).
  bool next(RawRecord& record);

  bool is_array() const { return array_; }
  bool is_object_stream() const { return objects_; }
  uint64_t bytes_read() const { return bytes_read_; }
  // Set once the file turned out to be broken as a whole; see StructureProblem.
  const std::optional<StructureProblem>& structure_problem() const { return problem_; }

 private:
  struct GzFile;
  LineSource(std::unique_ptr<GzFile> file, uint64_t max_record_bytes);

  bool fill();  // false at end of input or on a read error (then problem_ is set)
  bool peek(char& c);
  void sniff();
  bool next_line(RawRecord& record);
  bool next_element(RawRecord& record);
  bool next_object(RawRecord& record);
  void append(RawRecord& record, const char* data, size_t size) const;
  void skip_whitespace_and_commas();
  void finish_array();

  std::unique_ptr<GzFile> file_;
  uint64_t max_record_bytes_;
  std::vector<char> buffer_;
  size_t pos_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  bool array_ = false;
  bool objects_ = false;
  bool array_closed_ = false;
  int64_t line_ = 1;
  uint64_t bytes_read_ = 0;
  std::optional<StructureProblem> problem_;
};

}  // namespace convaudit::ingest::internal
