#pragma once
// AccessLog: the append-only, hash-chained record of every reveal (and erasure).
//
// One JSON object per line:
//   {"seq":1,"time":"2026-11-23T10:00:00Z","who":"alice","action":"reveal",
//    "token":"<EMAIL_...>","reason":"DSAR #42","prev":"<64 hex>","hash":"<64 hex>"}
// hash = SHA-256 hex of the canonical JSON of the record without "hash"; prev = the previous
// record's hash (64 zeros for the first). Changing, removing or reordering a line breaks the
// chain, which verify() reports with its line.

#include <cstdint>
#include <string>

#include "engine/core/result.h"

namespace convaudit::redaction {

struct AccessRecord {
  std::string who;
  std::string action;  // "reveal" | "forget"
  std::string token;
  std::string reason;
  int64_t time_ns = 0;
};

// Appends one record (creating the file, mode 0600). Error kIo, kAccessLogBroken when the
// existing last line cannot be read.
Status append_access_record(const std::string& path, const AccessRecord& record);

// Verifies the whole chain; returns the number of records. Error kAccessLogBroken naming the line.
Result<uint64_t> verify_access_log(const std::string& path);

}  // namespace convaudit::redaction
