#include "redaction/access_log.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "engine/crypto/sha256.h"

using namespace convaudit::redaction;
using convaudit::ErrorCode;
namespace fs = std::filesystem;

namespace {

struct TempLog {
  TempLog() {
    static int counter = 0;
    path = (fs::temp_directory_path() / ("convaudit_access_test_" + std::to_string(::getpid()) +
                                         "_" + std::to_string(counter++) + ".jsonl"))
               .string();
    fs::remove(path);
  }
  ~TempLog() { fs::remove(path); }
  std::string path;
};

AccessRecord reveal(const std::string& who, const std::string& token, int64_t t) {
  return AccessRecord{who, "reveal", token, "DSAR #42", t};
}

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    out.push_back(line);
  }
  return out;
}

void write_lines(const std::string& path, const std::vector<std::string>& lines) {
  std::ofstream out(path, std::ios::trunc);
  for (const auto& line : lines) {
    out << line << "\n";
  }
}

void fill(const std::string& path) {
  REQUIRE(append_access_record(
      path, reveal("alice", "<EMAIL_0123456789abcdef01>", 1'795'000'000'000'000'000)));
  REQUIRE(append_access_record(
      path, reveal("bob", "<PHONE_0123456789abcdef01>", 1'795'000'001'000'000'000)));
  REQUIRE(append_access_record(
      path, AccessRecord{"carol", "forget", "<CARD_0123456789abcdef01>", "erasure request", 0}));
}

}  // namespace

TEST_CASE("records form a hash chain in the documented format", "[redaction][access_log]") {
  TempLog log;
  fill(log.path);
  auto count = verify_access_log(log.path);
  REQUIRE(count);
  CHECK(*count == 3);
  const auto lines = lines_of(log.path);
  REQUIRE(lines.size() == 3);
  auto first = nlohmann::json::parse(lines[0]);
  CHECK(first["seq"] == 1);
  CHECK(first["who"] == "alice");
  CHECK(first["action"] == "reveal");
  CHECK(first["time"] == "2026-11-18T11:06:40Z");
  CHECK(first["prev"] == std::string(64, '0'));
  // hash = SHA-256 of the canonical JSON without "hash" (sorted keys, compact).
  nlohmann::json body = first;
  body.erase("hash");
  CHECK(first["hash"] == convaudit::crypto::sha256_hex(body.dump()));
  CHECK(lines[0].rfind("{\"action\":\"reveal\",", 0) == 0);  // keys sorted
  auto second = nlohmann::json::parse(lines[1]);
  CHECK(second["seq"] == 2);
  CHECK(second["prev"] == first["hash"]);
  CHECK((fs::status(log.path).permissions() & fs::perms::others_read) == fs::perms::none);
}

TEST_CASE("tampering breaks the chain at the changed line", "[redaction][access_log]") {
  TempLog log;
  fill(log.path);
  const auto original = lines_of(log.path);

  SECTION("a changed field") {
    auto lines = original;
    auto record = nlohmann::json::parse(lines[1]);
    record["reason"] = "curiosity";
    lines[1] = record.dump();
    write_lines(log.path, lines);
    auto result = verify_access_log(log.path);
    REQUIRE_FALSE(result);
    CHECK(result.error().code == ErrorCode::kAccessLogBroken);
    CHECK(result.error().where.line == 2);
  }
  SECTION("a changed field with a recomputed hash") {
    auto lines = original;
    auto record = nlohmann::json::parse(lines[0]);
    record["who"] = "mallory";
    record.erase("hash");
    record["hash"] = convaudit::crypto::sha256_hex(record.dump());
    lines[0] = record.dump();
    write_lines(log.path, lines);
    auto result = verify_access_log(log.path);
    REQUIRE_FALSE(result);
    CHECK(result.error().where.line == 2);  // the next record's prev no longer matches
  }
  SECTION("a removed line") {
    write_lines(log.path, {original[0], original[2]});
    auto result = verify_access_log(log.path);
    REQUIRE_FALSE(result);
    CHECK(result.error().where.line == 2);
  }
  SECTION("reordered lines") {
    write_lines(log.path, {original[1], original[0], original[2]});
    auto result = verify_access_log(log.path);
    REQUIRE_FALSE(result);
    CHECK(result.error().where.line == 1);
  }
  SECTION("a garbled last line stops appends") {
    auto lines = original;
    lines[2] = "{not json";
    write_lines(log.path, lines);
    auto st = append_access_record(log.path, reveal("dave", "<IP_0123456789abcdef01>", 5));
    REQUIRE_FALSE(st);
    CHECK(st.error().code == ErrorCode::kAccessLogBroken);
  }
}

TEST_CASE("missing log; non-UTF-8 input does not throw", "[redaction][access_log]") {
  TempLog log;
  auto missing = verify_access_log(log.path);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == ErrorCode::kNotFound);
  REQUIRE(append_access_record(log.path, AccessRecord{"x\xff", "reveal", "t", "why\xfe", 1}));
  REQUIRE(append_access_record(log.path, reveal("y", "t2", 2)));
  auto count = verify_access_log(log.path);
  REQUIRE(count);
  CHECK(*count == 2);
}
