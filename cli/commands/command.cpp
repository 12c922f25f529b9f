#include "cli/commands/command.h"

#include <iostream>

namespace convaudit::cli {

int report_error(const Error& error) {
  std::cerr << "convaudit: " << format_error(error) << "\n";
  switch (error.code) {
    case ErrorCode::kBadSignature:
    case ErrorCode::kDigestMismatch:
    case ErrorCode::kBadEnvelope:
      return static_cast<int>(ExitCode::kVerifyFailed);
    default:
      return static_cast<int>(ExitCode::kUsageOrInput);
  }
}

}  // namespace convaudit::cli
