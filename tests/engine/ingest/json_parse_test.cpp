#include "engine/ingest/internal/json_parse.h"

#include <cmath>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

using convaudit::ingest::internal::parse_json;
using nlohmann::json;

namespace {

// Same value and same types all the way down (5 unsigned is not 5 signed, 1.0 is not 1).
bool same(const json& a, const json& b) {
  if (a.type() != b.type()) {
    return false;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) {
      return false;
    }
    for (auto it = a.begin(), other = b.begin(); it != a.end(); ++it, ++other) {
      if (it.key() != other.key() || !same(it.value(), other.value())) {
        return false;
      }
    }
    return true;
  }
  if (a.is_array()) {
    if (a.size() != b.size()) {
      return false;
    }
    for (size_t i = 0; i < a.size(); ++i) {
      if (!same(a[i], b[i])) {
        return false;
      }
    }
    return true;
  }
  if (a.is_number_float()) {  // bit for bit: -0.0 is not 0.0
    return std::signbit(a.get<double>()) == std::signbit(b.get<double>()) &&
           a.get<double>() == b.get<double>();
  }
  return a == b;
}

struct Outcome {
  std::optional<json> value;
  std::string error;
};

Outcome nlohmann_parse(const std::string& text) {
  try {
    return {json::parse(text), ""};
  } catch (const json::exception& e) {
    return {std::nullopt, e.what()};
  }
}

Outcome fast_parse(const std::string& text) {
  try {
    return {parse_json(text), ""};
  } catch (const json::exception& e) {
    return {std::nullopt, e.what()};
  }
}

// parse_json must accept, reject and build exactly what nlohmann::json::parse does.
void check_agrees(const std::string& text) {
  INFO("text: " << text);
  const Outcome expected = nlohmann_parse(text);
  const Outcome actual = fast_parse(text);
  REQUIRE(actual.value.has_value() == expected.value.has_value());
  if (expected.value) {
    CHECK(same(*actual.value, *expected.value));
  } else {
    CHECK(actual.error == expected.error);
  }
}

}  // namespace

TEST_CASE("parse_json agrees with nlohmann on edge cases", "[ingest][json]") {
  const std::vector<std::string> texts = {"{}",
                                          "[]",
                                          "42",
                                          "-42",
                                          "0",
                                          "-0",
                                          "-0.0",
                                          "0.0",
                                          "1.0",
                                          "1e2",
                                          "1E-2",
                                          "-1.5e300",
                                          "1e400",
                                          "-1e400",
                                          "18446744073709551615",
                                          "18446744073709551616",
                                          "9223372036854775807",
                                          "9223372036854775808",
                                          "-9223372036854775808",
                                          "-9223372036854775809",
                                          "01",
                                          "-01",
                                          "1.",
                                          ".5",
                                          "+1",
                                          "0x10",
                                          "\"\\ud800\"",
                                          "\"\\ud83d\\ude00\"",
                                          "\"\\udc00\\ud800\"",
                                          std::string("\"a\x01"
                                                      "b\""),
                                          "\"\\u0000\"",
                                          "\"\x7f\"",
                                          "\"\\x\"",
                                          "{} {}",
                                          "[1,]",
                                          "[1 2]",
                                          "{\"a\" 1}",
                                          "{\"a\":1,\"a\":2}",
                                          "{\"b\":1,\"a\":[true,false,null]}",
                                          "\xEF\xBB\xBF{}",
                                          "  42  ",
                                          "\t[\n1\r\n]\n",
                                          "nul",
                                          "tru",
                                          "true",
                                          "null",
                                          "",
                                          "   ",
                                          "{\"date\":\"2026-07-01T00:00:00Z\",\"n\":-0}",
                                          "{\"x\":\"-0\"}",
                                          "[-0,-0.5,-0e1]",
                                          "\"caf\xC3\xA9 \xF0\x9F\x98\x80\"",
                                          "\"\\u00e9\\n\\t\\\"\\\\\\/\"",
                                          "[[[[[]]]]]",
                                          "{\"a\":{\"b\":{\"c\":{}}}}"};
  for (const std::string& text : texts) {
    check_agrees(text);
  }
}

TEST_CASE("parse_json agrees with nlohmann on random and damaged documents", "[ingest][json]") {
  std::mt19937_64 random(20261202);
  auto pick = [&](size_t n) { return static_cast<size_t>(random() % n); };
  const std::vector<std::string> atoms = {"0",
                                          "-0",
                                          "7",
                                          "-7",
                                          "42",
                                          "-0.0",
                                          "3.25",
                                          "1e3",
                                          "-2.5E-3",
                                          "18446744073709551615",
                                          "18446744073709551616",
                                          "-9223372036854775808",
                                          "9223372036854775807",
                                          "1e999",
                                          "true",
                                          "false",
                                          "null",
                                          "\"\"",
                                          "\"text\"",
                                          "\"2026-07-01T09:30:00.5Z\"",
                                          "\"\\u00fc\\ud83d\\ude00\"",
                                          "\"tab\\there\"",
                                          "\"\xC3\xBC\xE2\x82\xAC\"",
                                          "\"-0\""};
  std::function<std::string(int)> document = [&](int depth) -> std::string {
    const size_t kind = depth > 4 ? 0 : pick(4);
    if (kind == 0 || kind == 1) {
      return atoms[pick(atoms.size())];
    }
    const std::string space = pick(3) == 0 ? " \n" : "";
    std::string out(kind == 2 ? "[" : "{");
    const size_t items = pick(5);
    for (size_t i = 0; i < items; ++i) {
      if (i > 0) {
        out += "," + space;
      }
      if (kind == 3) {
        out += "\"k" + std::to_string(pick(4)) + "\"" + space + ":";  // duplicate keys too
      }
      out += document(depth + 1);
    }
    out += kind == 2 ? "]" : "}";
    return out;
  };
  const std::string damage = "{}[]\",:-0.e\\ \x01\xC3";
  size_t accepted = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text = document(0);
    if (round % 2 == 1 && !text.empty()) {  // damage every other document
      const size_t at = pick(text.size());
      switch (pick(3)) {
        case 0:
          text.erase(at, 1);
          break;
        case 1:
          text.insert(at, 1, damage[pick(damage.size())]);
          break;
        default:
          text[at] = damage[pick(damage.size())];
          break;
      }
    }
    check_agrees(text);
    accepted += nlohmann_parse(text).value ? 1 : 0;
  }
  CHECK(accepted > 1000);  // both sides of the comparison were exercised
  CHECK(accepted < 3000);
}

TEST_CASE("parse_json_fast refuses what the checked path must judge", "[ingest][json]") {
  using convaudit::ingest::internal::parse_json_fast;
  auto nested = [](int levels) {
    return std::string(static_cast<size_t>(levels), '[') +
           std::string(static_cast<size_t>(levels), ']');
  };
  CHECK(parse_json_fast(nested(4), 4).has_value());  // four levels: allowed
  CHECK_FALSE(parse_json_fast(nested(5), 4).has_value());
  CHECK_FALSE(parse_json_fast("{\"a\":{\"b\":{\"c\":{\"d\":{}}}}}", 4).has_value());
  CHECK(parse_json_fast("{\"a\":\"[[[[[[\"}", 2).has_value());  // brackets in strings do not nest
  CHECK_FALSE(parse_json_fast("{\"a\":\"\xC3\x28\"}", 10).has_value());      // invalid UTF-8
  CHECK_FALSE(parse_json_fast("{\"a\":\"\xED\xA0\x80\"}", 10).has_value());  // a UTF-16 surrogate
  CHECK_FALSE(parse_json_fast("{\"a\":-0}", 10).has_value());                // nlohmann's own
  const auto value = parse_json_fast("{\"m\":\"caf\xC3\xA9\",\"n\":[1,-2,3.5]}", 10);
  REQUIRE(value.has_value());
  CHECK(same(*value, json::parse("{\"m\":\"caf\xC3\xA9\",\"n\":[1,-2,3.5]}")));
}

TEST_CASE("a large record parses through a parser of its own, the same as nlohmann",
          "[ingest][json]") {
  // Records over 256 KiB do not grow the thread's kept parser; the value is the same.
  std::string text = "{\"message\":\"" + std::string(size_t{300} << 10, 'x') + "\",\"list\":[";
  for (int i = 0; i < 2000; ++i) {
    text += (i > 0 ? "," : "") + std::to_string(i * 7 - 5000);
  }
  text += "]}";
  check_agrees(text);
  check_agrees("{\"after\":\"a small record again\",\"n\":1.5}");
}
