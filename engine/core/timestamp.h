#pragma once
// Timestamps: parsing the forms real exports use, and one canonical text form.
//
// Accepted by parse_timestamp (all become Unix-epoch nanoseconds, UTC):
//   RFC 3339 / ISO 8601:  2026-07-14T09:30:00Z, 2026-07-14T09:30:00.123456+02:00,
//                         2026-07-14 09:30:00 (no zone = UTC), 2026-07-14 (midnight UTC)
//   epoch numbers as text: seconds (<= 11 digits), milliseconds (12-14 digits),
//                         microseconds (15-17), nanoseconds (18-19); optional fraction on seconds

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/core/result.h"

namespace convaudit::core {

Result<int64_t> parse_timestamp(std::string_view text);

// Interprets a JSON number of epoch seconds, milliseconds, microseconds or nanoseconds by
// magnitude, as parse_timestamp does for digit strings.
int64_t epoch_number_to_ns(double value);

// "2026-07-14T09:30:00Z", or with ".123456789" fraction digits when not whole seconds.
std::string format_timestamp(int64_t timestamp_ns);

// Days since 1970-01-01 for a proleptic Gregorian date, and back.
int64_t days_from_civil(int64_t year, unsigned month, unsigned day);
void civil_from_days(int64_t days, int64_t& year, unsigned& month, unsigned& day);

// The ISO 8601 week a timestamp falls in (weeks start on Monday, UTC; week 1 holds the year's
// first Thursday). label is "2026-W31"; monday_ns is 00:00:00 UTC of its Monday.
struct IsoWeek {
  int64_t year = 0;
  unsigned week = 0;
  int64_t monday_ns = 0;
  std::string label;
};
IsoWeek iso_week(int64_t timestamp_ns);

}  // namespace convaudit::core
