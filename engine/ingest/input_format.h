#pragma once
// Input formats a log file can have. Parsed once at the edge (CLI `--format`).
//   auto | jsonl | db | otel | langchain | openai

#include <optional>
#include <string_view>

namespace convaudit::ingest {

enum class InputFormat { kAuto, kJsonl, kDb, kOtel, kLangchain, kOpenai };

std::string_view input_format_name(InputFormat format);
std::optional<InputFormat> parse_input_format(std::string_view text);

}  // namespace convaudit::ingest
