#include "engine/pipeline/audit_run.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <thread>

#include "engine/aggregate/aggregator.h"
#include "engine/core/timestamp.h"
#include "engine/crypto/key_set.h"
#include "engine/crypto/sha256.h"
#include "engine/ingest/log_reader.h"
#include "engine/ingest/session_assembler.h"
#include "engine/pipeline/internal/atomic_file.h"
#include "engine/rulehost/rule_pack_loader.h"
#include "engine/rulehost/rule_runner.h"
#include "engine/rulehost/rule_set.h"
#include "redaction/pii_detector.h"
#include "redaction/pseudonymizer.h"
#include "redaction/redactor.h"
#include "redaction/vault.h"
#include "reports/envelope.h"
#include "reports/markdown_renderer.h"
#include "reports/report_builder.h"

namespace convaudit::pipeline {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct ConversationSlot {
  std::optional<redaction::RedactedConversation> redacted;
  rulehost::ConversationResult result;
};

void notify(const RunOptions& options, const std::string& line) {
  if (options.notice) {
    options.notice(line);
  }
}

// Keys: an existing KEYDIR, or a demo folder made on first use.
Result<crypto::KeySet> resolve_keys(const RunOptions& options) {
  std::error_code ec;
  if (!fs::exists(fs::path(options.key_dir) / "signing.key", ec)) {
    if (!options.create_demo_keys) {
      return fail(ErrorCode::kNotFound, "no signing.key in the key folder (run convaudit keygen)",
                  {options.key_dir});
    }
    crypto::KeygenOptions keygen;
    keygen.demo = true;
    if (auto st = crypto::generate_key_folder(options.key_dir, keygen); !st) {
      return fail(st.error());
    }
    notify(options, "created a demo key folder at " + options.key_dir +
                        " (reports signed with it say so; use `convaudit keygen` for real keys)");
  }
  return crypto::load_key_folder(options.key_dir);
}

Result<std::shared_ptr<const rulehost::RuleSet>> load_rules(const RunOptions& options) {
  std::vector<rulehost::RuleSourceFile> files = rulehost::builtin_rule_files();
  int pack = 1;
  for (const std::string& dir : options.rule_dirs) {
    auto more = rulehost::load_rule_dir(dir, pack++);
    if (!more) {
      return fail(more.error());
    }
    std::move(more->begin(), more->end(), std::back_inserter(files));
  }
  rulehost::LoadDiagnostics diagnostics;
  auto rules = rulehost::RuleSet::load(std::move(files), rulehost::RuleLimits{}, &diagnostics);
  for (const Error& warning : diagnostics.warnings) {
    notify(options, "warning: " + format_error(warning));
  }
  if (!rules) {
    for (const Error& error : diagnostics.errors) {
      notify(options, "error: " + format_error(error));
    }
    return fail(rules.error());
  }
  return rules;
}

// stdin cannot be hashed and read twice: it is copied to a temporary file first.
Result<std::string> spool_stdin(const std::string& out_dir) {
  std::string path = (fs::path(out_dir) / (".stdin-" + std::to_string(::getpid()))).string();
  std::ofstream out(path, std::ios::binary);
  if (!out) {
    return fail(ErrorCode::kIo, "cannot spool standard input", {path});
  }
  out << std::cin.rdbuf();
  out.close();
  return path;
}

struct IngestResult {
  std::vector<core::Conversation> conversations;
  std::vector<reports::InputFileRecord> inputs;
  aggregate::DataQuality data_quality;
  ingest::RejectCollector rejects;
};

Result<IngestResult> ingest_inputs(const RunOptions& options) {
  IngestResult out;
  ingest::SessionAssembler assembler;
  ingest::ReadOptions read_options;
  read_options.format = options.format;
  for (const std::string& input : options.inputs) {
    std::string path = input;
    std::optional<std::string> spooled;
    if (input == "-") {
      auto spool = spool_stdin(options.out_dir);
      if (!spool) {
        return fail(spool.error());
      }
      spooled = *spool;
      path = *spool;
    }
    auto digest = crypto::sha256_file(path);
    if (!digest) {
      return fail(digest.error());
    }
    out.inputs.push_back({input, digest->sha256_hex, digest->size_bytes});
    auto stats = ingest::read_log(
        path, read_options,
        [&](core::Message&& message) {
          if (input == "-") {
            message.source.file = "-";
          }
          if (!options.period.contains(message.timestamp_ns)) {
            ++out.data_quality.excluded_by_period;
            return;
          }
          assembler.add(std::move(message));
        },
        out.rejects);
    if (spooled) {
      std::error_code ec;
      fs::remove(*spooled, ec);
    }
    if (!stats) {
      return fail(stats.error());
    }
    out.data_quality.records_read += stats->records;
    out.data_quality.messages_accepted += stats->messages;
  }
  out.data_quality.messages_accepted -= out.data_quality.excluded_by_period;
  out.data_quality.rejected = out.rejects.rejects().size();
  out.data_quality.rejects_by_code = out.rejects.counts_by_code();
  out.conversations = assembler.take_conversations();
  out.data_quality.duplicates_dropped = assembler.duplicate_count();
  return out;
}

// Redaction and rules over every conversation on `threads` workers; slot i holds conversation i,
// so the output order never depends on scheduling.
Result<std::vector<ConversationSlot>> evaluate(
    std::vector<core::Conversation> conversations, const redaction::Redactor& redactor,
    redaction::Vault& vault, const std::shared_ptr<const rulehost::RuleSet>& rules, int threads,
    rulehost::RuleErrorLog& errors, std::vector<rulehost::RuleCost>& costs) {
  size_t workers = static_cast<size_t>(std::max(1, threads));
  workers = std::max<size_t>(1, std::min(workers, conversations.size()));
  std::vector<std::unique_ptr<rulehost::RuleRunner>> runners;
  for (size_t i = 0; i < workers; ++i) {
    auto runner = rulehost::RuleRunner::create(rules);
    if (!runner) {
      return fail(runner.error());
    }
    runners.push_back(std::move(*runner));
  }
  std::vector<ConversationSlot> slots(conversations.size());
  std::atomic<size_t> next{0};
  auto work = [&](rulehost::RuleRunner& runner) {
    for (size_t i = next++; i < conversations.size(); i = next++) {
      slots[i].redacted.emplace(redactor.redact(std::move(conversations[i]), vault));
      slots[i].result = runner.run(*slots[i].redacted);
    }
  };
  std::vector<std::thread> pool;
  for (size_t i = 1; i < workers; ++i) {
    pool.emplace_back(work, std::ref(*runners[i]));
  }
  work(*runners[0]);
  for (std::thread& t : pool) {
    t.join();
  }
  std::map<std::string, rulehost::RuleCost> merged;
  for (const auto& runner : runners) {
    errors.merge(runner->errors());
    for (const rulehost::RuleCost& cost : runner->costs()) {
      rulehost::RuleCost& total = merged[cost.rule_id];
      total.rule_id = cost.rule_id;
      total.calls += cost.calls;
      total.matches += cost.matches;
      total.cpu_ns += cost.cpu_ns;
      total.budget_trips += cost.budget_trips;
      total.quarantined = total.quarantined || cost.quarantined;
    }
  }
  for (auto& [id, cost] : merged) {
    costs.push_back(cost);
  }
  return slots;
}

json finding_line(const rulehost::Finding& finding) {
  return json{{"session_id", finding.session_id},
              {"message_index", finding.message_index},
              {"rule_id", finding.rule_id},
              {"category", finding.category},
              {"type", finding.type},
              {"severity", severity_name(finding.severity)},
              {"excerpt", finding.excerpt}};
}

reports::Provenance make_provenance(const RunOptions& options, const crypto::KeySet& keys,
                                    const rulehost::RuleSet& rules,
                                    std::vector<reports::InputFileRecord> inputs) {
  reports::Provenance p;
  p.engine_version = CONVAUDIT_VERSION;
  p.inputs = std::move(inputs);
  for (const rulehost::RuleSourceFile& file : rules.files()) {
    p.rule_files.push_back({file.name, crypto::sha256_hex(file.content)});
  }
  for (const rulehost::RuleInfo& rule : rules.rules()) {
    p.rules.push_back({rule.id, rule.version, std::string(rulehost::rule_kind_name(rule.kind)),
                       rule.where.file});
  }
  p.parameters.emplace_back("format", std::string(ingest::input_format_name(options.format)));
  if (!options.period.label.empty()) {
    p.parameters.emplace_back("period", options.period.label);
  }
  if (options.period.since_ns) {
    p.parameters.emplace_back("since", core::format_timestamp(*options.period.since_ns));
  }
  if (options.period.until_ns) {
    p.parameters.emplace_back("until", core::format_timestamp(*options.period.until_ns));
  }
  if (options.fail_on) {
    p.parameters.emplace_back("fail_on", std::string(severity_name(*options.fail_on)));
  }
  std::string rule_dirs;
  for (const std::string& dir : options.rule_dirs) {
    rule_dirs += (rule_dirs.empty() ? "" : ",") + dir;
  }
  p.parameters.emplace_back("rule_packs", rule_dirs.empty() ? "builtin" : "builtin," + rule_dirs);
  std::sort(p.parameters.begin(), p.parameters.end());
  p.signing_key_id = keys.signing_key_id();
  p.pseudonym_key_id = keys.pseudonym_key_id();
  p.vault_key_id = keys.vault_key_id();
  p.demo_keys = keys.is_demo;
  return p;
}

}  // namespace

Result<RunOutcome> run_audit(const RunOptions& options) {
  if (options.inputs.empty()) {
    return fail(ErrorCode::kUsage, "no input log files given");
  }
  std::error_code ec;
  fs::create_directories(options.out_dir, ec);
  if (ec) {
    return fail(ErrorCode::kIo, "cannot create output folder: " + ec.message(), {options.out_dir});
  }
  auto keys = resolve_keys(options);
  if (!keys) {
    return fail(keys.error());
  }
  auto rules = load_rules(options);
  if (!rules) {
    return fail(rules.error());
  }
  std::optional<std::string> previous_sha256;
  if (options.previous_report) {
    auto digest = crypto::sha256_file(*options.previous_report);
    if (!digest) {
      return fail(digest.error());
    }
    previous_sha256 = digest->sha256_hex;
  }
  auto ingested = ingest_inputs(options);
  if (!ingested) {
    return fail(ingested.error());
  }

  std::string vault_path = options.vault_path.empty()
                               ? (fs::path(options.key_dir) / "vault.bin").string()
                               : options.vault_path;
  auto vault = redaction::Vault::open(vault_path, keys->vault_key);
  if (!vault) {
    return fail(vault.error());
  }
  auto detector = redaction::PiiDetector::create();
  if (!detector) {
    return fail(detector.error());
  }
  redaction::Pseudonymizer pseudonymizer(keys->pseudonym_key);
  redaction::Redactor redactor(*detector, pseudonymizer);

  int threads = options.threads > 0 ? options.threads
                                    : static_cast<int>(std::thread::hardware_concurrency());
  rulehost::RuleErrorLog rule_errors;
  std::vector<rulehost::RuleCost> rule_costs;
  auto slots = evaluate(std::move(ingested->conversations), redactor, **vault, *rules, threads,
                        rule_errors, rule_costs);
  if (!slots) {
    return fail(slots.error());
  }

  aggregate::Aggregator aggregator;
  std::string findings_jsonl;
  for (const ConversationSlot& slot : *slots) {
    aggregator.add(slot.redacted->conversation(), slot.result);
    for (const rulehost::Finding& finding : slot.result.findings) {
      findings_jsonl += reports::canonical_json(finding_line(finding));
      findings_jsonl += '\n';
    }
  }
  // Reject excerpts and reasons quote raw input: they are redacted like everything else.
  std::string rejects_jsonl;
  for (const ingest::Reject& reject : ingested->rejects.rejects()) {
    json line{{"file", reject.file},
              {"line", reject.line},
              {"code", error_code_name(reject.code)},
              {"reason", redactor.redact_text(reject.reason, **vault, nullptr)},
              {"excerpt", redactor.redact_text(reject.excerpt, **vault, nullptr)}};
    rejects_jsonl += reports::canonical_json(line);
    rejects_jsonl += '\n';
  }
  if (auto st = (*vault)->flush(); !st) {
    return fail(st.error());
  }

  aggregate::AuditSummary summary = aggregator.finish();
  summary.rule_errors = rule_errors.failures();
  summary.rule_costs = std::move(rule_costs);
  summary.data_quality = ingested->data_quality;
  reports::Provenance provenance =
      make_provenance(options, *keys, **rules, std::move(ingested->inputs));
  provenance.previous_report_sha256 = previous_sha256;

  json report = reports::build_report(summary, provenance);
  std::string report_json = reports::canonical_json(report);
  auto envelope = reports::sign_report(report_json, keys->signing, CONVAUDIT_VERSION);
  if (!envelope) {
    return fail(envelope.error());
  }
  fs::path out(options.out_dir);
  const std::pair<const char*, const std::string*> outputs[] = {
      {"findings.jsonl", &findings_jsonl},
      {"rejects.jsonl", &rejects_jsonl},
  };
  for (const auto& [name, content] : outputs) {
    if (auto st = internal::write_file_atomically((out / name).string(), *content); !st) {
      return fail(st.error());
    }
  }
  if (auto st = internal::write_file_atomically((out / "report.md").string(),
                                                reports::render_markdown(report, summary.rule_costs));
      !st) {
    return fail(st.error());
  }
  if (auto st = internal::write_file_atomically((out / "report.json").string(), report_json);
      !st) {
    return fail(st.error());
  }
  if (auto st = internal::write_file_atomically((out / "report.dsse.json").string(), *envelope);
      !st) {
    return fail(st.error());
  }

  RunOutcome outcome;
  outcome.summary_text = reports::render_summary_text(report);
  outcome.highest_severity = summary.highest_severity;
  outcome.total_findings = summary.total_findings;
  outcome.demo_keys = keys->is_demo;
  outcome.gate_failed = options.fail_on && summary.total_findings > 0 &&
                        summary.highest_severity >= *options.fail_on;
  return outcome;
}

}  // namespace convaudit::pipeline
