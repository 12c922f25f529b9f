#pragma once
// One JSON parser for every ingest format: simdjson where it can, nlohmann_json's own parser
// where it cannot, always the same nlohmann::json value and the same errors.

#include <optional>
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

// The fast path alone: the value parse_json would give, when simdjson parses `text` (which also
// proves it valid UTF-8) and its arrays and objects nest at most `max_depth` levels; nullopt
// otherwise, and the caller checks the text and parses it with nlohmann's parser.
std::optional<nlohmann::json> parse_json_fast(std::string_view text, int max_depth);

}  // namespace convaudit::ingest::internal
