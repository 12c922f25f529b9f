#include "engine/aggregate/internal/fixed_point.h"

#include <cmath>
#include <limits>

namespace convaudit::aggregate::internal {
namespace {

// Doubles at or beyond 2^63 do not round into int64; stay a margin below it.
constexpr double kInt64Bound = 9.2e18;

}  // namespace

int64_t saturating_add(int64_t a, int64_t b) {
  int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) {
    return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
  }
  return sum;
}

std::optional<int64_t> round_to_int64(double value) {
  if (!std::isfinite(value) || std::fabs(value) >= kInt64Bound) {
    return std::nullopt;
  }
  return static_cast<int64_t>(std::llround(value));
}

std::optional<int64_t> to_micros(double usd) {
  if (!std::isfinite(usd)) {
    return std::nullopt;
  }
  return round_to_int64(usd * 1'000'000.0);
}

// A number or a numeric string ("12", "12.5"), whole text only.

}  // namespace convaudit::aggregate::internal
