#include "engine/core/time_range.h"

#include <charconv>

#include "engine/core/timestamp.h"

namespace convaudit::core {
namespace {

constexpr int64_t kNsPerDay = 86400LL * 1'000'000'000LL;

bool parse_int(std::string_view text, int64_t& out) {
  if (text.empty()) {
    return false;
  }
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

int64_t day_ns(int64_t year, unsigned month, unsigned day) {
  return days_from_civil(year, month, day) * kNsPerDay;
}

}  // namespace

Result<TimeRange> parse_period(std::string_view text) {
  auto bad = [&] {
    return fail(ErrorCode::kBadPeriod,
                "bad period '" + std::string(text) +
                    "': expected YYYY, YYYY-Qn, YYYY-MM or YYYY-Www (e.g. 2026-Q3)");
  };
  int64_t year = 0;
  if (text.size() < 4 || !parse_int(text.substr(0, 4), year) || year < 1970 || year > 2200) {
    return bad();
  }
  TimeRange range;
  range.label = std::string(text);
  if (text.size() == 4) {
    range.since_ns = day_ns(year, 1, 1);
    range.until_ns = day_ns(year + 1, 1, 1);
    return range;
  }
  if (text[4] != '-' || text.size() < 7) {
    return bad();
  }
  std::string_view rest = text.substr(5);
  int64_t n = 0;
  if ((rest[0] == 'Q' || rest[0] == 'q') && rest.size() == 2 && parse_int(rest.substr(1), n) &&
      n >= 1 && n <= 4) {
    unsigned first = static_cast<unsigned>(3 * (n - 1) + 1);
    range.since_ns = day_ns(year, first, 1);
    range.until_ns = n == 4 ? day_ns(year + 1, 1, 1) : day_ns(year, first + 3, 1);
    return range;
  }
  if ((rest[0] == 'W' || rest[0] == 'w') && rest.size() == 3 && parse_int(rest.substr(1), n) &&
      n >= 1 && n <= 53) {
    // ISO week 1 is the week with the year's first Thursday; weeks start on Monday.
    int64_t jan4 = days_from_civil(year, 1, 4);
    int64_t weekday = ((jan4 + 3) % 7 + 7) % 7;  // 0 = Monday (1970-01-01 was a Thursday)
    int64_t week1_monday = jan4 - weekday;
    int64_t next_jan4 = days_from_civil(year + 1, 1, 4);
    int64_t next_week1 = next_jan4 - ((next_jan4 + 3) % 7 + 7) % 7;
    int64_t start = week1_monday + (n - 1) * 7;
    if (start >= next_week1) {
      return bad();
    }
    range.since_ns = start * kNsPerDay;
    range.until_ns = (start + 7) * kNsPerDay;
    return range;
  }
  if (rest.size() == 2 && parse_int(rest, n) && n >= 1 && n <= 12) {
    range.since_ns = day_ns(year, static_cast<unsigned>(n), 1);
    range.until_ns = n == 12 ? day_ns(year + 1, 1, 1) : day_ns(year, static_cast<unsigned>(n + 1), 1);
    return range;
  }
  return bad();
}

}  // namespace convaudit::core
