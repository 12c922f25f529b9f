#pragma once
// Severity of a finding, ordered: kInfo < kLow < kMedium < kHigh < kCritical.
// Text form (rules, CLI, outputs): "info", "low", "medium", "high", "critical".

#include <optional>
#include <string_view>

namespace convaudit {

enum class Severity { kInfo = 0, kLow = 1, kMedium = 2, kHigh = 3, kCritical = 4 };

std::string_view severity_name(Severity severity);
// Parses the lower-case text form; nullopt for anything else.
std::optional<Severity> parse_severity(std::string_view text);

}  // namespace convaudit
