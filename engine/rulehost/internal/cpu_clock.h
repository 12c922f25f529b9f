#pragma once
// A cheap clock for per-call rule timing and the wall-clock guard. Reading the thread CPU clock
// (CLOCK_THREAD_CPUTIME_ID) is a system call, and on virtual machines even steady_clock can be
// one: at two to four reads per rule call that dominated the whole run. On x86-64 this reads
// the time-stamp counter (constant-rate on every CPU made this decade), calibrated once
// against steady_clock; elsewhere it falls back to steady_clock. Thread-safe.

#include <chrono>
#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

namespace convaudit::rulehost::internal {

inline uint64_t cpu_ticks() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  return __rdtsc();
#else
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
#endif
}

// Ticks per millisecond, measured once (about 2 ms) on first use.
inline uint64_t cpu_ticks_per_ms() noexcept {
  static const uint64_t per_ms = [] {
#if defined(__x86_64__) || defined(__i386__)
    const auto start_time = std::chrono::steady_clock::now();
    const uint64_t start_ticks = cpu_ticks();
    while (std::chrono::steady_clock::now() - start_time < std::chrono::milliseconds(2)) {
    }
    const uint64_t ticks = cpu_ticks() - start_ticks;
    const auto elapsed_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                std::chrono::steady_clock::now() - start_time)
                                .count();
    const uint64_t result =
        elapsed_ns > 0 ? ticks * 1'000'000 / static_cast<uint64_t>(elapsed_ns) : 1'000'000;
    return result > 0 ? result : 1'000'000;
#else
    return uint64_t{1'000'000};
#endif
  }();
  return per_ms;
}

inline uint64_t cpu_ticks_to_ns(uint64_t ticks) noexcept {
  const uint64_t per_ms = cpu_ticks_per_ms();
  return ticks / per_ms * 1'000'000 + (ticks % per_ms) * 1'000'000 / per_ms;
}

}  // namespace convaudit::rulehost::internal
