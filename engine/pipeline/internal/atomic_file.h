#pragma once
// Atomic output files: the bytes go to a temporary file in the same folder, are fsync'ed, and are
// renamed over the target, so a killed run never leaves a half-written output.

#include <string>
#include <string_view>

#include "engine/core/result.h"

namespace convaudit::pipeline::internal {

Status write_file_atomically(const std::string& path, std::string_view content);

}  // namespace convaudit::pipeline::internal
