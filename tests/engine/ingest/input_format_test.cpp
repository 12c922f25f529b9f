#include "engine/ingest/input_format.h"

#include <catch2/catch.hpp>

namespace convaudit::ingest {

TEST_CASE("every format name parses back to its format", "[ingest][format]") {
  for (InputFormat f : {InputFormat::kAuto, InputFormat::kJsonl, InputFormat::kDb,
                        InputFormat::kOtel, InputFormat::kLangchain, InputFormat::kOpenai}) {
    auto parsed = parse_input_format(input_format_name(f));
    REQUIRE(parsed.has_value());
    CHECK(*parsed == f);
  }
  CHECK(input_format_name(InputFormat::kDb) == "db");
  CHECK(parse_input_format("JSONL") == InputFormat::kJsonl);
}

TEST_CASE("unknown format names are refused", "[ingest][format]") {
  CHECK_FALSE(parse_input_format("csv").has_value());
  CHECK_FALSE(parse_input_format("").has_value());
  CHECK_FALSE(parse_input_format("json l").has_value());
}

}  // namespace convaudit::ingest
