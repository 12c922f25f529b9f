#include "cli/commands/command.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include <unistd.h>

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

std::string current_user() {
  for (const char* name : {"CONVAUDIT_USER", "USER", "LOGNAME"}) {
    if (const char* value = std::getenv(name); value != nullptr && *value != '\0') {
      return value;
    }
  }
  return "uid:" + std::to_string(::getuid());
}

std::string default_demo_key_dir() {
  if (const char* home = std::getenv("CONVAUDIT_HOME"); home != nullptr && *home != '\0') {
    return (std::filesystem::path(home) / "demo-keys").string();
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return (std::filesystem::path(home) / ".convaudit" / "demo-keys").string();
  }
  return ".convaudit/demo-keys";
}

}  // namespace convaudit::cli
