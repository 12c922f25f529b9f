#include "engine/ingest/reject_sink.h"

#include <utility>

namespace convaudit::ingest {

void RejectCollector::reject(Reject reject) {
  rejects_.push_back(std::move(reject));
}

std::map<std::string, uint64_t> RejectCollector::counts_by_code() const {
  std::map<std::string, uint64_t> counts;
  for (const Reject& r : rejects_) {
    ++counts[std::string(error_code_name(r.code))];
  }
  return counts;
}

}  // namespace convaudit::ingest
