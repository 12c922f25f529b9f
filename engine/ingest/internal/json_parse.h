#pragma once
// One JSON parser for every ingest format: simdjson where it can, nlohmann_json's own parser
// where it cannot, always the same nlohmann::json value and the same errors.

#include <string_view>

#include <nlohmann/json.hpp>

namespace convaudit::ingest::internal {

// Parses one JSON text into the value nlohmann::json::parse gives, and throws what it throws
// (nlohmann::json::parse_error) for text it rejects. simdjson (SIMD, no per-character token
// buffer) parses the text and the value is built from its tree; text simdjson rejects or cannot
// represent exactly (a byte-order mark, integers beyond 64 bits, "-0", numbers out of range)
// goes through nlohmann's parser, so accepting, rejecting, values, number types (an integer
// >= 0 is unsigned, < 0 signed) and error messages stay nlohmann's. simdjson is stricter, never
// looser: it rejects nothing nlohmann accepts that the fallback does not catch.
nlohmann::json parse_json(std::string_view text);

}  // namespace convaudit::ingest::internal
