#pragma once
// RE2 options shared by PatternSet and Regex. Internal to engine/match.

#include <re2/re2.h>

#include "engine/match/pattern_set.h"

namespace convaudit::match::internal {

// UTF-8, no logging of bad patterns to stderr (errors are returned), bounded DFA memory.
inline RE2::Options re2_options(const PatternOptions& options) {
  RE2::Options re2_options;
  re2_options.set_log_errors(false);
  re2_options.set_case_sensitive(!options.case_insensitive);
  re2_options.set_literal(options.literal);
  re2_options.set_max_mem(64 << 20);
  return re2_options;
}

}  // namespace convaudit::match::internal
