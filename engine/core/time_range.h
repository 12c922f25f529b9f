#pragma once
// TimeRange: the audit period, a half-open interval [since, until) of epoch nanoseconds.
//
// Period grammar (parse_period), all UTC:
//   YYYY-Qn   quarter   2026-Q3  = [2026-07-01, 2026-10-01)
//   YYYY-MM   month     2026-07
//   YYYY-Www  ISO week  2026-W31 (Monday to Monday)
//   YYYY      year      2026

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/core/result.h"

namespace convaudit::core {

struct TimeRange {
  std::optional<int64_t> since_ns;  // inclusive; none = unbounded
  std::optional<int64_t> until_ns;  // exclusive; none = unbounded
  std::string label;                // "2026-Q3", or "" for --since/--until ranges

  bool contains(int64_t timestamp_ns) const {
    return (!since_ns || timestamp_ns >= *since_ns) && (!until_ns || timestamp_ns < *until_ns);
  }
  bool is_unbounded() const { return !since_ns && !until_ns; }
};

Result<TimeRange> parse_period(std::string_view text);

}  // namespace convaudit::core
