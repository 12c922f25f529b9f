#include "engine/ingest/session_assembler.h"

#include <string>

#include <catch2/catch.hpp>

namespace convaudit::ingest {
namespace {

core::Message make(std::string session, core::Role role, std::string text, int64_t ts) {
  core::Message m;
  m.session_id = std::move(session);
  m.role = role;
  m.text = std::move(text);
  m.timestamp_ns = ts;
  return m;
}

std::string dump(const std::vector<core::Conversation>& conversations) {
  std::string out;
  for (const auto& c : conversations) {
    out += c.session_id + ":";
    for (const auto& m : c.messages) {
      out += " " + m.text;
    }
    out += "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("interleaved sessions are grouped and sorted by session id", "[ingest][assembler]") {
  SessionAssembler assembler;
  assembler.add(make("s2", core::Role::kUser, "b1", 10));
  assembler.add(make("s1", core::Role::kUser, "a1", 5));
  assembler.add(make("s3", core::Role::kUser, "c1", 1));
  assembler.add(make("s2", core::Role::kAssistant, "b2", 11));
  assembler.add(make("s1", core::Role::kAssistant, "a2", 6));
  CHECK(dump(assembler.take_conversations()) == "s1: a1 a2\ns2: b1 b2\ns3: c1\n");
}

TEST_CASE("messages are sorted by timestamp, ties keep input order", "[ingest][assembler]") {
  SessionAssembler assembler;
  assembler.add(make("s", core::Role::kAssistant, "third", 300));
  assembler.add(make("s", core::Role::kUser, "first", 100));
  assembler.add(make("s", core::Role::kUser, "tie-a", 200));
  assembler.add(make("s", core::Role::kAssistant, "tie-b", 200));
  assembler.add(make("s", core::Role::kUser, "tie-c", 200));
  CHECK(dump(assembler.take_conversations()) == "s: first tie-a tie-b tie-c third\n");
}

TEST_CASE("exact repeats of (role, text, timestamp) are dropped and counted",
          "[ingest][assembler]") {
  SessionAssembler assembler;
  assembler.add(make("s", core::Role::kUser, "hi", 1));
  assembler.add(make("s", core::Role::kAssistant, "hello", 2));
  assembler.add(make("s", core::Role::kUser, "hi", 1));       // duplicate
  assembler.add(make("s", core::Role::kAssistant, "hi", 1));  // other role: kept
  assembler.add(make("s", core::Role::kUser, "hi", 3));       // other time: kept
  assembler.add(make("other", core::Role::kUser, "hi", 1));   // other session: kept
  auto conversations = assembler.take_conversations();
  CHECK(dump(conversations) == "other: hi\ns: hi hi hello hi\n");
  CHECK(assembler.duplicate_count() == 1);
}

TEST_CASE("take_conversations resets the assembler", "[ingest][assembler]") {
  SessionAssembler assembler;
  assembler.add(make("s", core::Role::kUser, "x", 1));
  CHECK(assembler.take_conversations().size() == 1);
  CHECK(assembler.take_conversations().empty());
  assembler.add(make("t", core::Role::kUser, "y", 1));
  CHECK(dump(assembler.take_conversations()) == "t: y\n");
}

TEST_CASE("long texts survive deduplication intact", "[ingest][assembler]") {
  SessionAssembler assembler;
  std::string long_text(500, 'x');
  for (int i = 0; i < 50; ++i) {
    assembler.add(make("s", core::Role::kUser, long_text + std::to_string(i), 7));
    assembler.add(make("s", core::Role::kUser, "short" + std::to_string(i), 7));
  }
  auto conversations = assembler.take_conversations();
  REQUIRE(conversations.size() == 1);
  REQUIRE(conversations[0].messages.size() == 100);
  CHECK(conversations[0].messages[98].text == long_text + "49");
  CHECK(assembler.duplicate_count() == 0);
}

}  // namespace convaudit::ingest
