#include "engine/core/timestamp.h"

#include <catch2/catch.hpp>
#include <limits>

using convaudit::ErrorCode;
using convaudit::core::format_timestamp;
using convaudit::core::parse_timestamp;

namespace {
constexpr int64_t kSecond = 1'000'000'000;
}

TEST_CASE("ISO 8601 timestamps parse to epoch nanoseconds", "[core][timestamp]") {
  CHECK(*parse_timestamp("1970-01-01T00:00:00Z") == 0);
  CHECK(*parse_timestamp("2026-07-14T09:30:00Z") == 1784021400LL * kSecond);
  CHECK(*parse_timestamp("2026-07-14T11:30:00+02:00") == 1784021400LL * kSecond);
  CHECK(*parse_timestamp("2026-07-14 09:30:00") == 1784021400LL * kSecond);
  CHECK(*parse_timestamp("2026-07-14T09:30:00.123456789Z") == 1784021400LL * kSecond + 123456789);
  CHECK(*parse_timestamp("2026-07-14") == 1783987200LL * kSecond);
}

TEST_CASE("epoch numbers are read by magnitude", "[core][timestamp]") {
  CHECK(*parse_timestamp("1784021400") == 1784021400LL * kSecond);
  CHECK(*parse_timestamp("1784021400123") == 1784021400123LL * 1'000'000);
  CHECK(*parse_timestamp("1784021400123456789") == 1784021400123456789LL);
  CHECK(convaudit::core::epoch_number_to_ns(1784021400.5) == 1784021400LL * kSecond + kSecond / 2);
}

TEST_CASE("bad timestamps are errors, not guesses", "[core][timestamp]") {
  for (const char* bad : {"", "yesterday", "2026-13-01T00:00:00Z", "2026-02-30", "2025-02-29",
                          "2026-07-14T25:00:00Z", "2026-07-14T09:30:00Zjunk", "12ab"}) {
    INFO(bad);
    auto r = parse_timestamp(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::kBadTimestamp);
  }
}

TEST_CASE("format_timestamp round-trips", "[core][timestamp]") {
  CHECK(format_timestamp(0) == "1970-01-01T00:00:00Z");
  CHECK(format_timestamp(1784021400LL * kSecond + 500'000'000) == "2026-07-14T09:30:00.5Z");
  int64_t t = *parse_timestamp("2024-02-29T23:59:59.000000001Z");
  CHECK(*parse_timestamp(format_timestamp(t)) == t);
}

TEST_CASE("format_timestamp covers the whole int64 range and trims the fraction",
          "[core][timestamp]") {
  CHECK(format_timestamp(std::numeric_limits<int64_t>::min()) ==
        "1677-09-21T00:12:43.145224192Z");
  CHECK(format_timestamp(std::numeric_limits<int64_t>::max()) ==
        "2262-04-11T23:47:16.854775807Z");
  CHECK(format_timestamp(-1) == "1969-12-31T23:59:59.999999999Z");
  CHECK(format_timestamp(123'456'789'000) == "1970-01-01T00:02:03.456789Z");
  CHECK(format_timestamp(1'000'000'000) == "1970-01-01T00:00:01Z");
}

TEST_CASE("iso_week follows ISO 8601 across year boundaries", "[core][timestamp]") {
  auto week_of = [](const char* text) {
    auto ns = convaudit::core::parse_timestamp(text);
    REQUIRE(ns);
    return convaudit::core::iso_week(*ns);
  };
  CHECK(week_of("2026-07-30T12:00:00Z").label == "2026-W31");
  CHECK(week_of("2026-07-27T00:00:00Z").label == "2026-W31");  // Monday
  CHECK(week_of("2026-07-26T23:59:59Z").label == "2026-W30");  // Sunday before
  CHECK(week_of("2021-01-03T10:00:00Z").label == "2020-W53");  // belongs to the previous year
  CHECK(week_of("2024-12-30T10:00:00Z").label == "2025-W01");  // belongs to the next year
  auto w = week_of("2026-07-30T12:00:00Z");
  CHECK(format_timestamp(w.monday_ns) == "2026-07-27T00:00:00Z");
  CHECK(week_of("1969-12-31T23:00:00Z").label == "1970-W01");  // 1970-01-01 is a Thursday
}

TEST_CASE("epoch digit strings beyond the nanosecond range are rejected, not wrapped",
          "[core][timestamp]") {
  for (const char* text : {"99999999999", "99999999999999", "99999999999999999",
                           "9999999999999999999"}) {
    INFO(text);
    auto parsed = parse_timestamp(text);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == ErrorCode::kBadTimestamp);
  }
  auto ok = parse_timestamp("9000000000");  // year 2255 in seconds still fits
  REQUIRE(ok);
  CHECK(*ok == 9'000'000'000 * kSecond);
}
