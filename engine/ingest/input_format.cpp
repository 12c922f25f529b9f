#include "engine/ingest/input_format.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <utility>

namespace convaudit::ingest {
namespace {

constexpr std::array<std::pair<InputFormat, std::string_view>, 6> kNames = {{
    {InputFormat::kAuto, "auto"},
    {InputFormat::kJsonl, "jsonl"},
    {InputFormat::kDb, "db"},
    {InputFormat::kOtel, "otel"},
    {InputFormat::kLangchain, "langchain"},
    {InputFormat::kOpenai, "openai"},
}};

}  // namespace

std::string_view input_format_name(InputFormat format) {
  for (const auto& [value, name] : kNames) {
    if (value == format) {
      return name;
    }
  }
  return "auto";
}

std::optional<InputFormat> parse_input_format(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& [value, name] : kNames) {
    if (name == lower) {
      return value;
    }
  }
  return std::nullopt;
}

}  // namespace convaudit::ingest
