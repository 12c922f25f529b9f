#pragma once
// Fixed-point arithmetic for the summary: money in micro-units and int64 sums that saturate
// instead of overflowing, so no double survives into an AuditSummary.

#include <cstdint>
#include <optional>

namespace convaudit::aggregate::internal {

// a + b, clamped to the int64 range.
int64_t saturating_add(int64_t a, int64_t b);
// The nearest int64 (halves away from zero); nullopt for NaN, infinities and |value| >= 9.2e18.
std::optional<int64_t> round_to_int64(double value);
// round(usd x 1e6); nullopt when not finite or out of range.
std::optional<int64_t> to_micros(double usd);

}  // namespace convaudit::aggregate::internal
