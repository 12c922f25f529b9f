#pragma once
// Rejects: every input record the engine could not use. One funnel: every reader reports a
// rejected record through a RejectSink and carries on (leveldb's log::Reader::Reporter).
// Nothing is dropped silently.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/core/error.h"

namespace convaudit::ingest {

// One line of rejects.jsonl: {"file","line","code","reason"} (+ "excerpt", at most 200 bytes
// of the raw record; callers that write it must redact it first).
struct Reject {
  std::string file;
  int64_t line = 0;  // 1-based; 0 when the record has no line (e.g. whole file)
  ErrorCode code = ErrorCode::kMalformedJson;
  std::string reason;
  std::string excerpt;
};

// Receives rejects. Implementations decide to keep or write them. Not thread-safe unless an
// implementation says so.
class RejectSink {
 public:
  virtual ~RejectSink() = default;
  virtual void reject(Reject reject) = 0;
};

// Keeps every reject in memory, with counts by error code name.
class RejectCollector : public RejectSink {
 public:
  void reject(Reject reject) override;
  const std::vector<Reject>& rejects() const { return rejects_; }
  std::map<std::string, uint64_t> counts_by_code() const;

 private:
  std::vector<Reject> rejects_;
};

}  // namespace convaudit::ingest
