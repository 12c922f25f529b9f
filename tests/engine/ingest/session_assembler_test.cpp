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

namespace convaudit::ingest {
namespace {

core::Message call(std::string text, core::Role role, int64_t ts, std::string call_id,
                   int64_t position) {
  core::Message m = make("s", role, std::move(text), ts);
  m.metadata["call_id"] = std::move(call_id);
  if (position >= 0) {
    m.metadata["call_position"] = position;
  }
  return m;
}

}  // namespace

TEST_CASE("history repeated by later calls is dropped; the first occurrence wins",
          "[ingest][assembler][history]") {
  using core::Role;
  SessionAssembler assembler;
  // Call 1: [sys, "yes"] -> "ok".  Call 2: [sys, "yes", "ok", "yes"] -> "done".
  assembler.add(call("sys", Role::kSystem, 10, "c1", 0));
  assembler.add(call("yes", Role::kUser, 10, "c1", 1));
  assembler.add(call("ok", Role::kAssistant, 15, "c1", 2));
  assembler.add(call("sys", Role::kSystem, 20, "c2", 0));
  assembler.add(call("yes", Role::kUser, 20, "c2", 1));
  assembler.add(call("ok", Role::kAssistant, 20, "c2", 2));
  assembler.add(call("yes", Role::kUser, 20, "c2", 3));  // said again: later position, kept
  assembler.add(call("done", Role::kAssistant, 25, "c2", 4));
  // Call 3 trims the history: ["ok" at 0, "yes" at 1] -> earlier positions, still repeats.
  assembler.add(call("ok", Role::kAssistant, 30, "c3", 0));
  assembler.add(call("yes", Role::kUser, 30, "c3", 1));
  assembler.add(call("bye", Role::kUser, 30, "c3", 2));
  auto conversations = assembler.take_conversations();
  REQUIRE(conversations.size() == 1);
  CHECK(dump(conversations) == "s: sys yes ok yes done bye\n");
  CHECK(assembler.duplicate_count() == 5);
  // The kept copies are the first occurrences, with their own time and call.
  CHECK(conversations[0].messages[1].timestamp_ns == 10);
  CHECK(conversations[0].messages[3].metadata["call_id"] == "c2");
}

TEST_CASE("history de-duplication needs a call id and a different call",
          "[ingest][assembler][history]") {
  using core::Role;
  SessionAssembler assembler;
  assembler.add(make("s", Role::kUser, "yes", 1));  // plain JSONL: never matched by position
  assembler.add(make("s", Role::kUser, "yes", 2));
  assembler.add(call("tool out", Role::kTool, 3, "tool-run", -1));  // no position: any
  assembler.add(call("tool out", Role::kTool, 4, "c9", 7));
  assembler.add(call("again", Role::kUser, 5, "c9", 8));
  assembler.add(call("again", Role::kUser, 6, "c9", 9));  // same call: a new message
  auto conversations = assembler.take_conversations();
  CHECK(dump(conversations) == "s: yes yes tool out again again\n");
  CHECK(assembler.duplicate_count() == 1);
}

TEST_CASE("issue 5: one call that says the same text twice keeps both",
          "[ingest][assembler][history]") {
  using core::Role;
  SessionAssembler assembler;
  // One gateway record: every request message shares the record's time.
  assembler.add(call("yes", Role::kUser, 10, "c1", 0));
  assembler.add(call("Sure?", Role::kAssistant, 10, "c1", 1));
  assembler.add(call("yes", Role::kUser, 10, "c1", 2));
  assembler.add(call("Done.", Role::kAssistant, 11, "c1", 3));
  CHECK(dump(assembler.take_conversations()) == "s: yes Sure? yes Done.\n");
  CHECK(assembler.duplicate_count() == 0);
}

TEST_CASE("issue 5: a call logged twice adds nothing, history and all",
          "[ingest][assembler][history]") {
  using core::Role;
  SessionAssembler assembler;
  for (int copy = 0; copy < 2; ++copy) {  // the same two calls, e.g. one file given twice
    assembler.add(call("Hi", Role::kUser, 100, "c1", 0));
    assembler.add(call("Hello", Role::kAssistant, 101, "c1", 1));
    assembler.add(call("Hi", Role::kUser, 110, "c2", 0));
    assembler.add(call("Hello", Role::kAssistant, 110, "c2", 1));
    assembler.add(call("Bye", Role::kUser, 110, "c2", 2));
    assembler.add(call("Goodbye", Role::kAssistant, 111, "c2", 3));
  }
  CHECK(dump(assembler.take_conversations()) == "s: Hi Hello Bye Goodbye\n");
  CHECK(assembler.duplicate_count() == 8);
}

TEST_CASE("issue 5: one call id and position at two times are two messages",
          "[ingest][assembler][history]") {
  using core::Role;
  SessionAssembler assembler;
  // otel per-message events without trace or span ids, in two files: the call id falls back
  // to the session and each file's positions start at 0.
  assembler.add(call("hello", Role::kUser, 10, "s", 0));
  assembler.add(call("yes", Role::kUser, 11, "s", 1));
  assembler.add(call("hello again", Role::kUser, 50, "s", 0));
  assembler.add(call("yes", Role::kUser, 51, "s", 1));
  CHECK(dump(assembler.take_conversations()) == "s: hello yes hello again yes\n");
  CHECK(assembler.duplicate_count() == 0);
}

TEST_CASE("tool-call-only assistant messages differ by their tool call ids",
          "[ingest][assembler][history]") {
  using core::Role;
  SessionAssembler assembler;
  core::Message first = call("", Role::kAssistant, 1, "c1", 1);
  first.metadata["tool_calls"] = nlohmann::json::parse(R"([{"id": "a"}])");
  core::Message repeat = call("", Role::kAssistant, 2, "c2", 1);
  repeat.metadata["tool_calls"] = nlohmann::json::parse(R"([{"id": "a"}])");
  core::Message other = call("", Role::kAssistant, 3, "c2", 1);
  other.metadata["tool_calls"] = nlohmann::json::parse(R"([{"id": "b"}])");
  assembler.add(std::move(first));
  assembler.add(std::move(repeat));
  assembler.add(std::move(other));
  auto conversations = assembler.take_conversations();
  REQUIRE(conversations[0].messages.size() == 2);
  CHECK(conversations[0].messages[1].metadata["tool_calls"][0]["id"] == "b");
  CHECK(assembler.duplicate_count() == 1);
}

}  // namespace convaudit::ingest

namespace convaudit::ingest {

TEST_CASE("call-log identities are framed: NUL bytes in ids and text cannot merge two messages",
          "[ingest][assembler][history]") {
  using core::Role;
  using namespace std::string_literals;
  // A key of NUL-separated fields ("call\0position\0time\0role\0tools\0text") made these two
  // identities one, so the second message was dropped as a repeat of the first.
  const std::string role = std::to_string(static_cast<int>(Role::kUser));
  const std::string forged_call = "k\0"s + "5\0"s + "100\0"s + role + "\0"s;
  const std::string forged_text = "0\0"s + "100\0"s + role + "\0\0"s + "hi";
  SessionAssembler assembler;
  assembler.add(call(forged_text, Role::kUser, 100, "k", 5));
  assembler.add(call("hi", Role::kUser, 100, forged_call, 0));
  auto conversations = assembler.take_conversations();
  REQUIRE(conversations.size() == 1);
  REQUIRE(conversations[0].messages.size() == 2);
  CHECK(conversations[0].messages[1].text == "hi");
  CHECK(assembler.duplicate_count() == 0);
}

}  // namespace convaudit::ingest
