#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/severity.h"
#include "engine/core/time_range.h"
#include "engine/core/timestamp.h"
#include "engine/ingest/input_format.h"
#include "engine/pipeline/audit_run.h"

#include "cli/commands/command.h"

namespace convaudit::cli {
namespace {

struct RunArgs {
  std::vector<std::string> inputs;
  std::string out;
  std::string keys;
  std::vector<std::string> rules;
  std::string period;
  std::string since;
  std::string until;
  std::string format = "auto";
  std::string vault;
  int threads = 0;
  std::string fail_on;
  std::string previous;
  bool timings = false;
  std::string memory_limit;
};

// "512M", "2G", "300000K" or plain bytes.
std::optional<uint64_t> parse_size(const std::string& text) {
  if (text.empty())
    return std::nullopt;
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) {
    ++digits;
  }
  if (digits == 0 || digits > 15)
    return std::nullopt;
  uint64_t value = std::stoull(text.substr(0, digits));
  std::string unit = text.substr(digits);
  if (unit.empty() || unit == "B")
    return value;
  if (unit == "K" || unit == "KiB" || unit == "k")
    return value << 10;
  if (unit == "M" || unit == "MiB")
    return value << 20;
  if (unit == "G" || unit == "GiB")
    return value << 30;
  return std::nullopt;
}

Result<pipeline::RunOptions> to_options(const RunArgs& args) {
  pipeline::RunOptions options;
  options.inputs = args.inputs;
  options.out_dir = args.out;
  options.key_dir = args.keys.empty() ? default_demo_key_dir() : args.keys;
  options.create_demo_keys = args.keys.empty();
  options.rule_dirs = args.rules;
  options.vault_path = args.vault;
  options.threads = args.threads;
  if (!args.memory_limit.empty()) {
    auto bytes = parse_size(args.memory_limit);
    if (!bytes || *bytes < (uint64_t{16} << 20)) {
      return fail(ErrorCode::kUsage, "--memory-limit must be a size of at least 16M, e.g. 512M");
    }
    options.memory_limit_bytes = *bytes;
  }
  auto format = ingest::parse_input_format(args.format);
  if (!format) {
    return fail(ErrorCode::kUsage, "--format must be auto, jsonl, db, otel, langchain or openai");
  }
  options.format = *format;
  if (!args.fail_on.empty()) {
    auto severity = parse_severity(args.fail_on);
    if (!severity) {
      return fail(ErrorCode::kUsage, "--fail-on must be info, low, medium, high or critical");
    }
    options.fail_on = *severity;
  }
  if (!args.period.empty()) {
    if (!args.since.empty() || !args.until.empty()) {
      return fail(ErrorCode::kUsage, "give either --period or --since/--until, not both");
    }
    auto period = core::parse_period(args.period);
    if (!period) {
      return fail(period.error());
    }
    options.period = *period;
  }
  if (!args.since.empty()) {
    auto since = core::parse_timestamp(args.since);
    if (!since) {
      return fail(ErrorCode::kUsage, "--since: " + since.error().message);
    }
    options.period.since_ns = *since;
  }
  if (!args.until.empty()) {
    auto until = core::parse_timestamp(args.until);
    if (!until) {
      return fail(ErrorCode::kUsage, "--until: " + until.error().message);
    }
    options.period.until_ns = *until;
  }
  if (!args.previous.empty()) {
    options.previous_report = args.previous;
  }
  options.notice = [](const std::string& line) { std::cerr << "convaudit: " << line << "\n"; };
  return options;
}

}  // namespace

void add_run_command(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* cmd = app.add_subcommand(
      "run", "Audit log files: redact PII, run the rules, write a signed report to --out");
  cmd->add_option("logs", args->inputs, "Log files (JSONL, gzip, '-' for stdin)")->required();
  cmd->add_option("--out", args->out, "Output folder (report.json, report.dsse.json, ...)")
      ->required();
  cmd->add_option("--keys", args->keys,
                  "Key folder from `convaudit keygen` (default: a demo key folder)");
  cmd->add_option("--rules", args->rules,
                  "Extra rule pack folder, layered after the built-in "
                  "pack (repeatable)");
  cmd->add_option("--period", args->period, "Audit period: 2026-Q3, 2026-07, 2026-W31 or 2026");
  cmd->add_option("--since", args->since, "Start of the period (ISO 8601, inclusive)");
  cmd->add_option("--until", args->until, "End of the period (ISO 8601, exclusive)");
  cmd->add_option("--format", args->format, "auto|jsonl|db|otel|langchain|openai")
      ->capture_default_str();
  cmd->add_option("--vault", args->vault, "Pseudonym vault file (default KEYDIR/vault.bin)");
  cmd->add_option("--threads", args->threads, "Worker threads (default: all cores)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--fail-on", args->fail_on,
                  "Exit 1 when a finding at or above this severity exists (low|medium|high|"
                  "critical)");
  cmd->add_option("--previous", args->previous,
                  "The previous report.json of this series (its digest is recorded)");
  cmd->add_option("--memory-limit", args->memory_limit,
                  "Memory budget, e.g. 512M or 2G (default 256M); larger input is partitioned by "
                  "session and spilled to a temporary folder in --out");
  cmd->add_flag("--timings", args->timings, "Print the wall time of each stage to stderr");
  cmd->callback([args, exit_code] {
    auto options = to_options(*args);
    if (!options) {
      *exit_code = report_error(options.error());
      return;
    }
    auto outcome = pipeline::run_audit(*options);
    if (!outcome) {
      *exit_code = report_error(outcome.error());
      return;
    }
    std::cout << outcome->summary_text;
    std::cout
        << "\nwrote " << args->out
        << "/{report.json,report.dsse.json,report.md,report.html,findings.jsonl,flagged.jsonl,"
           "rejects.jsonl}\n";
    if (args->timings) {
      for (const auto& [stage, ms] : outcome->stage_ms) {
        std::cerr << "timing: " << stage << " " << ms << " ms\n";
      }
    }
    if (outcome->demo_keys) {
      std::cout << "note: signed with a DEMO key (" << options->key_dir
                << "); run `convaudit keygen --out KEYDIR` and pass --keys for real reports\n";
    }
    if (outcome->gate_failed) {
      std::cout << "fail-on: findings at or above " << args->fail_on
                << " (highest: " << severity_name(outcome->highest_severity) << ")\n";
      *exit_code = static_cast<int>(ExitCode::kFindings);
    }
  });
}

}  // namespace convaudit::cli
