// End-to-end: erasure (forget), the access log audit (reveal --audit) and anonymised copies
// (redact) with the real convaudit binary on examples/.

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

#include "engine/ingest/json_rewriter.h"

#include "tests/e2e/e2e_support.h"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace convaudit::e2e;

namespace {

// Every key of a JSON value, with its path, so two documents can be compared by shape.
void collect_keys(const json& value, const std::string& path, std::set<std::string>& keys) {
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      keys.insert(path + "/" + key);
      collect_keys(child, path + "/" + key, keys);
    }
  } else if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i) {
      collect_keys(value[i], path + "/" + std::to_string(i), keys);
    }
  }
}

std::set<std::string> keys_of(const json& value) {
  std::set<std::string> keys;
  collect_keys(value, "", keys);
  return keys;
}

struct Workspace {
  fs::path root;
  fs::path keys;
  Workspace() {
    static int counter = 0;
    root = fs::temp_directory_path() /
           ("convaudit-vault-e2e-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(root);
    fs::create_directories(root);
    keys = root / "keys";
    REQUIRE(run_cli("keygen --out " + keys.string()).exit_code == 0);
  }
  ~Workspace() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  CommandResult audit(const std::string& input, const std::string& out) const {
    return run_cli("run " + input + " --out " + (root / out).string() + " --keys " + keys.string());
  }
  std::string k() const { return " --keys " + keys.string(); }
};

std::string first_token(const std::string& text, const std::string& prefix) {
  size_t at = text.find(prefix);
  REQUIRE(at != std::string::npos);
  return text.substr(at, text.find('>', at) - at + 1);
}

}  // namespace

TEST_CASE("forget erases a subject, reveal says so and the signed report still verifies",
          "[e2e][forget]") {
  Workspace ws;
  REQUIRE(ws.audit(kExample, "out").exit_code == 0);
  const fs::path out = ws.root / "out";
  const std::string token = first_token(read_file(out / "findings.jsonl"), "<EMAIL_");
  auto before = run_cli("reveal '" + token + "'" + ws.k() + " --reason 'check'");
  REQUIRE(before.exit_code == 0);
  const std::string value = before.output.substr(
      before.output.find('\t') + 1, before.output.find('\n') - before.output.find('\t') - 1);
  REQUIRE(value.find('@') != std::string::npos);

  auto no_reason = run_cli("forget '" + token + "'" + ws.k());
  CHECK(no_reason.exit_code == 2);
  auto forget = run_cli("forget '" + token + "'" + ws.k() + " --reason 'GDPR art. 17' --who dpo");
  INFO(forget.output);
  REQUIRE(forget.exit_code == 0);

  auto after = run_cli("reveal '" + token + "'" + ws.k() + " --reason 'again'");
  CHECK(after.exit_code == 2);
  CHECK(after.output.find("erased") != std::string::npos);
  CHECK(after.output.find(value) == std::string::npos);
  // Unknown stays distinguishable from erased.
  auto unknown = run_cli("reveal '<EMAIL_000000000000000000>'" + ws.k() + " --reason x");
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.output.find("erased") == std::string::npos);
  CHECK(run_cli("forget '<EMAIL_000000000000000000>'" + ws.k() + " --reason x").exit_code == 2);

  // The access log holds the erasure, and the report made before it still verifies.
  const std::string log = read_file(ws.keys / "vault.bin.access.jsonl");
  CHECK(log.find("\"action\":\"forget\"") != std::string::npos);
  CHECK(log.find("\"who\":\"dpo\"") != std::string::npos);
  auto verify = run_cli("verify " + (out / "report.dsse.json").string() + " --pub " +
                        (ws.keys / "signing.pub").string());
  INFO(verify.output);
  CHECK(verify.exit_code == 0);

  // A later run sees the value again but never stores it again.
  REQUIRE(ws.audit(kExample, "out2").exit_code == 0);
  CHECK(read_file(out / "findings.jsonl").find(token) != std::string::npos);
  CHECK(run_cli("reveal '" + token + "'" + ws.k() + " --reason x").output.find("erased") !=
        std::string::npos);
}

TEST_CASE("reveal --audit verifies the access log chain and names a tampered line",
          "[e2e][reveal][audit]") {
  Workspace ws;
  auto empty = run_cli("reveal --audit" + ws.k());
  CHECK(empty.exit_code == 0);
  REQUIRE(ws.audit(kExample, "out").exit_code == 0);
  const std::string findings = read_file(ws.root / "out" / "findings.jsonl");
  for (const char* prefix : {"<EMAIL_", "<PHONE_", "<CARD_"}) {
    const std::string token = first_token(findings, prefix);
    REQUIRE(run_cli("reveal '" + token + "'" + ws.k() + " --reason 'ticket 1'").exit_code == 0);
  }
  auto ok = run_cli("reveal --audit" + ws.k());
  INFO(ok.output);
  CHECK(ok.exit_code == 0);
  CHECK(ok.output.find("3 records") != std::string::npos);

  // Change the reason of the second record.
  const fs::path log = ws.keys / "vault.bin.access.jsonl";
  std::vector<std::string> lines = lines_of(read_file(log));
  REQUIRE(lines.size() == 3);
  const size_t at = lines[1].find("ticket 1");
  REQUIRE(at != std::string::npos);
  lines[1].replace(at, 8, "ticket 2");
  write_file(log, lines[0] + "\n" + lines[1] + "\n" + lines[2] + "\n");
  auto broken = run_cli("reveal --audit" + ws.k());
  INFO(broken.output);
  CHECK(broken.exit_code == 3);
  CHECK(broken.output.find(":2") != std::string::npos);
}

TEST_CASE("redact writes anonymised copies with the same structure and no raw PII",
          "[e2e][redact]") {
  Workspace ws;
  std::vector<fs::path> inputs = {kExample};
  for (const auto& entry : fs::directory_iterator(kSource + "/examples/formats")) {
    if (entry.path().extension() != ".md") {
      inputs.push_back(entry.path());
    }
  }
  std::string args;
  for (const fs::path& input : inputs) {
    args += " " + input.string();
  }
  const fs::path out = ws.root / "redacted";
  auto redact = run_cli("redact" + args + " --out " + out.string() + ws.k());
  INFO(redact.output);
  REQUIRE(redact.exit_code == 0);

  const std::vector<std::string> values = pii_values();
  REQUIRE(values.size() >= 5);
  for (const fs::path& input : inputs) {
    INFO(input);
    const std::string original = read_file(input);
    const std::string copy = read_file(out / input.filename());
    REQUIRE_FALSE(copy.empty());
    for (const std::string& value : values) {
      INFO(value);
      CHECK(copy.find(value) == std::string::npos);
    }
    const auto a = lines_of(original);
    const auto b = lines_of(copy);
    REQUIRE(a.size() == b.size());
    size_t json_lines = 0;
    for (size_t i = 0; i < a.size(); ++i) {
      json parsed_a = json::parse(a[i], nullptr, false);
      if (parsed_a.is_discarded()) {
        continue;
      }
      json parsed_b = json::parse(b[i], nullptr, false);
      INFO("line " << i + 1);
      REQUIRE_FALSE(parsed_b.is_discarded());
      CHECK(keys_of(parsed_a) == keys_of(parsed_b));
      ++json_lines;
    }
    // Whole-file JSON (arrays, pretty-printed objects): same keys as a document.
    json whole_a = json::parse(original, nullptr, false);
    if (!whole_a.is_discarded()) {
      json whole_b = json::parse(copy, nullptr, false);
      REQUIRE_FALSE(whole_b.is_discarded());
      CHECK(keys_of(whole_a) == keys_of(whole_b));
    } else {
      CHECK(json_lines > 0);
    }
  }
  // Something was actually replaced, with the run's tokens.
  const std::string conversations = read_file(out / "conversations.jsonl");
  CHECK(conversations.find("<EMAIL_") != std::string::npos);
  CHECK(conversations.find("<CARD_") != std::string::npos);
  REQUIRE(ws.audit(kExample, "original").exit_code == 0);
  const std::string token =
      first_token(read_file(ws.root / "original" / "findings.jsonl"), "<EMAIL_");
  CHECK(conversations.find(token) != std::string::npos);
  auto revealed =
      run_cli("reveal '" + first_token(conversations, "<CARD_") + "'" + ws.k() + " --reason test");
  CHECK(revealed.exit_code == 0);

  // The copy is a usable input: a run on it works and finds what the original does (apart from
  // PII echo, which needs the values).
  auto rerun = ws.audit((out / "conversations.jsonl").string(), "from-copy");
  INFO(rerun.output);
  REQUIRE(rerun.exit_code == 0);
  auto non_pii = [](const std::string& text) {
    std::string kept;
    for (const std::string& line : lines_of(text)) {
      if (line.find("pii_exposure") == std::string::npos) {
        kept += line + "\n";
      }
    }
    return kept;
  };
  CHECK(non_pii(read_file(ws.root / "from-copy" / "findings.jsonl")) ==
        non_pii(read_file(ws.root / "original" / "findings.jsonl")));
}

TEST_CASE("redact keeps gzip as gzip and refuses to overwrite its input", "[e2e][redact]") {
  Workspace ws;
  const fs::path gz = ws.root / "conversations.jsonl.gz";
  const std::string original = read_file(kExample);
  // gzip goes through ingest's file helper: zlib belongs to engine/ingest (boundary test).
  REQUIRE(convaudit::ingest::write_file_bytes(gz.string(), original, true));
  const fs::path out = ws.root / "redacted";
  auto redact = run_cli("redact " + gz.string() + " --out " + out.string() + ws.k());
  INFO(redact.output);
  REQUIRE(redact.exit_code == 0);
  const std::string packed = read_file(out / "conversations.jsonl.gz");
  REQUIRE(packed.size() > 2);
  CHECK(static_cast<unsigned char>(packed[0]) == 0x1f);
  CHECK(static_cast<unsigned char>(packed[1]) == 0x8b);
  auto unpacked_file =
      convaudit::ingest::read_file_bytes((out / "conversations.jsonl.gz").string());
  REQUIRE(unpacked_file);
  CHECK(unpacked_file->gzip);
  const std::string unpacked = unpacked_file->data;
  CHECK(lines_of(unpacked).size() == lines_of(original).size());
  for (const std::string& value : pii_values()) {
    CHECK(unpacked.find(value) == std::string::npos);
  }

  const std::string gz_bytes = read_file(gz);
  auto overwrite = run_cli("redact " + gz.string() + " --out " + ws.root.string() + ws.k());
  CHECK(overwrite.exit_code == 2);
  CHECK(overwrite.output.find("overwrite") != std::string::npos);
  CHECK(read_file(gz) == gz_bytes);
  auto again = run_cli("redact " + gz.string() + " --out " + out.string() + ws.k());
  CHECK(again.exit_code == 0);
}
