#include "engine/ingest/internal/line_source.h"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/engine/ingest/ingest_fixture.h"

namespace convaudit::ingest::internal {
namespace {

using testing::TempDir;

// "line:text" per record ("line:TOO_LONG" for cut records).
std::string records_of(LineSource& source) {
  std::string out;
  RawRecord record;
  while (source.next(record)) {
    out += std::to_string(record.line) + ":" + (record.too_long ? "TOO_LONG" : record.text) + "\n";
  }
  return out;
}

std::string records_of_file(const std::string& file, uint64_t max_bytes = 1024) {
  auto source = LineSource::open(file, max_bytes);
  REQUIRE(source);
  return records_of(**source);
}

}  // namespace

TEST_CASE("lines: blank lines skipped, CRLF accepted, line numbers kept", "[ingest][source]") {
  TempDir dir;
  std::string file = dir.write("a.jsonl", "\n{\"a\":1}\r\n   \n\n{\"b\":2}\n{\"c\":3}");
  CHECK(records_of_file(file) == "2:{\"a\":1}\n5:{\"b\":2}\n6:{\"c\":3}\n");
}

TEST_CASE("gzip input is read transparently", "[ingest][source][gzip]") {
  TempDir dir;
  std::string body;
  for (int i = 0; i < 2000; ++i) {
    body += "{\"n\":" + std::to_string(i) + "}\n";
  }
  std::string file = dir.write_gzip("a.jsonl.gz", body);
  auto source = LineSource::open(file, 1024);
  REQUIRE(source);
  RawRecord record;
  int count = 0;
  int64_t last_line = 0;
  while ((*source)->next(record)) {
    ++count;
    last_line = record.line;
  }
  CHECK(count == 2000);
  CHECK(last_line == 2000);
  CHECK((*source)->bytes_read() == body.size());
  CHECK_FALSE((*source)->structure_problem().has_value());
}

TEST_CASE("a truncated gzip file is a structure problem, not an error", "[ingest][source][gzip]") {
  TempDir dir;
  std::string body;
  for (int i = 0; i < 5000; ++i) {
    body += "{\"n\":" + std::to_string(i * 7919) + ",\"pad\":\"" + std::to_string(i * 31) + "\"}\n";
  }
  std::string full = dir.write_gzip("full.gz", body);
  std::ifstream in(full, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string cut = dir.write("cut.gz", bytes.substr(0, bytes.size() / 2));
  auto source = LineSource::open(cut, 1024);
  REQUIRE(source);
  RawRecord record;
  int count = 0;
  while ((*source)->next(record)) {
    ++count;
  }
  CHECK(count > 0);
  CHECK(count < 5000);
  REQUIRE((*source)->structure_problem().has_value());
  CHECK((*source)->structure_problem()->code == ErrorCode::kBadEncoding);
}

TEST_CASE("a record longer than the limit is flagged and cut", "[ingest][source]") {
  TempDir dir;
  std::string file = dir.write("a.jsonl", "{\"a\":1}\n" + std::string(5000, 'x') + "\n{\"b\":2}\n");
  CHECK(records_of_file(file, 100) == "1:{\"a\":1}\n2:TOO_LONG\n3:{\"b\":2}\n");
}

TEST_CASE("a top-level array yields one record per element with its start line",
          "[ingest][source][array]") {
  TempDir dir;
  std::string file = dir.write("a.json",
                               "\xEF\xBB\xBF\n[\n  {\"a\": \"x ] , } [\\\"\"},\n  {\"b\":\n"
                               "    [1, 2]},\n  7, \"s\" ,\n  {\"c\": {}}\n]\n");
  auto source = LineSource::open(file, 1024);
  REQUIRE(source);
  CHECK((*source)->is_array());
  CHECK(records_of(**source) ==
        "3:{\"a\": \"x ] , } [\\\"\"}\n4:{\"b\":\n    [1, 2]}\n6:7\n6:\"s\" \n7:{\"c\": {}}\n");
  CHECK_FALSE((*source)->structure_problem().has_value());
}

TEST_CASE("array structure problems: unterminated, trailing data", "[ingest][source][array]") {
  TempDir dir;
  {
    auto source = LineSource::open(dir.write("open.json", "[{\"a\":1},\n{\"b\":2}\n"), 1024);
    REQUIRE(source);
    CHECK(records_of(**source) == "1:{\"a\":1}\n2:{\"b\":2}\n");
    REQUIRE((*source)->structure_problem().has_value());
    CHECK((*source)->structure_problem()->code == ErrorCode::kMalformedJson);
  }
  {
    auto source = LineSource::open(dir.write("trail.json", "[{\"a\":1}]\n\n{\"b\":2}\n"), 1024);
    REQUIRE(source);
    CHECK(records_of(**source) == "1:{\"a\":1}\n");
    REQUIRE((*source)->structure_problem().has_value());
    CHECK((*source)->structure_problem()->line == 3);
  }
}

TEST_CASE("missing file is kNotFound, a directory is kIo", "[ingest][source]") {
  TempDir dir;
  auto missing = LineSource::open(dir.path("nope.jsonl"), 1024);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == ErrorCode::kNotFound);
  auto directory = LineSource::open(dir.path(""), 1024);
  REQUIRE_FALSE(directory);
  CHECK(directory.error().code == ErrorCode::kIo);
}

TEST_CASE("empty file has no records and no problem", "[ingest][source]") {
  TempDir dir;
  CHECK(records_of_file(dir.write("empty.jsonl", "")).empty());
  CHECK(records_of_file(dir.write("blank.jsonl", "\n \n\t\n")).empty());
}

}  // namespace convaudit::ingest::internal

namespace convaudit::ingest::internal {

TEST_CASE("pretty-printed objects are one record each; a cut object does not swallow the next",
          "[ingest][lines]") {
  testing::TempDir dir;
  auto out = testing::read_file(dir.write("pretty.json",
                                          "{\n  \"session_id\": \"a\",\n  \"role\": \"user\",\n"
                                          "  \"text\": \"one\", \"ts\": 1\n}\n"
                                          "{\n  \"session_id\": \"b\",\n  \"role\": \"user\",\n"
                                          "{\n  \"session_id\": \"c\", \"role\": \"user\",\n"
                                          "  \"text\": \"three\", \"ts\": 3\n}\n"));
  REQUIRE(out.stats);
  CHECK(out.stats->records == 3);
  CHECK(testing::describe(out.messages) ==
        "a user 'one' @1970-01-01T00:00:01Z\nc user 'three' @1970-01-01T00:00:03Z\n");
  REQUIRE(out.rejects.rejects().size() == 1);
  CHECK(out.rejects.rejects()[0].line == 6);
  CHECK(out.rejects.rejects()[0].code == ErrorCode::kMalformedJson);
}

}  // namespace convaudit::ingest::internal
