#include "engine/ingest/internal/jsonl_format.h"

#include <string>

#include <catch2/catch.hpp>

#include "engine/core/timestamp.h"

namespace convaudit::ingest::internal {
namespace {

using nlohmann::json;

Result<core::Message> parse(const std::string& text) {
  return parse_message(json::parse(text), MessageContext{"f.jsonl", 4});
}

ErrorCode code_of(const std::string& text) {
  auto m = parse(text);
  REQUIRE_FALSE(m);
  CHECK(m.error().where.line == 4);
  return m.error().code;
}

constexpr int64_t kJuly1 = 1'782'900'000'000'000'000;  // 2026-07-01T10:00:00Z

}  // namespace

TEST_CASE("canonical record", "[ingest][jsonl]") {
  auto m = parse(R"({"session_id":"s1","role":"user","message":"hi",
                     "timestamp":"2026-07-01T10:00:00Z","metadata":{"model":"gpt-4o"}})");
  REQUIRE(m);
  CHECK(m->session_id == "s1");
  CHECK(m->role == core::Role::kUser);
  CHECK(m->text == "hi");
  CHECK(m->timestamp_ns == kJuly1);
  CHECK(m->metadata == json{{"model", "gpt-4o"}});
  CHECK(m->source.file == "f.jsonl");
  CHECK(m->source.line == 4);
}

TEST_CASE("field aliases", "[ingest][jsonl][aliases]") {
  struct Case {
    const char* record;
    const char* session;
    core::Role role;
    const char* text;
  };
  const Case cases[] = {
      {R"({"conversation_id":"c","sender_type":"bot","content":"a","ts":1782900000})", "c",
       core::Role::kAssistant, "a"},
      {R"({"session":"d","sender":"human","text":"b","created_at":"2026-07-01T12:00:00+02:00"})",
       "d", core::Role::kUser, "b"},
      {R"({"thread_id":42,"author":"system","message":"c","time":1782900000000})", "42",
       core::Role::kSystem, "c"},
      {R"({"session_id":"e","role":"function","content":[{"type":"text","text":"x"},"y"],
          "timestamp":1782900000000000000})",
       "e", core::Role::kTool, "x\ny"},
  };
  for (const Case& c : cases) {
    INFO(c.record);
    auto m = parse(c.record);
    REQUIRE(m);
    CHECK(m->session_id == c.session);
    CHECK(m->role == c.role);
    CHECK(m->text == c.text);
    CHECK(m->timestamp_ns == kJuly1);
    CHECK(m->metadata.empty());
  }
}

TEST_CASE("the first present alias wins, the others stay as metadata", "[ingest][jsonl][aliases]") {
  auto m = parse(R"({"session_id":null,"conversation_id":"c","role":"user","message":"one",
                     "text":"two","ts":"2026-07-01T10:00:00Z"})");
  REQUIRE(m);
  CHECK(m->session_id == "c");
  CHECK(m->text == "one");
  CHECK(m->metadata == json{{"session_id", nullptr}, {"text", "two"}});
}

TEST_CASE("metadata keeps every other field and explicit metadata wins",
          "[ingest][jsonl][metadata]") {
  auto m = parse(R"({"session_id":"s","role":"assistant","message":"ok","timestamp":1782900000,
                     "model":"top-level","latency_ms":120,"attack_blocked":true,
                     "tokens":{"in":10,"out":[1,{"deep":null}]},
                     "metadata":{"model":"gpt-4o","prompt_version":"v3"}})");
  REQUIRE(m);
  json expected = {{"model", "gpt-4o"},
                   {"prompt_version", "v3"},
                   {"latency_ms", 120},
                   {"attack_blocked", true},
                   {"tokens", {{"in", 10}, {"out", json::array({1, {{"deep", nullptr}}})}}}};
  CHECK(m->metadata == expected);
}

TEST_CASE("a non-object metadata value is kept under its own key", "[ingest][jsonl][metadata]") {
  auto m = parse(R"({"session_id":"s","role":"user","message":"x","ts":1,"metadata":"free"})");
  REQUIRE(m);
  CHECK(m->metadata == json{{"metadata", "free"}});
}

TEST_CASE("unicode text is kept, escaped or not", "[ingest][jsonl][unicode]") {
  auto raw = parse(R"({"session_id":"s","role":"user","message":"Grüße 你好 🙂","ts":1})");
  auto escaped = parse(
      R"({"session_id":"s","role":"user","message":"Gr\u00fc\u00dfe \u4f60\u597d \ud83d\ude42","ts":1})");
  REQUIRE(raw);
  REQUIRE(escaped);
  CHECK(raw->text ==
        "Gr\xC3\xBC\xC3\x9F"
        "e \xE4\xBD\xA0\xE5\xA5\xBD \xF0\x9F\x99\x82");
  CHECK(escaped->text == raw->text);
}

TEST_CASE("timestamps: zones, fractions, epoch units", "[ingest][jsonl][timestamp]") {
  CHECK(*parse_timestamp_value(json("2026-07-01T10:00:00.5Z")) == kJuly1 + 500'000'000);
  CHECK(*parse_timestamp_value(json("2026-07-01T06:00:00-04:00")) == kJuly1);
  CHECK(*parse_timestamp_value(json("1782900000")) == kJuly1);
  CHECK(*parse_timestamp_value(json(1782900000.25)) == kJuly1 + 250'000'000);
  CHECK(*parse_timestamp_value(json(1782900000123)) == kJuly1 + 123'000'000);
  CHECK(*parse_timestamp_value(json(1782900000123456)) == kJuly1 + 123'456'000);
  CHECK(*parse_timestamp_value(json(1782900000123456789)) == kJuly1 + 123'456'789);
}

TEST_CASE("bad timestamps are kBadTimestamp, never overflow", "[ingest][jsonl][timestamp]") {
  for (json bad :
       {json("yesterday"), json("2026-13-01T00:00:00Z"), json(""), json(true), json::object(),
        json("99999999999"), json(99999999999), json(9.9e13), json("99999999999999"), json(1e300),
        json("18446744073709551615"), json(18446744073709551615ull)}) {
    INFO(bad.dump());
    auto ns = parse_timestamp_value(bad);
    REQUIRE_FALSE(ns);
    CHECK(ns.error().code == ErrorCode::kBadTimestamp);
  }
}

TEST_CASE("every reject kind of a per-message record", "[ingest][jsonl][rejects]") {
  CHECK(code_of(R"([1,2])") == ErrorCode::kUnknownShape);
  CHECK(code_of(R"({"foo":"bar"})") == ErrorCode::kUnknownShape);
  CHECK(code_of(R"({"role":"user","message":"x","ts":1})") == ErrorCode::kMissingField);
  CHECK(code_of(R"({"session_id":"","role":"user","message":"x","ts":1})") ==
        ErrorCode::kMissingField);
  CHECK(code_of(R"({"session_id":"s","message":"x","ts":1})") == ErrorCode::kMissingField);
  CHECK(code_of(R"({"session_id":"s","role":"user","ts":1})") == ErrorCode::kMissingField);
  CHECK(code_of(R"({"session_id":"s","role":"user","message":null,"ts":1})") ==
        ErrorCode::kMissingField);
  CHECK(code_of(R"({"session_id":"s","role":"user","message":"x"})") == ErrorCode::kMissingField);
  CHECK(code_of(R"({"session_id":"s","role":"wizard","message":"x","ts":1})") ==
        ErrorCode::kBadField);
  CHECK(code_of(R"({"session_id":"s","role":3,"message":"x","ts":1})") == ErrorCode::kBadField);
  CHECK(code_of(R"({"session_id":"s","role":"user","message":{"a":1},"ts":1})") ==
        ErrorCode::kBadField);
  CHECK(code_of(R"({"session_id":[1],"role":"user","message":"x","ts":1})") ==
        ErrorCode::kBadField);
  CHECK(code_of(R"({"session_id":"s","role":"user","message":"x","ts":"soon"})") ==
        ErrorCode::kBadTimestamp);
}

TEST_CASE("a container's session id, metadata and fallback timestamp", "[ingest][jsonl]") {
  json inherited = {{"channel", "web"}, {"model", "old"}};
  MessageContext context{"f", 9, std::string("sess"), &inherited, 77};
  auto m = parse_message(json::parse(R"({"role":"ai","content":"x","model":"new"})"), context);
  REQUIRE(m);
  CHECK(m->session_id == "sess");
  CHECK(m->timestamp_ns == 77);
  CHECK(m->metadata == json{{"channel", "web"}, {"model", "new"}});
}

TEST_CASE("record text checks: encoding and depth", "[ingest][jsonl][rejects]") {
  CHECK_FALSE(check_record_text(R"({"a":"Grüße 🙂 \"[[[["})").has_value());
  for (const char* bad : {"{\"a\":\"\xFF\"}", "{\"a\":\"\xC3\"}", "{\"a\":\"\xC0\xAF\"}",
                          "{\"a\":\"\xED\xA0\x80\"}", "{\"a\":\"\xF4\x90\x80\x80\"}"}) {
    auto problem = check_record_text(bad);
    REQUIRE(problem.has_value());
    CHECK(problem->code == ErrorCode::kBadEncoding);
  }
  std::string deep = std::string(kMaxJsonDepth + 1, '[') + std::string(kMaxJsonDepth + 1, ']');
  auto problem = check_record_text(deep);
  REQUIRE(problem.has_value());
  CHECK(problem->code == ErrorCode::kMalformedJson);
  std::string ok = std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']');
  CHECK_FALSE(check_record_text(ok).has_value());
}

}  // namespace convaudit::ingest::internal
