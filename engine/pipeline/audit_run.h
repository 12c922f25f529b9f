#pragma once
// run_audit: the `convaudit run` job, end to end.
//
//   logs -> ingest (+ rejects) -> sessions -> redaction (+ vault) -> rules -> aggregate
//        -> report.json, report.dsse.json, report.md, report.html, findings.jsonl, rejects.jsonl
//
// Every output is written to a temporary file in OUTDIR and renamed into place, so a killed run
// leaves no half-written report. The only component that knows every stage.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/result.h"
#include "engine/core/severity.h"
#include "engine/core/time_range.h"
#include "engine/ingest/input_format.h"

namespace convaudit::pipeline {

inline constexpr uint64_t kDefaultMemoryLimitBytes = uint64_t{256} << 20;

struct RunOptions {
  std::vector<std::string> inputs;  // log files; "-" = stdin
  std::string out_dir;
  std::string key_dir;                 // KEYDIR; created as a demo key folder when absent and
  bool create_demo_keys = false;       //   create_demo_keys is set
  std::vector<std::string> rule_dirs;  // layered after the built-in pack
  core::TimeRange period;              // unbounded = everything
  ingest::InputFormat format = ingest::InputFormat::kAuto;
  std::string vault_path;  // "" = KEYDIR/vault.bin
  int threads = 0;         // 0 = all cores
  // Memory budget for the run. Input larger than 1/64 of it is partitioned by session
  // and spilled to a temporary folder in out_dir (removed at the end), so peak memory stays
  // near the same figure however large the input. 0 = kDefaultMemoryLimitBytes.
  uint64_t memory_limit_bytes = 0;
  std::optional<Severity> fail_on;
  std::optional<std::string> previous_report;  // path of the previous report.json
  // Receives notices meant for the operator (rule warnings and errors, demo key creation), each
  // one line, already formatted "path:line: code: message". May be empty.
  std::function<void(const std::string&)> notice;
};

struct RunOutcome {
  std::string summary_text;  // what the CLI prints
  Severity highest_severity = Severity::kInfo;
  uint64_t total_findings = 0;
  bool gate_failed = false;  // a finding at or above fail_on exists
  bool demo_keys = false;
  // Wall time of each stage, in run order: "load rules", "ingest", "redact+rules",
  // "aggregate+write". For benchmarks and --timings; never written into a report.
  std::vector<std::pair<std::string, int64_t>> stage_ms;
};

Result<RunOutcome> run_audit(const RunOptions& options);

}  // namespace convaudit::pipeline
