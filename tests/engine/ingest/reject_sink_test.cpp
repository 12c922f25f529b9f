#include "engine/ingest/reject_sink.h"

#include <catch2/catch.hpp>

namespace convaudit::ingest {

TEST_CASE("RejectCollector keeps rejects in order and counts them by code name",
          "[ingest][rejects]") {
  RejectCollector collector;
  collector.reject({"a.jsonl", 3, ErrorCode::kMalformedJson, "bad", "{"});
  collector.reject({"a.jsonl", 5, ErrorCode::kBadTimestamp, "bad ts", ""});
  collector.reject({"b.jsonl", 1, ErrorCode::kMalformedJson, "bad", "}"});
  REQUIRE(collector.rejects().size() == 3);
  CHECK(collector.rejects()[1].line == 5);
  CHECK(collector.rejects()[2].file == "b.jsonl");
  auto counts = collector.counts_by_code();
  CHECK(counts.size() == 2);
  CHECK(counts["ingest.malformed_json"] == 2);
  CHECK(counts["ingest.bad_timestamp"] == 1);
}

}  // namespace convaudit::ingest
