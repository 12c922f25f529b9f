#include "engine/core/time_range.h"

#include <catch2/catch.hpp>

#include "engine/core/timestamp.h"

using convaudit::core::parse_period;
using convaudit::core::parse_timestamp;

TEST_CASE("quarters, months, weeks and years", "[core][period]") {
  auto q3 = parse_period("2026-Q3");
  REQUIRE(q3);
  CHECK(*q3->since_ns == *parse_timestamp("2026-07-01T00:00:00Z"));
  CHECK(*q3->until_ns == *parse_timestamp("2026-10-01T00:00:00Z"));
  CHECK(q3->label == "2026-Q3");
  auto q4 = parse_period("2026-Q4");
  REQUIRE(q4);
  CHECK(*q4->until_ns == *parse_timestamp("2027-01-01T00:00:00Z"));
  auto month = parse_period("2026-12");
  REQUIRE(month);
  CHECK(*month->since_ns == *parse_timestamp("2026-12-01"));
  CHECK(*month->until_ns == *parse_timestamp("2027-01-01"));
  auto week = parse_period("2026-W31");  // ISO week 31 of 2026: Mon 27 July
  REQUIRE(week);
  CHECK(*week->since_ns == *parse_timestamp("2026-07-27"));
  CHECK(*week->until_ns == *parse_timestamp("2026-08-03"));
  auto week1 = parse_period("2026-W01");  // 2026-01-01 is a Thursday: week 1 starts 2025-12-29
  REQUIRE(week1);
  CHECK(*week1->since_ns == *parse_timestamp("2025-12-29"));
  auto year = parse_period("2026");
  REQUIRE(year);
  CHECK(*year->until_ns == *parse_timestamp("2027-01-01"));
}

TEST_CASE("contains is half-open", "[core][period]") {
  auto q3 = *parse_period("2026-Q3");
  CHECK(q3.contains(*parse_timestamp("2026-07-01T00:00:00Z")));
  CHECK(q3.contains(*parse_timestamp("2026-09-30T23:59:59Z")));
  CHECK_FALSE(q3.contains(*parse_timestamp("2026-10-01T00:00:00Z")));
  CHECK_FALSE(q3.contains(*parse_timestamp("2026-06-30T23:59:59Z")));
}

TEST_CASE("bad periods are rejected", "[core][period]") {
  for (const char* bad : {"", "2026-Q5", "2026-Q0", "2026-13", "2026-W54", "26-Q3", "2026Q3",
                          "Q3-2026", "2026-W"}) {
    INFO(bad);
    auto r = parse_period(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == convaudit::ErrorCode::kBadPeriod);
  }
}
