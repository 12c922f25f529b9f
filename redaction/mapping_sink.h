#pragma once
// MappingSink: where the Redactor sends each (token -> original value) pair it creates. The vault
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
