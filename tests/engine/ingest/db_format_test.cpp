#include "engine/ingest/internal/db_format.h"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace convaudit::ingest::internal {
namespace {

using nlohmann::json;

struct Collected {
  std::vector<core::Message> messages;
  std::vector<Error> rejects;
};

Collected parse_session(const std::string& text, int64_t line = 10) {
  Collected out;
  SessionSinks sinks{[&](core::Message&& m) { out.messages.push_back(std::move(m)); },
                     [&](Error e, std::string_view) { out.rejects.push_back(std::move(e)); }};
  parse_db_session(json::parse(text), text, "db.json", line, sinks);
  return out;
}

}  // namespace

TEST_CASE("is_db_session needs a messages array", "[ingest][db]") {
  CHECK(is_db_session(json::parse(R"({"id":1,"messages":[]})")));
  CHECK_FALSE(is_db_session(json::parse(R"({"id":1,"messages":"x"})")));
  CHECK_FALSE(is_db_session(json::parse(R"({"session_id":"s","role":"user"})")));
  CHECK_FALSE(is_db_session(json::parse(R"([{"messages":[]}])")));
}

TEST_CASE("a session's messages get its id, fields and per-message lines", "[ingest][db]") {
  const std::string text = R"({"id": "s9", "channel": "web", "started_at": 1782900000,
  "metadata": {"customer_tier": "gold"},
  "messages": [
    {"role": "user", "content": "hi", "timestamp": 1782900001, "channel": "app"},
    {"role": "assistant", "content": "hello [there], {you}"},
    {"role": "user", "content": "bye", "timestamp": 1782900005}
  ]})";
  Collected c = parse_session(text);
  REQUIRE(c.rejects.empty());
  REQUIRE(c.messages.size() == 3);
  CHECK(c.messages[0].session_id == "s9");
  CHECK(c.messages[0].metadata == json{{"channel", "app"}, {"customer_tier", "gold"}});
  CHECK(c.messages[1].metadata == json{{"channel", "web"}, {"customer_tier", "gold"}});
  CHECK(c.messages[0].source.line == 13);
  CHECK(c.messages[1].source.line == 14);
  CHECK(c.messages[2].source.line == 15);
  // No own timestamp: the previous message's.
  CHECK(c.messages[1].timestamp_ns == c.messages[0].timestamp_ns);
  CHECK(c.messages[2].timestamp_ns == 1'782'900'005'000'000'000);
}

TEST_CASE("the session timestamp is the fallback of the first messages", "[ingest][db]") {
  Collected c = parse_session(
      R"({"conversation_id": 12, "created_at": "2026-07-01T10:00:00Z",
          "messages": [{"role": "user", "text": "a"}]})");
  REQUIRE(c.messages.size() == 1);
  CHECK(c.messages[0].session_id == "12");
  CHECK(c.messages[0].timestamp_ns == 1'782'900'000'000'000'000);
  CHECK(c.messages[0].metadata.empty());
}

TEST_CASE("db rejects: no session id, bad message, no timestamp at all", "[ingest][db][rejects]") {
  Collected no_id = parse_session(R"({"messages": [{"role": "user", "text": "a", "ts": 1}]})", 3);
  REQUIRE(no_id.rejects.size() == 1);
  CHECK(no_id.rejects[0].code == ErrorCode::kMissingField);
  CHECK(no_id.rejects[0].where.line == 3);
  CHECK(no_id.messages.empty());

  Collected mixed = parse_session(
      "{\"id\": \"s\", \"messages\": [\n"
      "  {\"role\": \"user\", \"text\": \"a\"},\n"
      "  {\"role\": \"user\", \"text\": \"b\", \"ts\": 5},\n"
      "  {\"role\": \"alien\", \"text\": \"c\"},\n"
      "  \"just text\",\n"
      "  {\"role\": \"user\", \"text\": \"d\", \"ts\": \"never\"}\n"
      "]}",
      1);
  CHECK(mixed.messages.size() == 1);
  REQUIRE(mixed.rejects.size() == 4);
  CHECK(mixed.rejects[0].code == ErrorCode::kMissingField);  // no timestamp anywhere
  CHECK(mixed.rejects[0].where.line == 2);
  CHECK(mixed.rejects[1].code == ErrorCode::kBadField);
  CHECK(mixed.rejects[1].where.line == 4);
  CHECK(mixed.rejects[2].code == ErrorCode::kUnknownShape);
  CHECK(mixed.rejects[2].where.line == 5);
  CHECK(mixed.rejects[3].code == ErrorCode::kBadTimestamp);
  CHECK(mixed.rejects[3].where.line == 6);
}

TEST_CASE("member_array_offsets finds the top-level member only", "[ingest][db]") {
  const std::string text =
      R"({"x": {"messages": [9]}, "note": "\"messages\": [", "messages": [ {"a": [1,2]}, "s,]", 3 ]})";
  std::vector<size_t> offsets = member_array_offsets(text, "messages");
  REQUIRE(offsets.size() == 3);
  CHECK(text.substr(offsets[0], 3) == "{\"a");
  CHECK(text.substr(offsets[1], 5) == "\"s,]\"");
  CHECK(text.substr(offsets[2], 1) == "3");
  CHECK(member_array_offsets(R"({"messages": []})", "messages").empty());
  CHECK(member_array_offsets(R"({"other": [1]})", "messages").empty());
}

}  // namespace convaudit::ingest::internal
