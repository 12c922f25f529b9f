#pragma once
// MappingSink: where the Redactor sends each (token -> value) pair it creates. The value is the
// normalised value the token was computed over (lower-cased e-mail, digits-only phone or card,
// ...: see pii_detector.h), so every spelling of one subject records the same pair. The vault
// implements it; tests can collect. Implementations must be thread-safe if shared by workers.

#include <string>
#include <string_view>

#include "redaction/pii_type.h"

namespace convaudit::redaction {

class MappingSink {
 public:
  virtual ~MappingSink() = default;
  virtual void record(const std::string& token, PiiType type, std::string_view value) = 0;
};

}  // namespace convaudit::redaction
