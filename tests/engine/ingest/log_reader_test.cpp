#include "engine/ingest/log_reader.h"

#include <algorithm>
#include <atomic>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <unistd.h>

#include "engine/ingest/internal/jsonl_format.h"
#include "engine/ingest/session_assembler.h"

#include "tests/engine/ingest/ingest_fixture.h"

namespace convaudit::ingest {
namespace {

using testing::describe;
using testing::read_file;
using testing::read_text;
using testing::TempDir;

// Interleaved, out of order, three sessions, mixed aliases and timestamp forms.
const char* const kInterleaved =
    R"({"session_id":"s2","role":"user","message":"s2 first","timestamp":"2026-07-01T10:00:00Z"}
{"conversation_id":"s1","sender_type":"assistant","content":"s1 second","ts":1782900060}
{"session":"s1","sender":"customer","text":"s1 first","created_at":"2026-07-01T12:00:00+02:00"}

{"session_id":"s3","author":"user","message":"s3 only","time":1782900000000}
{"session_id":"s2","role":"bot","message":"s2 third","timestamp":"2026-07-01T10:02:00Z"}
{"session_id":"s2","role":"assistant","message":"s2 second","timestamp":"2026-07-01T10:01:00Z"}
)";

std::string assembled(const std::vector<core::Message>& messages) {
  SessionAssembler assembler;
  for (const core::Message& m : messages) {
    assembler.add(m);
  }
  std::string out;
  for (const core::Conversation& c : assembler.take_conversations()) {
    out += c.session_id + ":";
    for (const core::Message& m : c.messages) {
      out += " [" + m.text + "]";
    }
    out += "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("interleaved out-of-order JSONL assembles into ordered conversations",
          "[ingest][reader][jsonl]") {
  auto out = read_text(kInterleaved);
  REQUIRE(out.stats);
  CHECK(out.stats->format == InputFormat::kJsonl);
  CHECK(out.stats->records == 6);
  CHECK(out.stats->messages == 6);
  CHECK(out.stats->rejected == 0);
  CHECK(out.stats->bytes == std::string(kInterleaved).size());
  CHECK(out.rejects.rejects().empty());
  CHECK(assembled(out.messages) ==
        "s1: [s1 first] [s1 second]\n"
        "s2: [s2 first] [s2 second] [s2 third]\n"
        "s3: [s3 only]\n");
  REQUIRE(out.messages.size() == 6);
  CHECK(out.messages[3].source.line == 5);  // the blank line 4 still counts
  CHECK(out.messages[3].source.file.find("log.jsonl") != std::string::npos);
}

TEST_CASE("every reject kind, with its line, and the read goes on", "[ingest][reader][rejects]") {
  const std::string log =
      "{\"session_id\":\"s\",\"role\":\"user\",\"message\":\"ok 1\",\"ts\":1782900000}\n"  // 1
      "{\"session_id\":\"s\",\"role\":\"user\",\"message\":\"unterminated\n"               // 2
      "[1, 2, 3]\n"                                                                        // 3
      "{\"role\":\"user\",\"message\":\"no session\",\"ts\":1}\n"                          // 4
      "{\"session_id\":\"s\",\"role\":\"wizard\",\"message\":\"x\",\"ts\":1}\n"            // 5
      "{\"session_id\":\"s\",\"role\":\"user\",\"ts\":1}\n"                                // 6
      "{\"session_id\":\"s\",\"role\":\"user\",\"message\":\"x\",\"ts\":\"noon\"}\n"       // 7
      "\n"                                                                                 // 8
      "{\"session_id\":\"s\",\"role\":\"user\",\"message\":\"\xFF\xFE\",\"ts\":1}\n"       // 9
      "{\"unrelated\":true}\n"                                                             // 10
      "{\"session_id\":\"s\",\"role\":\"user\",\"message\":\"ok 2\",\"ts\":1782900001}\n"  // 11
      "{\"session_id\":\"s\",\"role\":\"user\",\"message\":\"x\"}\n";                      // 12
  auto out = read_text(log);
  REQUIRE(out.stats);
  CHECK(describe(out.rejects.rejects()) ==
        "line 2: ingest.malformed_json\n"
        "line 3: ingest.unknown_shape\n"
        "line 4: ingest.missing_field\n"
        "line 5: ingest.bad_field\n"
        "line 6: ingest.missing_field\n"
        "line 7: ingest.bad_timestamp\n"
        "line 9: ingest.bad_encoding\n"
        "line 10: ingest.unknown_shape\n"
        "line 12: ingest.missing_field\n");
  CHECK(out.messages.size() == 2);
  CHECK(out.stats->records == 11);
  CHECK(out.stats->messages == 2);
  CHECK(out.stats->rejected == 9);
  const Reject& malformed = out.rejects.rejects()[0];
  CHECK(malformed.file.find("log.jsonl") != std::string::npos);
  CHECK(malformed.excerpt.rfind("{\"session_id\":\"s\"", 0) == 0);
  CHECK_FALSE(malformed.reason.empty());
  CHECK(out.rejects.counts_by_code()["ingest.missing_field"] == 3);
}

TEST_CASE("nesting is judged the same on the fast and the checked parse", "[ingest][reader][rejects]") {
  // A record nests kMaxJsonDepth levels at most, counted from the record itself (level 1):
  // simdjson's fast parse and the checked path (text scan, then nlohmann) draw the same line,
  // also for a record the fast parse leaves to nlohmann ("-0").
  auto record = [](int levels, const char* number) {
    const size_t inner = static_cast<size_t>(levels - 2);  // the record and its metadata
    return "{\"session_id\":\"s\",\"role\":\"user\",\"message\":\"m\",\"ts\":1,\"n\":" +
           std::string(number) + ",\"metadata\":{\"deep\":" + std::string(inner, '[') +
           std::string(inner, ']') + "}}\n";
  };
  const int max = internal::kMaxJsonDepth;
  auto out = read_text(record(max, "1") + record(max + 1, "1") + record(max, "-0") +
                       record(max + 1, "-0"));
  REQUIRE(out.stats);
  CHECK(describe(out.rejects.rejects()) ==
        "line 2: ingest.malformed_json\n"
        "line 4: ingest.malformed_json\n");
  REQUIRE(out.rejects.rejects().size() == 2);
  CHECK(out.rejects.rejects()[0].reason.find("nested deeper") != std::string::npos);
  CHECK(out.messages.size() == 2);
}

TEST_CASE("a record over max_record_bytes is rejected without being parsed",
          "[ingest][reader][rejects]") {
  TempDir dir;
  std::string big = "{\"session_id\":\"s\",\"role\":\"user\",\"message\":\"" +
                    std::string(4000, 'x') + "\",\"ts\":1}";
  std::string file = dir.write(
      "big.jsonl", big + "\n{\"session_id\":\"s\",\"role\":\"user\",\"message\":\"m\",\"ts\":1}\n");
  auto out = read_file(file, InputFormat::kAuto, 1000);
  REQUIRE(out.stats);
  CHECK(describe(out.rejects.rejects()) == "line 1: ingest.line_too_long\n");
  REQUIRE(out.rejects.rejects().size() == 1);
  CHECK(out.rejects.rejects()[0].excerpt.size() <= 200);
  CHECK(out.messages.size() == 1);
}

TEST_CASE("gzip input reads like the plain file", "[ingest][reader][gzip]") {
  TempDir dir;
  auto plain = read_file(dir.write("a.jsonl", kInterleaved));
  auto gz = read_file(dir.write_gzip("a.jsonl.gz", kInterleaved));
  REQUIRE(plain.stats);
  REQUIRE(gz.stats);
  CHECK(gz.stats->messages == 6);
  CHECK(gz.stats->bytes == plain.stats->bytes);
  CHECK(describe(gz.messages) == describe(plain.messages));
}

TEST_CASE("standard input is read as \"-\"", "[ingest][reader][stdin]") {
  TempDir dir;
  std::string file = dir.write_gzip("in.gz", kInterleaved);
  int saved = ::dup(STDIN_FILENO);
  int fd = ::open(file.c_str(), O_RDONLY);
  REQUIRE(fd >= 0);
  ::dup2(fd, STDIN_FILENO);
  ::close(fd);
  auto out = read_file("-");
  ::dup2(saved, STDIN_FILENO);
  ::close(saved);
  REQUIRE(out.stats);
  CHECK(out.stats->messages == 6);
  REQUIRE_FALSE(out.messages.empty());
  CHECK(out.messages[0].source.file == "-");
}

const char* const kDbArray = R"([
  {"session_id": "b", "channel": "web",
   "messages": [
     {"role": "user", "content": "b hello", "timestamp": "2026-07-01T10:00:00Z"},
     {"role": "assistant", "content": "b hi", "timestamp": "2026-07-01T10:00:05Z"}
   ]},
  {"session_id": "a", "channel": "phone",
   "messages": [
     {"role": "assistant", "content": "a later", "timestamp": "2026-07-01T09:00:09Z"},
     {"role": "user", "content": "a earlier", "timestamp": "2026-07-01T09:00:00Z"}
   ]}
]
)";

TEST_CASE("db export as one JSON array", "[ingest][reader][db]") {
  auto out = read_text(kDbArray);
  REQUIRE(out.stats);
  CHECK(out.stats->format == InputFormat::kDb);
  CHECK(out.stats->records == 2);
  CHECK(out.stats->messages == 4);
  CHECK(out.rejects.rejects().empty());
  REQUIRE(out.messages.size() == 4);
  CHECK(out.messages[0].source.line == 4);
  CHECK(out.messages[3].source.line == 10);
  CHECK(out.messages[2].metadata == nlohmann::json{{"channel", "phone"}});
  CHECK(assembled(out.messages) == "a: [a earlier] [a later]\nb: [b hello] [b hi]\n");
}

TEST_CASE("db export as JSON lines, and the same data gzip-compressed", "[ingest][reader][db]") {
  const std::string lines =
      R"({"conversation_id":"x","messages":[{"role":"user","text":"q","ts":1782900000},{"role":"ai","text":"r","ts":1782900001}]}
{"conversation_id":"y","user_tier":"gold","messages":[{"role":"user","text":"z","ts":1782900002,"metadata":{"tier":{"level":2}}}]}
{"conversation_id":"w","messages":"not an array"}
)";
  TempDir dir;
  for (const std::string& file :
       {dir.write("db.jsonl", lines), dir.write_gzip("db.jsonl.gz", lines)}) {
    auto out = read_file(file);
    REQUIRE(out.stats);
    CHECK(out.stats->format == InputFormat::kDb);
    CHECK(describe(out.messages) ==
          "x user 'q' @2026-07-01T10:00:00Z\n"
          "x assistant 'r' @2026-07-01T10:00:01Z\n"
          "y user 'z' @2026-07-01T10:00:02Z\n");
    CHECK(out.messages[2].metadata ==
          nlohmann::json{{"user_tier", "gold"}, {"tier", {{"level", 2}}}});
    CHECK(out.messages[2].source.line == 2);
    CHECK(describe(out.rejects.rejects()) == "line 3: ingest.unknown_shape\n");
  }
}

TEST_CASE("JSON array of per-message objects is read as JSONL", "[ingest][reader][jsonl]") {
  auto out = read_text(R"([{"session_id":"s","role":"user","message":"a","ts":1782900000},
 {"session_id":"s","role":"assistant","message":"b","ts":1782900001}, 42])");
  REQUIRE(out.stats);
  CHECK(out.stats->format == InputFormat::kJsonl);
  CHECK(out.messages.size() == 2);
  CHECK(out.messages[1].source.line == 2);
  CHECK(describe(out.rejects.rejects()) == "line 2: ingest.unknown_shape\n");
}

TEST_CASE("the first parseable object decides the format", "[ingest][reader][format]") {
  auto out = read_text(
      "not json\n{\"id\":\"s\",\"messages\":[{\"role\":\"user\",\"text\":\"t\","
      "\"ts\":1}]}\n");
  REQUIRE(out.stats);
  CHECK(out.stats->format == InputFormat::kDb);
  CHECK(out.messages.size() == 1);
  CHECK(describe(out.rejects.rejects()) == "line 1: ingest.malformed_json\n");
}

TEST_CASE("format override: jsonl and db force the reader", "[ingest][reader][format]") {
  const std::string session =
      R"({"session_id":"s","role":"user","message":"m","ts":1,"messages":[{"role":"user","text":"inner","ts":2}]})";
  auto as_jsonl = read_text(session, InputFormat::kJsonl);
  REQUIRE(as_jsonl.stats);
  CHECK(as_jsonl.stats->format == InputFormat::kJsonl);
  REQUIRE(as_jsonl.messages.size() == 1);
  CHECK(as_jsonl.messages[0].text == "m");

  auto as_db = read_text(session, InputFormat::kDb);
  REQUIRE(as_db.stats);
  REQUIRE(as_db.messages.size() == 1);
  CHECK(as_db.messages[0].text == "inner");

  auto plain_as_db = read_text(kInterleaved, InputFormat::kDb);
  REQUIRE(plain_as_db.stats);
  CHECK(plain_as_db.messages.empty());
  CHECK(plain_as_db.rejects.counts_by_code()["ingest.unknown_shape"] == 6);
}

TEST_CASE("a forced chat-API format rejects per-message JSONL lines as unknown shapes",
          "[ingest][reader][format]") {
  for (InputFormat f : {InputFormat::kOtel, InputFormat::kLangchain, InputFormat::kOpenai}) {
    auto out = read_text(kInterleaved, f);
    REQUIRE(out.stats);
    CHECK(out.stats->format == f);
    CHECK(out.messages.empty());
    CHECK(out.rejects.counts_by_code()["ingest.unknown_shape"] == 6);
  }
}

TEST_CASE("a missing file is kNotFound", "[ingest][reader]") {
  TempDir dir;
  auto out = read_file(dir.path("missing.jsonl"));
  REQUIRE_FALSE(out.stats);
  CHECK(out.stats.error().code == ErrorCode::kNotFound);
}

TEST_CASE("unterminated db array: elements read, then one structure reject",
          "[ingest][reader][db][rejects]") {
  auto out = read_text(
      "[\n{\"id\":\"s\",\"messages\":[{\"role\":\"user\",\"text\":\"t\",\"ts\":1}]},\n"
      "{\"id\":\"t\",\"messages\":[{\"role\":\"user\",\"text\":");
  REQUIRE(out.stats);
  CHECK(out.messages.size() == 1);
  CHECK(describe(out.rejects.rejects()) ==
        "line 3: ingest.malformed_json\nline 3: ingest.malformed_json\n");
}

}  // namespace convaudit::ingest

namespace convaudit::ingest {

TEST_CASE("examples/formats samples are detected and read without rejects",
          "[ingest][reader][format]") {
  struct Sample {
    const char* file;
    InputFormat format;
    size_t kept;
    uint64_t duplicates;
  };
  for (const Sample& sample : {Sample{"otel_traces.json", InputFormat::kOtel, 8, 3},
                               Sample{"otel_logs.jsonl", InputFormat::kOtel, 6, 0},
                               Sample{"langchain_events.jsonl", InputFormat::kLangchain, 7, 4},
                               Sample{"langchain_runs.json", InputFormat::kLangchain, 6, 0},
                               Sample{"openai_chat.jsonl", InputFormat::kOpenai, 12, 9}}) {
    INFO(sample.file);
    auto out =
        testing::read_file(std::string(CONVAUDIT_SOURCE_DIR) + "/examples/formats/" + sample.file);
    REQUIRE(out.stats);
    CHECK(out.stats->format == sample.format);
    CHECK(out.rejects.rejects().empty());
    auto assembled = testing::assemble(out.messages);
    size_t kept = 0;
    for (const auto& c : assembled.conversations) {
      kept += c.messages.size();
    }
    CHECK(kept == sample.kept);
    CHECK(assembled.duplicates == sample.duplicates);
  }
}

}  // namespace convaudit::ingest

namespace convaudit::ingest {
namespace {

using testing::ReadOutcome;

// Every field a reader of Messages could depend on, one line per message.
std::string describe_fully(const std::vector<core::Message>& messages) {
  std::string out;
  for (const core::Message& m : messages) {
    out += m.session_id + "|" + std::string(core::role_name(m.role)) + "|" + m.text + "|" +
           std::to_string(m.timestamp_ns) + "|" + m.metadata.dump() + "|" + m.source.file + ":" +
           std::to_string(m.source.line) + "\n";
  }
  return out;
}

std::string describe_rejects_fully(const std::vector<Reject>& rejects) {
  std::string out;
  for (const Reject& r : rejects) {
    out += r.file + ":" + std::to_string(r.line) + "|" + std::string(error_code_name(r.code)) +
           "|" + r.reason + "|" + r.excerpt + "\n";
  }
  return out;
}

// A real pool: fn(i) on up to four threads at once.
struct CountingPool {
  std::atomic<int> calls{0};
  ParallelFor parallel_for() {
    return [this](size_t n, const std::function<void(size_t)>& fn) {
      ++calls;
      std::atomic<size_t> next{0};
      auto work = [&] {
        for (size_t i = next++; i < n; i = next++) {
          fn(i);
        }
      };
      std::vector<std::thread> pool;
      for (size_t i = 1; i < std::min<size_t>(4, n); ++i) {
        pool.emplace_back(work);
      }
      work();
      for (std::thread& t : pool) {
        t.join();
      }
    };
  }
};

ReadOutcome read_with(const std::string& file, InputFormat format, ParallelFor parallel_for) {
  ReadOutcome out;
  ReadOptions options;
  options.format = format;
  options.max_record_bytes = 4096;
  options.parallel_for = std::move(parallel_for);
  out.stats = read_log(
      file, options, [&](core::Message&& m) { out.messages.push_back(std::move(m)); }, out.rejects);
  return out;
}

}  // namespace

TEST_CASE("parsing on several threads gives exactly the messages and rejects of one thread",
          "[ingest][reader][parallel]") {
  TempDir dir;
  // Several MiB of per-message JSONL with every kind of bad record sprinkled in, so that many
  // batches are parsed in parallel and rejects fall inside them.
  std::string jsonl;
  std::string db;
  for (int i = 0; i < 24000; ++i) {
    const std::string session = "s" + std::to_string(i % 977);
    const std::string text = "message " + std::to_string(i) + " caf\u00e9 \\u00e9 " +
                             std::string(static_cast<size_t>(i % 200), 'x');
    switch (i % 97) {
      case 13:
        jsonl += "{\"session_id\":\"" + session + "\",\"role\":\"user\",\"message\":\"cut\n";
        break;
      case 29:
        jsonl += "[1, 2, 3]\n";
        break;
      case 41:
        jsonl += "{\"session_id\":\"" + session + "\",\"role\":\"user\",\"ts\":1}\n";
        break;
      case 53:
        jsonl += "{\"session_id\":\"" + session + "\",\"role\":\"user\",\"message\":\"" +
                 std::string(5000, 'y') + "\",\"ts\":1}\n";
        break;
      case 71:
        jsonl += "\n";
        break;
      default:
        jsonl += "{\"session_id\":\"" + session + "\",\"role\":\"" +
                 (i % 2 == 0 ? "user" : "assistant") + "\",\"message\":\"" + text +
                 "\",\"ts\":" + std::to_string(1782900000 + i) +
                 ",\"metadata\":{\"n\":" + std::to_string(i) + ",\"model\":\"m" +
                 std::to_string(i % 3) + "\"}}\n";
    }
    if (i % 8 == 0) {
      db += (i / 8) % 11 == 5
                ? "{\"session_id\":\"d" + std::to_string(i) + "\"}\n"
                : "{\"session_id\":\"d" + std::to_string(i) +
                      "\",\"channel\":\"web\",\"messages\":[{\"role\":\"user\",\"content\":"
                      "\"q " +
                      std::to_string(i) +
                      "\",\"timestamp\":\"2026-07-01T10:00:00Z\"},{\"role\":\"assistant\","
                      "\"content\":\"a\",\"timestamp\":\"2026-07-01T10:00:05Z\"}]}\n";
    }
  }
  REQUIRE(jsonl.size() > (size_t{3} << 20));
  const std::string jsonl_file = dir.write("big.jsonl", jsonl);
  const std::string db_file = dir.write("sessions.jsonl", db);

  for (InputFormat format : {InputFormat::kAuto, InputFormat::kJsonl}) {
    CountingPool pool;
    ReadOutcome serial = read_with(jsonl_file, format, nullptr);
    ReadOutcome parallel = read_with(jsonl_file, format, pool.parallel_for());
    REQUIRE(serial.stats);
    REQUIRE(parallel.stats);
    CHECK(pool.calls > 3);  // the batches did go through the pool
    CHECK(serial.stats->messages > 20000);
    CHECK(serial.stats->rejected > 800);
    CHECK(parallel.stats->records == serial.stats->records);
    CHECK(parallel.stats->messages == serial.stats->messages);
    CHECK(parallel.stats->rejected == serial.stats->rejected);
    CHECK(describe_fully(parallel.messages) == describe_fully(serial.messages));
    CHECK(describe_rejects_fully(parallel.rejects.rejects()) ==
          describe_rejects_fully(serial.rejects.rejects()));
  }
  CountingPool pool;
  ReadOutcome serial = read_with(db_file, InputFormat::kAuto, nullptr);
  ReadOutcome parallel = read_with(db_file, InputFormat::kAuto, pool.parallel_for());
  REQUIRE(serial.stats);
  REQUIRE(parallel.stats);
  CHECK(serial.stats->format == InputFormat::kDb);
  CHECK(pool.calls >= 1);
  CHECK(serial.stats->messages > 5000);
  CHECK(serial.stats->rejected > 10);
  CHECK(describe_fully(parallel.messages) == describe_fully(serial.messages));
  CHECK(describe_rejects_fully(parallel.rejects.rejects()) ==
        describe_rejects_fully(serial.rejects.rejects()));
}

TEST_CASE("with parallel_for, messages reach the callback on the calling thread, and a callback "
          "that throws mid-file ends the read cleanly",
          "[ingest][reader][parallel]") {
  TempDir dir;
  std::string jsonl;
  for (int i = 0; i < 30000; ++i) {
    jsonl += "{\"session_id\":\"s" + std::to_string(i % 50) +
             "\",\"role\":\"user\",\"message\":\"message number " + std::to_string(i) +
             " with some padding to make the batch larger\",\"ts\":" +
             std::to_string(1782900000 + i) + "}\n";
  }
  REQUIRE(jsonl.size() > (size_t{2} << 20));  // at least three ~1 MiB batches
  const std::string file = dir.write("many.jsonl", jsonl);
  CountingPool pool;
  ReadOptions options;
  options.parallel_for = pool.parallel_for();
  const std::thread::id caller = std::this_thread::get_id();
  size_t delivered = 0;
  size_t out_of_order = 0;
  bool all_on_caller = true;
  RejectCollector rejects;
  auto stats = read_log(
      file, options,
      [&](core::Message&& m) {
        all_on_caller = all_on_caller && std::this_thread::get_id() == caller;
        if (m.text != "message number " + std::to_string(delivered) +
                          " with some padding to make the batch larger") {
          ++out_of_order;
        }
        ++delivered;
      },
      rejects);
  REQUIRE(stats);
  CHECK(delivered == 30000);
  CHECK(out_of_order == 0);
  CHECK(all_on_caller);
  CHECK(pool.calls >= 3);

  // Throwing from the callback in the middle of the first batch leaves read_log with the
  // exception; no parsing thread may outlive it (a joinable std::thread destroyed would
  // terminate the test binary).
  size_t seen = 0;
  CHECK_THROWS_AS(read_log(
                      file, options,
                      [&](core::Message&&) {
                        if (++seen == 100) {
                          throw std::runtime_error("sink full");
                        }
                      },
                      rejects),
                  std::runtime_error);
  CHECK(seen == 100);
}

}  // namespace convaudit::ingest
