#include "engine/ingest/json_rewriter.h"

#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <unistd.h>

using namespace convaudit::ingest;
namespace fs = std::filesystem;

namespace {

// Replaces every "secret" by "<S>" and records what it was shown.
struct Recorder {
  std::vector<std::string> seen;
  TextRewrite fn() {
    return [this](std::string_view text) {
      seen.emplace_back(text);
      std::string out(text);
      for (size_t at = out.find("secret"); at != std::string::npos; at = out.find("secret", at)) {
        out.replace(at, 6, "<S>");
      }
      return out;
    };
  }
};

std::string run(std::string_view input, Recorder& recorder, JsonRewriteStats* stats = nullptr) {
  std::string out;
  auto s = rewrite_json_strings(input, recorder.fn(), out);
  if (stats != nullptr) {
    *stats = s;
  }
  return out;
}

}  // namespace

TEST_CASE("unchanged strings, keys, numbers and whitespace are kept byte for byte",
          "[ingest][rewriter]") {
  Recorder r;
  const std::string input =
      "{ \"a\" :\"x\\u00e9\\/y\",\t\"n\": -1.5e3, \"b\":[true,false,null, 0],\n"
      "  \"kept\": {\"k\": \"plain\"}}\r\n[1,2]\n";
  JsonRewriteStats stats;
  CHECK(run(input, r, &stats) == input);
  CHECK(stats.strings == 2);  // values only
  CHECK(stats.rewritten == 0);
  // Keys reach the rewrite too (PII can be a key) and stay byte for byte when unchanged;
  // values arrive decoded.
  CHECK(std::find(r.seen.begin(), r.seen.end(), "kept") != r.seen.end());
  CHECK(std::find(r.seen.begin(), r.seen.end(), "x\xc3\xa9/y") != r.seen.end());
  CHECK(std::find(r.seen.begin(), r.seen.end(), "-1.5e3") != r.seen.end());
}

TEST_CASE("a changed value is re-encoded in place, the rest untouched", "[ingest][rewriter]") {
  Recorder r;
  const std::string input =
      R"({"secret":"my secret","list":["a","x secret \"q\"\n"],"deep":{"v":{"w":"secret"}}})";
  const std::string out = run(input, r);
  CHECK(out == R"({"<S>":"my <S>","list":["a","x <S> \"q\"\n"],"deep":{"v":{"w":"<S>"}}})");
  auto parsed = nlohmann::json::parse(out);
  CHECK(parsed["list"][1] == "x <S> \"q\"\n");
}

TEST_CASE("a key that holds PII is rewritten and re-encoded, other keys keep their bytes",
          "[ingest][rewriter]") {
  Recorder r;
  const std::string input =
      "{\"role\" : \"user\", \"metadata\": {\"my secret\\u0021\": 1, \"a\\/b\": \"x\"}}\n";
  JsonRewriteStats stats;
  const std::string out = run(input, r, &stats);
  CHECK(out == "{\"role\" : \"user\", \"metadata\": {\"my <S>!\": 1, \"a\\/b\": \"x\"}}\n");
  CHECK(stats.rewritten == 1);
  CHECK(stats.strings == 2);
  auto parsed = nlohmann::json::parse(out);
  CHECK(parsed["metadata"].contains("my <S>!"));
}

TEST_CASE("escapes decode before the rewrite and encode after it", "[ingest][rewriter]") {
  Recorder r;
  // "secret" spelled with escapes is still found; a surrogate pair decodes to one code point.
  const std::string input = R"(["\u0073ecr\u0065t \ud83d\ude00 tab\t", "\u00e9"])";
  const std::string out = run(input, r);
  auto parsed = nlohmann::json::parse(out);
  CHECK(parsed[0] == "<S> \xF0\x9F\x98\x80 tab\t");
  CHECK(out.find(R"("\u00e9")") != std::string::npos);  // unchanged: original escapes kept
  CHECK(encode_json_string("a\"b\\c\x01\n") == R"("a\"b\\c\u0001\n")");
  CHECK(nlohmann::json::parse(encode_json_string("\x7f\xc3\xa9 <EMAIL_0a>")) ==
        "\x7f\xc3\xa9 <EMAIL_0a>");
}

TEST_CASE("a number holding PII becomes a string, other bare text is rewritten",
          "[ingest][rewriter]") {
  Recorder r;
  std::string out;
  auto stats = rewrite_json_strings(R"({"card": 4111111111111111, "t": 1700000000000})",
                                    [](std::string_view text) {
                                      return text == "4111111111111111" ? std::string("<CARD_1>")
                                                                        : std::string(text);
                                    },
                                    out);
  CHECK(out == R"({"card": "<CARD_1>", "t": 1700000000000})");
  CHECK(stats.rewritten == 1);
  CHECK(nlohmann::json::parse(out)["card"] == "<CARD_1>");
  // A line that is not JSON at all: its text still goes through the rewrite.
  CHECK(run("my secret is out\n{\"a\":1}\n", r) == "my <S> is out\n{\"a\":1}\n");
}

TEST_CASE("broken JSON fails closed", "[ingest][rewriter]") {
  Recorder r;
  JsonRewriteStats stats;
  // Unterminated string at a newline: rewritten raw, the next line is scanned normally.
  CHECK(run("{\"a\": \"my secret\n{\"b\": \"secret\"}\n", r, &stats) ==
        "{\"a\": \"my <S>\n{\"b\": \"<S>\"}\n");
  CHECK(stats.broken == 1);
  // Invalid escape: raw bytes rewritten, escape kept.
  CHECK(run(R"({"a": "\q secret"})", r, &stats) == R"({"a": "\q <S>"})");
  CHECK(stats.broken == 1);
  // Open at the end of input, and a dangling backslash.
  CHECK(run("[\"secret", r) == "[\"<S>");
  CHECK(run("[\"secret\\", r) == "[\"<S>\\");
  CHECK(run("", r).empty());
}

TEST_CASE("file bytes round trip plain and gzip", "[ingest][rewriter]") {
  const fs::path dir =
      fs::temp_directory_path() / ("convaudit_rewriter_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string data = std::string("{\"a\":\"b\"}\n", 10) + std::string(100000, 'x');
  for (bool gzip : {false, true}) {
    const std::string path = (dir / (gzip ? "f.jsonl.gz" : "f.jsonl")).string();
    REQUIRE(write_file_bytes(path, data, gzip));
    auto back = read_file_bytes(path);
    REQUIRE(back);
    CHECK(back->gzip == gzip);
    CHECK(back->data == data);
    CHECK((fs::file_size(path) < data.size()) == gzip);
  }
  auto missing = read_file_bytes((dir / "none").string());
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == convaudit::ErrorCode::kNotFound);
  fs::remove_all(dir);
}
