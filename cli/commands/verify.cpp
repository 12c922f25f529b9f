#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "engine/core/severity.h"
#include "engine/core/time_range.h"
#include "engine/core/timestamp.h"
#include "engine/crypto/sha256.h"
#include "engine/ingest/input_format.h"
#include "engine/pipeline/audit_run.h"

#include "cli/commands/command.h"
#include "reports/report_verifier.h"

namespace convaudit::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct VerifyArgs {
  reports::VerifyRequest request;
  bool rerun = false;
  std::string keys;
  std::string previous;
};

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

const json& member(const json& object, const char* key) {
  static const json kNull;
  if (!object.is_object()) {
    return kNull;
  }
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

std::string string_member(const json& object, const char* key) {
  const json& value = member(object, key);
  return value.is_string() ? value.get<std::string>() : "";
}

// The run options that made the signed report, from its provenance. Inputs are the recorded
// paths (relative to the current folder, as they were given to `convaudit run`).
Result<pipeline::RunOptions> rerun_options(const json& report, const VerifyArgs& args) {
  const json& provenance = member(report, "provenance");
  pipeline::RunOptions options;
  for (const json& input : member(provenance, "inputs")) {
    std::string path = string_member(input, "path");
    if (path.empty() || path == "-") {
      return fail(ErrorCode::kUsage,
                  "the report was made from standard input, which cannot be re-read");
    }
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
      return fail(ErrorCode::kNotFound,
                  "input named by the report is missing (re-run from the folder the report was "
                  "made in)",
                  {path});
    }
    options.inputs.push_back(path);
  }
  if (options.inputs.empty()) {
    return fail(ErrorCode::kBadField, "the report names no inputs");
  }
  options.key_dir = args.keys;
  options.create_demo_keys = false;
  const json& parameters = member(provenance, "parameters");
  for (auto it = parameters.begin(); parameters.is_object() && it != parameters.end(); ++it) {
    std::string value = it->is_string() ? it->get<std::string>() : "";
    const std::string& key = it.key();
    if (key == "format") {
      auto format = ingest::parse_input_format(value);
      if (!format) {
        return fail(ErrorCode::kBadField, "unknown format parameter \"" + value + "\"");
      }
      options.format = *format;
    } else if (key == "period") {
      auto period = core::parse_period(value);
      if (!period) {
        return fail(period.error());
      }
      options.period = *period;
    } else if (key == "since" || key == "until") {
      if (member(parameters, "period").is_string()) {
        continue;  // recorded from the period itself
      }
      auto at = core::parse_timestamp(value);
      if (!at) {
        return fail(ErrorCode::kBadField, key + ": " + at.error().message);
      }
      (key == "since" ? options.period.since_ns : options.period.until_ns) = *at;
    } else if (key == "fail_on") {
      options.fail_on = parse_severity(value);
    } else if (key == "rule_packs") {
      std::stringstream packs(value);
      std::string pack;
      while (std::getline(packs, pack, ',')) {
        if (pack != "builtin") {
          options.rule_dirs.push_back(pack);
        }
      }
    } else {
      std::cerr << "convaudit: note: re-run ignores parameter " << key << "=" << value << "\n";
    }
  }
  std::string previous_sha = string_member(provenance, "previous_report_sha256");
  if (!previous_sha.empty()) {
    if (args.previous.empty()) {
      return fail(ErrorCode::kUsage, "the report chains to a previous report (sha256 " +
                                         previous_sha + "): give it with --previous");
    }
    auto digest = crypto::sha256_file(args.previous);
    if (!digest) {
      return fail(digest.error());
    }
    if (digest->sha256_hex != previous_sha) {
      return fail(ErrorCode::kDigestMismatch,
                  "--previous is not the report this one chains to (sha256 " + digest->sha256_hex +
                      ", the report names " + previous_sha + ")",
                  {args.previous});
    }
    options.previous_report = args.previous;
  }
  options.notice = [](const std::string& line) {
    std::cerr << "convaudit: rerun: " << line << "\n";
  };
  return options;
}

// "summary, provenance.inputs": where two reports differ, for the failure message.
std::string differing_sections(const json& signed_report, const json& rerun_report) {
  std::string out;
  auto note = [&out](const std::string& name) { out += (out.empty() ? "" : ", ") + name; };
  std::set<std::string> keys;
  for (const json* doc : {&signed_report, &rerun_report}) {
    for (auto it = doc->begin(); doc->is_object() && it != doc->end(); ++it) {
      keys.insert(it.key());
    }
  }
  for (const std::string& key : keys) {
    const json& a = member(signed_report, key.c_str());
    const json& b = member(rerun_report, key.c_str());
    if (a == b) {
      continue;
    }
    if (key == "provenance" && a.is_object() && b.is_object()) {
      for (const char* sub :
           {"engine_version", "inputs", "rule_files", "rules", "parameters", "signing_key_id",
            "pseudonym_key_id", "vault_key_id", "demo_keys", "previous_report_sha256"}) {
        if (member(a, sub) != member(b, sub)) {
          note(std::string("provenance.") + sub);
        }
      }
    } else {
      note(key);
    }
  }
  return out.empty() ? "formatting only" : out;
}

// Re-runs the engine into a temporary folder and compares report.json byte for byte. Returns the
// exit code.
int rerun_and_compare(const std::string& report_path, const VerifyArgs& args) {
  if (args.keys.empty()) {
    return report_error(Error{ErrorCode::kUsage,
                              "--rerun needs --keys KEYDIR (the keys the "
                              "report was made with)"});
  }
  std::string signed_bytes = read_all(report_path);
  json signed_report = json::parse(signed_bytes, nullptr, false);
  if (signed_report.is_discarded()) {
    return report_error(Error{ErrorCode::kMalformedJson, "not valid JSON", {report_path}});
  }
  auto options = rerun_options(signed_report, args);
  if (!options) {
    return report_error(options.error());
  }
  std::string engine = string_member(member(signed_report, "provenance"), "engine_version");
  if (engine != CONVAUDIT_VERSION) {
    std::cerr << "convaudit: note: the report was made by engine " << engine << ", this is "
              << CONVAUDIT_VERSION << "\n";
  }
  std::string pattern = (fs::temp_directory_path() / "convaudit-rerun-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    return report_error(Error{ErrorCode::kIo, "cannot create a temporary folder", {pattern}});
  }
  fs::path temp(pattern);
  options->out_dir = (temp / "out").string();
  options->vault_path = (temp / "vault.bin").string();  // the real vault is left untouched
  auto outcome = pipeline::run_audit(*options);
  std::string rerun_bytes = outcome ? read_all((temp / "out" / "report.json").string()) : "";
  std::error_code ec;
  fs::remove_all(temp, ec);
  if (!outcome) {
    return report_error(outcome.error());
  }
  if (rerun_bytes != signed_bytes) {
    json rerun_report = json::parse(rerun_bytes, nullptr, false);
    std::cerr << "convaudit: " << report_path
              << ": verify.rerun_mismatch: re-running the engine on the inputs gives a different "
                 "report.json (differs in: "
              << differing_sections(signed_report, rerun_report) << ")\n";
    std::cout << "FAILED: the re-run does not reproduce the report\n";
    return static_cast<int>(ExitCode::kVerifyFailed);
  }
  std::cout << "OK: re-running the engine on the " << options->inputs.size()
            << " inputs gives a byte-identical report.json (sha256 "
            << crypto::sha256_hex(rerun_bytes) << ")\n";
  return static_cast<int>(ExitCode::kOk);
}

}  // namespace

void add_verify_command(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<VerifyArgs>();
  CLI::App* cmd = app.add_subcommand(
      "verify",
      "Verify a signed report: the DSSE signature, report.json beside it, (with --inputs) that "
      "the given log files are exactly the ones the report names, and (with --rerun) that "
      "re-running the engine reproduces it byte for byte. Exit 3 on any failure");
  cmd->add_option("envelope", args->request.envelope_path, "OUTDIR/report.dsse.json")->required();
  cmd->add_option("--pub", args->request.public_key_path, "The signer's public key (signing.pub)")
      ->required();
  cmd->add_option("--inputs", args->request.inputs, "The log files the report was made from");
  cmd->add_flag("--rerun", args->rerun,
                "Re-run the engine on the inputs the report names (paths relative to the current "
                "folder), with its rules and parameters, and require a byte-identical report.json");
  cmd->add_option("--keys", args->keys, "With --rerun: the key folder the report was made with");
  cmd->add_option("--previous", args->previous,
                  "With --rerun: the previous report.json the report chains to");
  cmd->callback([args, exit_code] {
    auto outcome = reports::verify_report(args->request);
    if (!outcome) {
      *exit_code = report_error(outcome.error());
      std::cout << "FAILED: the report does not verify\n";
      return;
    }
    std::cout << "OK: " << outcome->report_path << " (sha256 " << outcome->report_sha256
              << ") is signed by key " << outcome->key_id << "\n";
    if (!args->request.inputs.empty()) {
      std::cout << "OK: all " << outcome->inputs_checked
                << " input files are exactly the ones the report names\n";
    }
    if (args->rerun) {
      *exit_code = rerun_and_compare(outcome->report_path, *args);
    }
  });
}

}  // namespace convaudit::cli
