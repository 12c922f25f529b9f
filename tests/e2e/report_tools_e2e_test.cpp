// End-to-end: the tools around the report, on examples/ with the real binary: a chain of
// periods (--previous), diff, flagged.jsonl and harvest (redacted text only), verify --rerun.

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/e2e/e2e_support.h"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace convaudit::e2e;

namespace {

std::string sha256_of(const fs::path& path) {
  CommandResult out = run_shell("sha256sum '" + path.string() + "'");
  REQUIRE(out.exit_code == 0);
  return out.output.substr(0, 64);
}

struct Scratch {
  fs::path root;
  fs::path keys;
  Scratch() {
    static int counter = 0;
    root = fs::temp_directory_path() /
           ("convaudit-tools-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(root);
    fs::create_directories(root);
    keys = root / "keys";
    REQUIRE(run_cli("keygen --out " + keys.string()).exit_code == 0);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  CommandResult run(const std::string& out, const std::string& extra = "",
                    const std::string& input = kExample) const {
    return run_cli("run " + input + " --out " + (root / out).string() + " --keys " + keys.string() +
                   " " + extra);
  }
  std::string verify(const std::string& out) const {
    return "verify " + (root / out / "report.dsse.json").string() + " --pub " +
           (keys / "signing.pub").string();
  }
};

}  // namespace

TEST_CASE("two periods chained with --previous, then diffed", "[e2e][previous][diff]") {
  Scratch s;
  REQUIRE(s.run("jul", "--period 2026-07").exit_code == 0);
  auto aug =
      s.run("aug", "--period 2026-08 --previous " + (s.root / "jul" / "report.json").string());
  INFO(aug.output);
  REQUIRE(aug.exit_code == 0);
  json jul = json::parse(read_file(s.root / "jul" / "report.json"));
  json report = json::parse(read_file(s.root / "aug" / "report.json"));
  CHECK_FALSE(jul["provenance"].contains("previous_report_sha256"));
  CHECK(report["provenance"]["previous_report_sha256"] ==
        sha256_of(s.root / "jul" / "report.json"));
  // The digest is inside the signed bytes.
  CHECK(run_cli(s.verify("aug")).exit_code == 0);
  // A previous report that does not exist is an input error.
  CHECK(s.run("bad", "--previous " + (s.root / "nope.json").string()).exit_code == 2);

  auto text = run_cli("diff " + (s.root / "jul" / "report.json").string() + " " +
                      (s.root / "aug" / "report.json").string());
  INFO(text.output);
  REQUIRE(text.exit_code == 0);
  CHECK(text.output.rfind("old: 2026-07", 0) == 0);
  size_t at = text.output.find("\n  conversations ");
  REQUIRE(at != std::string::npos);
  std::string line = text.output.substr(at + 1, text.output.find('\n', at + 1) - at - 1);
  int before = jul["summary"]["conversations"].get<int>();
  int after = report["summary"]["conversations"].get<int>();
  CHECK(line.find(std::to_string(before) + " -> " + std::to_string(after)) != std::string::npos);
  CHECK(line.find("(" + std::string(after > before ? "+" : "") + std::to_string(after - before) +
                  ")") != std::string::npos);
  CHECK(text.output.find("\nSecurity incidents\n") != std::string::npos);

  auto as_json = run_cli("diff --json " + (s.root / "jul" / "report.json").string() + " " +
                         (s.root / "aug" / "report.json").string());
  REQUIRE(as_json.exit_code == 0);
  json diff = json::parse(as_json.output);
  CHECK(diff["schema"] == "convaudit.diff/v1");
  CHECK(diff["new"]["period"] == "2026-08");
  CHECK(diff["changed"].get<int>() > 0);
  bool found = false;
  for (const json& section : diff["sections"]) {
    for (const json& figure : section["figures"]) {
      if (figure["pointer"] == "/security/incidents/total") {
        found = true;
        CHECK(figure["old"] == jul["security"]["incidents"]["total"]);
        CHECK(figure["new"] == report["security"]["incidents"]["total"]);
        CHECK(figure["delta"].get<int>() == figure["new"].get<int>() - figure["old"].get<int>());
      }
    }
  }
  CHECK(found ==
        (jul["security"]["incidents"]["total"] != report["security"]["incidents"]["total"]));

  // Unreadable or invalid input: exit 2, naming the file.
  auto missing = run_cli("diff " + (s.root / "none.json").string() + " " +
                         (s.root / "aug" / "report.json").string());
  CHECK(missing.exit_code == 2);
  CHECK(missing.output.find("none.json") != std::string::npos);
  write_file(s.root / "broken.json", "{\"schema\":");
  auto broken = run_cli("diff " + (s.root / "jul" / "report.json").string() + " " +
                        (s.root / "broken.json").string());
  CHECK(broken.exit_code == 2);
  CHECK(broken.output.find("broken.json") != std::string::npos);
  write_file(s.root / "other.json", "{\"schema\":\"something/v9\"}");
  auto other = run_cli("diff " + (s.root / "other.json").string() + " " +
                       (s.root / "aug" / "report.json").string());
  CHECK(other.exit_code == 2);
  CHECK(other.output.find("other.json") != std::string::npos);
}

TEST_CASE("flagged.jsonl holds the flagged conversations as redacted text", "[e2e][flagged]") {
  Scratch s;
  REQUIRE(s.run("out").exit_code == 0);
  fs::path out = s.root / "out";
  json report = json::parse(read_file(out / "report.json"));
  auto flagged = read_jsonl(out / "flagged.jsonl");
  REQUIRE(flagged.size() == report["summary"]["flagged_conversations"].get<size_t>());
  // Each flagged session once, in the order findings.jsonl first names it.
  std::vector<std::string> order;
  for (const json& finding : read_jsonl(out / "findings.jsonl")) {
    std::string id = finding["session_id"];
    if (finding["severity"] != "info" && std::find(order.begin(), order.end(), id) == order.end()) {
      order.push_back(id);
    }
  }
  REQUIRE(order.size() == flagged.size());
  for (size_t i = 0; i < flagged.size(); ++i) {
    const json& line = flagged[i];
    std::string id = line["session_id"];
    CHECK(id == order[i]);
    REQUIRE_FALSE(line["messages"].empty());
    for (size_t k = 0; k < line["messages"].size(); ++k) {
      const json& m = line["messages"][k];
      CHECK(m["message_index"] == k);
      CHECK(m["role"].is_string());
      CHECK(m["text"].is_string());
      CHECK(m["timestamp"].get<std::string>().back() == 'Z');
    }
    bool at_least_low = false;
    for (const json& f : line["findings"]) {
      CHECK(f["session_id"] == id);
      at_least_low = at_least_low || f["severity"] != "info";
    }
    CHECK(at_least_low);
  }
  // The same findings as findings.jsonl, for the flagged sessions.
  std::set<std::string> flagged_ids;
  for (const json& line : flagged) {
    flagged_ids.insert(line["session_id"].get<std::string>());
  }
  for (const json& finding : read_jsonl(out / "findings.jsonl")) {
    if (finding["severity"] != "info") {
      CHECK(flagged_ids.count(finding["session_id"].get<std::string>()) == 1);
    }
  }
}

TEST_CASE("harvest exports flagged sessions as JSONL and promptfoo YAML, redacted",
          "[e2e][harvest]") {
  Scratch s;
  REQUIRE(s.run("out").exit_code == 0);
  fs::path out = s.root / "out";
  size_t flagged = read_jsonl(out / "flagged.jsonl").size();
  REQUIRE(flagged > 0);

  auto as_jsonl =
      run_cli("harvest " + out.string() + " --out " + (s.root / "cases.jsonl").string());
  INFO(as_jsonl.output);
  REQUIRE(as_jsonl.exit_code == 0);
  auto cases = read_jsonl(s.root / "cases.jsonl");
  CHECK(cases.size() == flagged);
  for (const json& c : cases) {
    CHECK_FALSE(c["expected"].empty());
    CHECK_FALSE(c["messages"].empty());
    CHECK(c["messages"][0].contains("content"));
    for (const json& f : c["findings"]) {
      CHECK(f["severity"] != "info");
    }
  }
  REQUIRE(run_cli("harvest " + out.string() + " --min-severity high --out " +
                  (s.root / "high.jsonl").string())
              .exit_code == 0);
  auto high = read_jsonl(s.root / "high.jsonl");
  CHECK(high.size() < cases.size());
  for (const json& c : high) {
    for (const json& f : c["findings"]) {
      CHECK((f["severity"] == "high" || f["severity"] == "critical"));
    }
  }

  auto yaml = run_cli("harvest " + out.string() + " --format promptfoo --out " +
                      (s.root / "promptfooconfig.yaml").string());
  REQUIRE(yaml.exit_code == 0);
  std::string text = read_file(s.root / "promptfooconfig.yaml");
  CHECK(text.find("\ntests:\n") != std::string::npos);
  size_t tests = 0;
  for (size_t at = text.find("\n  - description: "); at != std::string::npos;
       at = text.find("\n  - description: ", at + 1)) {
    ++tests;
  }
  CHECK(tests == flagged);
  CHECK(text.find("type: \"llm-rubric\"") != std::string::npos);
  CHECK(text.find("conversation: \"[{") != std::string::npos);

  // Only redacted text: no PII value of the examples in any export.
  auto values = pii_values();
  REQUIRE(values.size() >= 10);
  for (const fs::path& file :
       {out / "flagged.jsonl", s.root / "cases.jsonl", s.root / "promptfooconfig.yaml"}) {
    std::string content = read_file(file);
    for (const std::string& value : values) {
      INFO(file.filename().string() << " must not contain " << value);
      CHECK(content.find(value) == std::string::npos);
    }
  }
  CHECK(text.find("<EMAIL_") != std::string::npos);  // tokens stand where PII was

  // Usage and input errors.
  CHECK(run_cli("harvest " + out.string() + " --format csv --out x").exit_code == 2);
  CHECK(run_cli("harvest " + out.string() + " --min-severity urgent --out x").exit_code == 2);
  CHECK(run_cli("harvest " + (s.root / "nowhere").string() + " --out x").exit_code == 2);
  write_file(out / "flagged.jsonl", "{broken\n");
  auto broken = run_cli("harvest " + out.string() + " --out " + (s.root / "x.jsonl").string());
  CHECK(broken.exit_code == 2);
  CHECK(broken.output.find("flagged.jsonl:1") != std::string::npos);
}

TEST_CASE("verify --rerun reproduces the signed report byte for byte", "[e2e][verify][rerun]") {
  Scratch s;
  fs::path input = s.root / "logs.jsonl";
  fs::copy_file(kExample, input);
  REQUIRE(s.run("out", "--period 2026-Q3 --fail-on critical", input.string()).exit_code <= 1);
  std::string vault_before = read_file(s.keys / "vault.bin");

  auto ok = run_cli(s.verify("out") + " --rerun --keys " + s.keys.string());
  INFO(ok.output);
  CHECK(ok.exit_code == 0);
  CHECK(ok.output.find("byte-identical") != std::string::npos);
  CHECK(read_file(s.keys / "vault.bin") == vault_before);  // the re-run leaves the vault alone

  SECTION("--rerun needs the keys") {
    CHECK(run_cli(s.verify("out") + " --rerun").exit_code == 2);
  }
  SECTION("an input changed after the run") {
    write_file(input,
               read_file(input) + read_file(input).substr(0, read_file(input).find('\n') + 1));
    auto changed = run_cli(s.verify("out") + " --rerun --keys " + s.keys.string());
    INFO(changed.output);
    CHECK(changed.exit_code == 3);
    CHECK(changed.output.find("provenance.inputs") != std::string::npos);
  }
  SECTION("an input gone") {
    fs::remove(input);
    CHECK(run_cli(s.verify("out") + " --rerun --keys " + s.keys.string()).exit_code == 2);
  }
  SECTION("other keys give other pseudonyms") {
    fs::path other = s.root / "other-keys";
    REQUIRE(run_cli("keygen --out " + other.string()).exit_code == 0);
    auto mismatch = run_cli(s.verify("out") + " --rerun --keys " + other.string());
    INFO(mismatch.output);
    CHECK(mismatch.exit_code == 3);
  }
}

TEST_CASE("verify --rerun of a chained report needs its predecessor", "[e2e][verify][rerun]") {
  Scratch s;
  REQUIRE(s.run("jul", "--period 2026-07").exit_code == 0);
  REQUIRE(s.run("aug", "--period 2026-08 --previous " + (s.root / "jul" / "report.json").string())
              .exit_code == 0);
  std::string base = s.verify("aug") + " --rerun --keys " + s.keys.string();
  CHECK(run_cli(base).exit_code == 2);
  CHECK(run_cli(base + " --previous " + (s.root / "jul" / "report.json").string()).exit_code == 0);
  // Another file in its place is caught.
  CHECK(run_cli(base + " --previous " + (s.root / "aug" / "report.json").string()).exit_code == 3);
}
