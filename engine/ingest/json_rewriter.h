#pragma once
// Rewriting the string values of JSON text in place, for anonymised copies (`convaudit redact`).
//
// rewrite_json_strings() scans raw text without parsing it as a whole, so it works for every
// JSON-based log format (JSONL, one array, pretty-printed objects) without knowing the format,
// and keeps every byte of structure: whitespace, key order, number spelling, escapes of strings
// it does not change. Ingest does not know redaction: the caller passes `rewrite` (STYLE.md).
//
//   - A string literal followed (after whitespace) by ':' is a key: it is passed to `rewrite`
//     too (PII can be a key), and re-encoded only if that changes it, but not counted in
//     `strings`.
//   - Every other string literal is decoded (all JSON escapes, \uXXXX with surrogate pairs),
//     passed to `rewrite`, and only if the result differs re-encoded in place as a JSON string
//     (escaping '"', '\\' and control characters; other UTF-8 is written as is).
//   - A bare run outside strings (a number, true/false/null, or stray text of a line that is not
//     JSON) is passed to `rewrite` too, so a card or phone number written as a JSON number is not
//     missed; if it changes, a run that is a JSON number becomes a JSON string (the line stays
//     valid JSON), any other run is replaced by the rewritten text as is.
//   - Broken JSON fails closed: a string with an invalid escape is rewritten on its raw bytes; a
//     string left open at a raw newline or at the end of the input (not allowed in JSON) is
//     rewritten on its raw bytes up to there, and scanning resumes at the newline.
// Bare runs end at any of {}[],:" and newlines, so stray non-JSON text is cut at those
// characters before `rewrite` sees it.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "engine/core/result.h"

namespace convaudit::ingest {

using TextRewrite = std::function<std::string(std::string_view)>;

struct JsonRewriteStats {
  uint64_t strings = 0;    // string values seen (keys not counted)
  uint64_t rewritten = 0;  // keys, string values and bare runs that `rewrite` changed
  uint64_t broken = 0;     // strings left open or with an invalid escape (rewritten raw)
};

// Appends the rewritten `input` to `output`. Never fails: any input is scanned.
JsonRewriteStats rewrite_json_strings(std::string_view input, const TextRewrite& rewrite,
                                      std::string& output);

// JSON string literal (with quotes) of UTF-8 `text`: escapes '"', '\\' and control characters.
std::string encode_json_string(std::string_view text);

// A whole file's bytes, plain or gzip (chosen by the magic bytes; concatenated members read).
struct FileBytes {
  std::string data;
  bool gzip = false;
};

// Error kNotFound, kIo (also for a corrupt gzip stream).
Result<FileBytes> read_file_bytes(const std::string& path);
// Writes `data` to `path` (created mode 0644 or replaced), gzip-compressed when `gzip`. Error kIo.
Status write_file_bytes(const std::string& path, std::string_view data, bool gzip);

}  // namespace convaudit::ingest
