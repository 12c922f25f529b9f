// End-to-end: runs the real convaudit binary on examples/ and checks what a user and an auditor
// rely on: the outputs, the signature, tamper detection, no raw PII anywhere, hostile rules
// contained, reveal on the record, exit codes.

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include "tests/e2e/e2e_support.h"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace convaudit::e2e;

namespace {

// A scratch folder per test case, with its own keys.
struct Workspace {
  fs::path root;
  fs::path keys;
  Workspace() {
    root = fs::temp_directory_path() /
           ("convaudit-e2e-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    fs::remove_all(root);
    fs::create_directories(root);
    keys = root / "keys";
    auto keygen = run_cli("keygen --out " + keys.string());
    REQUIRE(keygen.exit_code == 0);
  }
  ~Workspace() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  static int& counter() {
    static int n = 0;
    return n;
  }
  CommandResult audit(const std::string& out, const std::string& extra = "") const {
    return run_cli("run " + kExample + " --out " + (root / out).string() + " --keys " +
                   keys.string() + " " + extra);
  }
};

}  // namespace

TEST_CASE("run on the examples writes every output and a verifiable report", "[e2e][run]") {
  Workspace ws;
  auto run = ws.audit("out");
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  fs::path out = ws.root / "out";
  for (const char* name :
       {"report.json", "report.dsse.json", "report.md", "findings.jsonl", "rejects.jsonl"}) {
    INFO(name);
    CHECK(fs::exists(out / name));
  }
  json report = json::parse(read_file(out / "report.json"));
  CHECK(report["summary"]["conversations"].get<int>() >= 30);
  CHECK(report["summary"]["messages"].get<int>() > 100);
  CHECK(report["security"]["incidents"]["total"].get<int>() > 0);
  CHECK(report["data_quality"]["rejected"].get<int>() >= 5);
  CHECK(report["provenance"]["inputs"].size() == 1);
  CHECK(report["provenance"]["inputs"][0]["sha256"].get<std::string>().size() == 64);
  CHECK(report["provenance"]["rule_files"].size() > 3);
  CHECK_FALSE(report["provenance"]["signing_key_id"].get<std::string>().empty());

  // Every reject names file, line and reason.
  auto rejects = read_jsonl(out / "rejects.jsonl");
  CHECK(rejects.size() == report["data_quality"]["rejected"].get<size_t>());
  for (const json& reject : rejects) {
    CHECK(reject["file"].get<std::string>().find("conversations.jsonl") != std::string::npos);
    CHECK(reject["line"].get<int>() > 0);
    CHECK_FALSE(reject["reason"].get<std::string>().empty());
  }
  // Findings carry what triage needs.
  auto findings = read_jsonl(out / "findings.jsonl");
  REQUIRE_FALSE(findings.empty());
  for (const json& finding : findings) {
    for (const char* key :
         {"session_id", "message_index", "rule_id", "category", "type", "severity", "excerpt"}) {
      CHECK(finding.contains(key));
    }
  }
  auto verify = run_cli("verify " + (out / "report.dsse.json").string() + " --pub " +
                        (ws.keys / "signing.pub").string() + " --inputs " + kExample);
  INFO(verify.output);
  CHECK(verify.exit_code == 0);
}

TEST_CASE("the built-in pack fires every category on the examples", "[e2e][rules]") {
  Workspace ws;
  REQUIRE(ws.audit("out").exit_code == 0);
  auto findings = read_jsonl(ws.root / "out" / "findings.jsonl");
  std::set<std::string> types;
  for (const json& f : findings) {
    types.insert(f["category"].get<std::string>() + "/" + f["type"].get<std::string>());
  }
  for (const char* expected : {"security/prompt_injection", "security/social_engineering",
                               "security/pii_exposure", "quality/too_brief", "quality/unhelpful",
                               "business/upsell", "business/churn", "business/churn_prevented"}) {
    INFO(expected);
    CHECK(types.count(expected) == 1);
  }
  json report = json::parse(read_file(ws.root / "out" / "report.json"));
  CHECK(report["quality"]["scored_conversations"].get<int>() >= 30);
}

TEST_CASE("every section's figures trace to session ids that findings.jsonl explains",
          "[e2e][report]") {
  Workspace ws;
  REQUIRE(ws.audit("out").exit_code == 0);
  json report = json::parse(read_file(ws.root / "out" / "report.json"));
  // category/type -> sessions with such a finding, from the findings file.
  std::map<std::string, std::set<std::string>> found;
  for (const json& f : read_jsonl(ws.root / "out" / "findings.jsonl")) {
    found[f["category"].get<std::string>() + "/" + f["type"].get<std::string>()].insert(
        f["session_id"].get<std::string>());
  }
  auto check_samples = [&](const std::string& category, const json& samples) {
    REQUIRE(samples.is_object());
    CHECK_FALSE(samples.empty());
    for (const auto& [type, sample] : samples.items()) {
      const std::set<std::string>& sessions = found[category + "/" + type];
      INFO(category << "/" << type);
      CHECK(sample["conversations"].get<size_t>() == sessions.size());
      // The first (at most 10) ids in byte order: exactly the findings file's first ones.
      std::vector<std::string> expected(sessions.begin(), sessions.end());
      expected.resize(std::min<size_t>(expected.size(), 10));
      CHECK(sample["session_ids"].get<std::vector<std::string>>() == expected);
    }
  };
  json incident_samples = json::object();
  for (const auto& [type, counts] : report["security"]["by_type"].items()) {
    incident_samples[type] = counts["sessions"];
  }
  check_samples("security", incident_samples);
  check_samples("quality", report["quality"]["issue_sessions"]);
  check_samples("business", report["business"]["outcome_sessions"]);
  if (!report["operations"]["finding_sessions"].empty()) {
    check_samples("operations", report["operations"]["finding_sessions"]);
  }
  // The histogram's buckets list as many conversations as they count.
  for (size_t bucket = 0; bucket < 11; ++bucket) {
    CHECK(report["quality"]["histogram_sessions"][bucket]["conversations"] ==
          report["quality"]["histogram"][bucket]);
  }
  CHECK_FALSE(report["operations"]["slowest"].empty());
}

TEST_CASE("the same inputs and rules give a byte-identical report", "[e2e][determinism]") {
  Workspace ws;
  REQUIRE(ws.audit("a", "--threads 1").exit_code == 0);
  REQUIRE(ws.audit("b", "--threads 4").exit_code == 0);
  CHECK(read_file(ws.root / "a" / "report.json") == read_file(ws.root / "b" / "report.json"));
  CHECK(read_file(ws.root / "a" / "findings.jsonl") == read_file(ws.root / "b" / "findings.jsonl"));
}

TEST_CASE("a changed byte anywhere fails verification with exit 3", "[e2e][verify]") {
  Workspace ws;
  REQUIRE(ws.audit("out").exit_code == 0);
  fs::path out = ws.root / "out";
  std::string pub = (ws.keys / "signing.pub").string();
  std::string report = read_file(out / "report.json");
  std::string envelope = read_file(out / "report.dsse.json");
  auto verify = [&] {
    return run_cli("verify " + (out / "report.dsse.json").string() + " --pub " + pub).exit_code;
  };
  REQUIRE(verify() == 0);

  SECTION("report.json") {
    std::string changed = report;
    size_t at = changed.find("\"conversations\":") + 16;
    changed[at] = changed[at] == '9' ? '8' : '9';
    write_file(out / "report.json", changed);
    CHECK(verify() == 3);
  }
  SECTION("one more byte at the end of report.json") {
    write_file(out / "report.json", report + " ");
    CHECK(verify() == 3);
  }
  SECTION("the signature") {
    json env = json::parse(envelope);
    std::string sig = env["signatures"][0]["sig"];
    sig[5] = sig[5] == 'A' ? 'B' : 'A';
    env["signatures"][0]["sig"] = sig;
    write_file(out / "report.dsse.json", env.dump());
    CHECK(verify() == 3);
  }
  SECTION("the payload type") {
    json env = json::parse(envelope);
    env["payloadType"] = "application/json";
    write_file(out / "report.dsse.json", env.dump());
    CHECK(verify() == 3);
  }
  SECTION("the payload") {
    json env = json::parse(envelope);
    std::string payload = env["payload"];
    payload[10] = payload[10] == 'A' ? 'B' : 'A';
    env["payload"] = payload;
    write_file(out / "report.dsse.json", env.dump());
    CHECK(verify() == 3);
  }
  SECTION("another signer's key") {
    fs::path other = ws.root / "other-keys";
    REQUIRE(run_cli("keygen --out " + other.string()).exit_code == 0);
    CHECK(run_cli("verify " + (out / "report.dsse.json").string() + " --pub " +
                  (other / "signing.pub").string())
              .exit_code == 3);
  }
  SECTION("an input that is not the one the report names") {
    fs::path changed = ws.root / "changed.jsonl";
    write_file(changed, read_file(kExample) + "\n");
    CHECK(run_cli("verify " + (out / "report.dsse.json").string() + " --pub " + pub + " --inputs " +
                  changed.string())
              .exit_code == 3);
  }
}

TEST_CASE("no raw PII from the examples appears in any output", "[e2e][pii]") {
  // examples/pii_values.txt lists every PII value planted in the examples, one per line.
  std::vector<std::string> values;
  {
    std::istringstream in(read_file(kSource + "/examples/pii_values.txt"));
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty() && line[0] != '#') {
        values.push_back(line);
      }
    }
  }
  REQUIRE(values.size() >= 10);
  Workspace ws;
  REQUIRE(ws.audit("out").exit_code == 0);
  std::string example = read_file(kExample);
  for (const auto& entry : fs::directory_iterator(ws.root / "out")) {
    std::string content = read_file(entry.path());
    for (const std::string& value : values) {
      INFO(entry.path().filename().string() << " must not contain " << value);
      REQUIRE(example.find(value) != std::string::npos);  // the list is about this file
      CHECK(content.find(value) == std::string::npos);
    }
  }
  // The vault holds them encrypted, not in clear.
  std::string vault = read_file(ws.keys / "vault.bin");
  REQUIRE_FALSE(vault.empty());
  for (const std::string& value : values) {
    CHECK(vault.find(value) == std::string::npos);
  }
}

TEST_CASE("reveal re-identifies a token and records who, when and why", "[e2e][reveal]") {
  Workspace ws;
  REQUIRE(ws.audit("out").exit_code == 0);
  std::string findings = read_file(ws.root / "out" / "findings.jsonl");
  size_t at = findings.find("<EMAIL_");
  REQUIRE(at != std::string::npos);
  std::string token = findings.substr(at, findings.find('>', at) - at + 1);
  auto reveal =
      run_cli("reveal '" + token + "' --keys " + ws.keys.string() + " --reason 'DSAR 2026-114'");
  INFO(reveal.output);
  REQUIRE(reveal.exit_code == 0);
  CHECK(reveal.output.find("EMAIL\t") == 0);
  CHECK(reveal.output.find('@') != std::string::npos);
  std::string log = read_file(ws.keys / "vault.bin.access.jsonl");
  CHECK(log.find(token) != std::string::npos);
  CHECK(log.find("DSAR 2026-114") != std::string::npos);

  auto no_reason = run_cli("reveal '" + token + "' --keys " + ws.keys.string());
  CHECK(no_reason.exit_code == 2);
  auto unknown =
      run_cli("reveal '<EMAIL_000000000000000000>' --keys " + ws.keys.string() + " --reason test");
  CHECK(unknown.exit_code == 2);
}

TEST_CASE("hostile rules are stopped and reported while the run finishes", "[e2e][sandbox]") {
  Workspace ws;
  ::unlink("/tmp/convaudit-pwned");
  auto run = ws.audit("out", "--rules " + kSource + "/tests/data/e2e/hostile_rules");
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  CHECK_FALSE(fs::exists("/tmp/convaudit-pwned"));
  json report = json::parse(read_file(ws.root / "out" / "report.json"));
  std::map<std::string, std::string> kinds;  // rule id -> error kind
  for (const json& error : report["rules"]["errors"]) {
    kinds[error["rule_id"].get<std::string>()] = error["kind"].get<std::string>();
    CHECK(error["file"].get<std::string>().find(".lua") != std::string::npos);
    CHECK(error["line"].get<int>() > 0);
  }
  CHECK(kinds["hostile.endless_loop"] == "rule.cpu_budget");
  CHECK(kinds["hostile.memory_bomb"] == "rule.memory_budget");
  CHECK(kinds["hostile.os_execute"] == "rule.blocked_call");
  CHECK(kinds["hostile.io_open"] == "rule.blocked_call");
  // The built-in rules still ran.
  CHECK(report["security"]["incidents"]["total"].get<int>() > 0);
}

TEST_CASE("exit codes let CI gate on findings", "[e2e][exit]") {
  Workspace ws;
  CHECK(ws.audit("gate", "--fail-on high").exit_code == 1);
  CHECK(run_cli("run --out " + (ws.root / "x").string()).exit_code == 2);
  CHECK(run_cli("run /nonexistent.jsonl --out " + (ws.root / "x").string() + " --keys " +
                ws.keys.string())
            .exit_code == 2);
  CHECK(ws.audit("bad", "--period 2026-Q9").exit_code == 2);
  for (const char* sub : {"keygen", "run", "verify", "reveal"}) {
    auto help = run_cli(std::string(sub) + " --help");
    INFO(sub);
    CHECK(help.exit_code == 0);
    CHECK(help.output.find("--") != std::string::npos);
  }
}

TEST_CASE("a period keeps only its messages and counts the rest", "[e2e][period]") {
  Workspace ws;
  REQUIRE(ws.audit("q3", "--period 2026-Q3").exit_code == 0);
  json report = json::parse(read_file(ws.root / "q3" / "report.json"));
  CHECK(report["data_quality"]["excluded_by_period"].get<int>() > 0);
}

TEST_CASE("since and until take time zones and match the same period", "[e2e][period]") {
  Workspace ws;
  REQUIRE(ws.audit("q3", "--period 2026-Q3").exit_code == 0);
  // 02:00 at UTC+2 is midnight UTC; 2026-09-30T19:00-05:00 is 2026-10-01T00:00Z.
  REQUIRE(ws.audit("zoned", "--since 2026-07-01T02:00:00+02:00 --until 2026-09-30T19:00:00-05:00")
              .exit_code == 0);
  json q3 = json::parse(read_file(ws.root / "q3" / "report.json"));
  json zoned = json::parse(read_file(ws.root / "zoned" / "report.json"));
  CHECK(zoned["data_quality"]["excluded_by_period"] == q3["data_quality"]["excluded_by_period"]);
  CHECK(zoned["summary"]["conversations"] == q3["summary"]["conversations"]);
  CHECK(zoned["summary"]["messages"] == q3["summary"]["messages"]);
  CHECK(zoned["provenance"]["parameters"]["since"] == "2026-07-01T00:00:00Z");
  CHECK(zoned["provenance"]["parameters"]["until"] == "2026-10-01T00:00:00Z");
  auto bad = ws.audit("bad", "--since 2026-07-01T02:00:00+25:00");
  CHECK(bad.exit_code == 2);
  CHECK(bad.output.find("--since") != std::string::npos);
}
