#include "engine/core/error.h"

#include <catch2/catch.hpp>

#include "engine/core/result.h"

using convaudit::Error;
using convaudit::ErrorCode;

TEST_CASE("error codes have stable dotted names", "[core][error]") {
  CHECK(convaudit::error_code_name(ErrorCode::kBadTimestamp) == "ingest.bad_timestamp");
  CHECK(convaudit::error_code_name(ErrorCode::kRuleCpuBudget) == "rule.cpu_budget");
  CHECK(convaudit::error_code_name(ErrorCode::kBadSignature) == "verify.bad_signature");
}

TEST_CASE("format_error prints path:line:col: code: message", "[core][error]") {
  Error e{ErrorCode::kMalformedJson, "unexpected '}'", {"logs/a.jsonl", 12, 5, ""}};
  CHECK(convaudit::format_error(e) == "logs/a.jsonl:12:5: ingest.malformed_json: unexpected '}'");
  Error no_line{ErrorCode::kIo, "cannot open", {"x.jsonl", 0, 0, ""}};
  CHECK(convaudit::format_error(no_line) == "x.jsonl: io.error: cannot open");
  Error rule{ErrorCode::kRuleRuntime, "boom", {"r.lua", 3, 0, "a.b"}};
  CHECK(convaudit::format_error(rule) == "r.lua:3: rule.runtime_error: boom [rule a.b]");
}

TEST_CASE("Result carries a value or an error code", "[core][result]") {
  auto parse = [](int x) -> convaudit::Result<int> {
    if (x < 0) {
      return convaudit::fail(ErrorCode::kBadField, "negative");
    }
    return x * 2;
  };
  auto good = parse(4);
  REQUIRE(good);
  CHECK(*good == 8);
  auto bad = parse(-1);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == ErrorCode::kBadField);
  convaudit::Status st = convaudit::ok_status();
  CHECK(st.has_value());
}
