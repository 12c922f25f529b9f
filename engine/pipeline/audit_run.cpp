#include "engine/pipeline/audit_run.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <thread>

#include <unistd.h>

#include "engine/aggregate/aggregator.h"
#include "engine/core/timestamp.h"
#include "engine/crypto/key_set.h"
#include "engine/crypto/sha256.h"
#include "engine/ingest/log_reader.h"
#include "engine/ingest/session_assembler.h"
#include "engine/pipeline/internal/atomic_file.h"
#include "engine/pipeline/internal/ordered_pool.h"
#include "engine/pipeline/internal/spill.h"
#include "engine/rulehost/rule_pack_loader.h"
#include "engine/rulehost/rule_runner.h"
#include "engine/rulehost/rule_set.h"

#include "redaction/pii_detector.h"
#include "redaction/pseudonymizer.h"
#include "redaction/redactor.h"
#include "redaction/vault.h"
#include "reports/envelope.h"
#include "reports/html_renderer.h"
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

// The PII detector compiles its patterns (~0.2 s) on its own thread while the vault opens and
// the input is read; the first reject, or the end of ingest, waits for it. Used by the thread
// that runs the audit only.
class LazyRedactor {
 public:
  LazyRedactor(std::future<Result<redaction::PiiDetector>> detector,
               const redaction::Pseudonymizer& pseudonymizer)
      : detector_future_(std::move(detector)), pseudonymizer_(pseudonymizer) {}

  Result<const redaction::Redactor*> get() {
    if (!redactor_ && !error_) {
      try {
        Result<redaction::PiiDetector> detector = detector_future_.get();
        if (!detector) {
          error_ = detector.error();
        } else {
          detector_.emplace(std::move(*detector));
          redactor_.emplace(*detector_, pseudonymizer_);
        }
      } catch (const std::exception& e) {  // std::bad_alloc from the compile: asked once
        error_ = Error{ErrorCode::kInternal, std::string("PII detector: ") + e.what(), {}};
      }
    }
    if (error_) {
      return fail(*error_);
    }
    return &*redactor_;
  }

 private:
  std::future<Result<redaction::PiiDetector>> detector_future_;
  const redaction::Pseudonymizer& pseudonymizer_;
  std::optional<redaction::PiiDetector> detector_;
  std::optional<redaction::Redactor> redactor_;  // refers to detector_
  std::optional<Error> error_;
};

// Rejects go straight to rejects.jsonl (redacted: reasons and excerpts quote raw input), so a
// file full of garbage costs disk, not memory. Counted by error code for the report.
class RejectWriter : public ingest::RejectSink {
 public:
  RejectWriter(internal::AtomicFileWriter& out, LazyRedactor& redactor,
               redaction::MappingSink& mappings)
      : out_(out), redactor_(redactor), mappings_(mappings) {}
  void reject(ingest::Reject reject) override {
    auto redactor = redactor_.get();
    if (!redactor) {
      status_ = fail(redactor.error());
      return;
    }
    json line{{"file", reject.file},
              {"line", reject.line},
              {"code", error_code_name(reject.code)},
              {"reason", (*redactor)->redact_text(reject.reason, mappings_, nullptr)},
              {"excerpt", (*redactor)->redact_text(reject.excerpt, mappings_, nullptr)}};
    ++count_;
    ++by_code_[std::string(error_code_name(reject.code))];
    if (status_) {
      status_ = out_.append(reports::canonical_json(line) + "\n");
    }
  }
  uint64_t count() const { return count_; }
  const std::map<std::string, uint64_t>& by_code() const { return by_code_; }
  const Status& status() const { return status_; }

 private:
  internal::AtomicFileWriter& out_;
  LazyRedactor& redactor_;
  redaction::MappingSink& mappings_;
  uint64_t count_ = 0;
  std::map<std::string, uint64_t> by_code_;
  Status status_ = ok_status();
};

struct IngestResult {
  std::vector<reports::InputFileRecord> inputs;
  aggregate::DataQuality data_quality;
};

constexpr uint64_t kPollMessages = 4096;

// Pass one: every input is read once, messages inside the period go to the spill store
// (partitioned by session), everything else is counted. `poll` runs every kPollMessages messages
// on the reading thread; an exception it throws ends the read and leaves this function (the
// hashing thread is stopped and joined first).
Result<IngestResult> ingest_inputs(const RunOptions& options, const std::vector<std::string>& paths,
                                   size_t threads, internal::SpillStore& spill,
                                   RejectWriter& rejects, const std::function<void()>& poll) {
  IngestResult out;
  ingest::ReadOptions read_options;
  read_options.format = options.format;
  if (threads > 1) {
    // Records that stand alone are parsed on all cores; the spill store still gets them in file
    // order from this thread.
    read_options.parallel_for = [threads](size_t n, const std::function<void(size_t)>& fn) {
      std::atomic<size_t> next{0};
      auto work = [&] {
        for (size_t i = next++; i < n; i = next++) {
          fn(i);
        }
      };
      std::vector<std::thread> pool;
      for (size_t i = 1; i < std::min(threads, n); ++i) {
        pool.emplace_back(work);
      }
      work();
      for (std::thread& thread : pool) {
        thread.join();
      }
    };
  }
  for (size_t i = 0; i < options.inputs.size(); ++i) {
    const std::string& input = options.inputs[i];
    const std::string& path = paths[i];
    // The file's digest is taken on its own thread while it is read.
    Result<crypto::FileDigest> digest = fail(ErrorCode::kInternal, "not hashed");
    std::atomic<bool> stop_hashing{false};
    std::thread hasher([&] { digest = crypto::sha256_file(path, &stop_hashing); });
    struct JoinOnExit {  // when the read ends in an exception: stop hashing, then join
      std::thread& thread;
      std::atomic<bool>& stop;
      ~JoinOnExit() {
        if (thread.joinable()) {
          stop = true;
          thread.join();
        }
      }
    } join_hasher{hasher, stop_hashing};
    uint64_t delivered = 0;
    Status spilled = ok_status();
    auto stats = ingest::read_log(
        path, read_options,
        [&](core::Message&& message) {
          if (++delivered % kPollMessages == 0) {
            poll();
          }
          if (input == "-") {
            message.source.file = "-";
          }
          if (!options.period.contains(message.timestamp_ns)) {
            ++out.data_quality.excluded_by_period;
            return;
          }
          if (spilled) {
            spilled = spill.add(std::move(message));
          }
        },
        rejects);
    hasher.join();
    if (!digest) {
      return fail(digest.error());
    }
    out.inputs.push_back({input, digest->sha256_hex, digest->size_bytes});
    if (!stats) {
      return fail(stats.error());
    }
    if (!spilled) {
      return fail(spilled.error());
    }
    if (!rejects.status()) {
      return fail(rejects.status().error());
    }
    out.data_quality.records_read += stats->records;
    out.data_quality.messages_accepted += stats->messages;
  }
  out.data_quality.messages_accepted -= out.data_quality.excluded_by_period;
  out.data_quality.rejected = rejects.count();
  out.data_quality.rejects_by_code = rejects.by_code();
  if (auto st = spill.finish(); !st) {
    return fail(st.error());
  }
  return out;
}

// Redaction and rules for one partition at a time per worker; each worker has its own
// RuleRunner (its own Lua state), made on the worker's thread the first time it is needed.
class Evaluator {
 public:
  Evaluator(std::shared_ptr<const rulehost::RuleSet> rules, size_t workers)
      : rules_(std::move(rules)), runners_(std::max<size_t>(1, workers)) {}

  size_t workers() const { return runners_.size(); }

  // Conversation i goes to slot i, so the output order never depends on scheduling.
  Result<std::vector<ConversationSlot>> run(size_t worker,
                                            std::vector<core::Conversation> conversations,
                                            const redaction::Redactor& redactor,
                                            redaction::MappingSink& mappings) {
    std::unique_ptr<rulehost::RuleRunner>& runner = runners_.at(worker);
    if (runner == nullptr) {
      auto created = rulehost::RuleRunner::create(rules_);
      if (!created) {
        return fail(created.error());
      }
      runner = std::move(*created);
    }
    std::vector<ConversationSlot> slots(conversations.size());
    for (size_t i = 0; i < conversations.size(); ++i) {
      slots[i].redacted.emplace(redactor.redact(std::move(conversations[i]), mappings));
      slots[i].result = runner->run(*slots[i].redacted);
    }
    return slots;
  }

  // Rule failures and per-rule costs of every runner, merged (costs sorted by rule id).
  void finish(rulehost::RuleErrorLog& errors, std::vector<rulehost::RuleCost>& costs) const {
    std::map<std::string, rulehost::RuleCost> merged;
    for (const auto& runner : runners_) {
      if (runner == nullptr) {
        continue;
      }
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
  }

 private:
  std::shared_ptr<const rulehost::RuleSet> rules_;
  std::vector<std::unique_ptr<rulehost::RuleRunner>> runners_;
};

// One partition, evaluated: its conversations in session-id order.
struct EvaluatedPartition {
  std::vector<ConversationSlot> slots;
  uint64_t duplicates = 0;
};

json finding_line(const rulehost::Finding& finding) {
  return json{{"session_id", finding.session_id},
              {"message_index", finding.message_index},
              {"rule_id", finding.rule_id},
              {"category", finding.category},
              {"type", finding.type},
              {"severity", severity_name(finding.severity)},
              {"excerpt", finding.excerpt}};
}

// One line of flagged.jsonl: a conversation with a finding of severity >= low, as redacted text
// (it is built from the RedactedConversation, never from raw input), with all its findings.
json flagged_line(const redaction::RedactedConversation& redacted,
                  const rulehost::ConversationResult& result) {
  const core::Conversation& conversation = redacted.conversation();
  json messages = json::array();
  for (size_t i = 0; i < conversation.messages.size(); ++i) {
    const core::Message& message = conversation.messages[i];
    messages.push_back(json{{"message_index", i},
                            {"role", core::role_name(message.role)},
                            {"text", message.text},
                            {"timestamp", core::format_timestamp(message.timestamp_ns)}});
  }
  json findings = json::array();
  for (const rulehost::Finding& finding : result.findings) {
    findings.push_back(finding_line(finding));
  }
  return json{{"session_id", conversation.session_id},
              {"messages", std::move(messages)},
              {"findings", std::move(findings)}};
}

bool is_flagged(const rulehost::ConversationResult& result) {
  return std::any_of(result.findings.begin(), result.findings.end(),
                     [](const rulehost::Finding& f) { return f.severity >= Severity::kLow; });
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
    p.rules.push_back(
        {rule.id, rule.version, std::string(rulehost::rule_kind_name(rule.kind)), rule.where.file});
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

// Each partition gets this share of the memory limit, in input bytes, and at most
// kMaxPartitionBytes: evaluating a partition costs several times its size (about seven bytes per
// input byte, measured), so partitions of one size keep the peak nearly the same whatever the
// input size (one partition, with nothing on disk, for inputs below it). At most
// limit / (kBytesPerInputByte * partition) partitions are in flight at once, however many threads.
constexpr uint64_t kPartitionShare = 64;
constexpr uint64_t kMaxPartitionBytes = uint64_t{256} << 10;
constexpr uint64_t kBytesPerInputByte = 8;
// Inputs from 2 MiB up have at least 16 partitions (of at least 128 KiB each).
constexpr uint64_t kMinPartitions = 16;
constexpr uint64_t kMinPartitionBytes = uint64_t{128} << 10;
// The spill write buffers of all partitions together.
constexpr size_t kSpillBufferBytes = size_t{4} << 20;

// Wall-clock stage timer for RunOutcome::stage_ms.
class StageClock {
 public:
  void lap(const char* stage) {
    auto now = std::chrono::steady_clock::now();
    stages_.emplace_back(
        stage, std::chrono::duration_cast<std::chrono::milliseconds>(now - last_).count());
    last_ = now;
  }
  // A stage that ran beside the others (on its own thread), with its own duration.
  void record(const char* stage, int64_t ms) { stages_.emplace_back(stage, ms); }
  std::vector<std::pair<std::string, int64_t>> take() { return std::move(stages_); }

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
  std::vector<std::pair<std::string, int64_t>> stages_;
};

Result<RunOutcome> run_audit(const RunOptions& options) {
  StageClock clock;
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
  // The pack loads (every pattern compiled, the signature index built) on its own thread while
  // the input is read: it is needed only once partitions are evaluated, and ingest leaves a core
  // idle. A rule error still outranks any later error (failed()), as when it loaded first.
  using LoadedRules = Result<std::shared_ptr<const rulehost::RuleSet>>;
  int64_t rules_load_ms = 0;
  std::future<LoadedRules> rules_loading =
      std::async(std::launch::async, [&options, &rules_load_ms]() -> LoadedRules {
        const auto start = std::chrono::steady_clock::now();
        LoadedRules loaded = load_rules(options);
        rules_load_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - start)
                            .count();
        return loaded;
      });
  std::optional<LoadedRules> loaded_rules;
  auto rules = [&]() -> LoadedRules& {
    if (!loaded_rules) {
      loaded_rules.emplace(rules_loading.get());
    }
    return *loaded_rules;
  };
  // Tokens of rejected records recorded before the pack failed name nothing anyone can read: a
  // run that ends with a rule error leaves the vault as it found it.
  redaction::Vault* opened_vault = nullptr;
  auto rule_error = [&]() -> Result<RunOutcome> {
    if (opened_vault != nullptr) {
      opened_vault->discard_pending();
    }
    return fail(rules().error());
  };
  auto failed = [&](Error error) -> Result<RunOutcome> {
    if (!rules()) {
      return rule_error();
    }
    return fail(std::move(error));
  };
  // Polled while the input is read: a pack that failed to load ends the read at once, so a rule
  // author does not wait for a whole quarter to be read before seeing the error.
  struct PackFailed {};
  auto stop_if_pack_failed = [&]() {
    if (!loaded_rules &&
        rules_loading.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
      return;
    }
    if (!rules()) {
      throw PackFailed{};
    }
  };
  redaction::Pseudonymizer pseudonymizer(keys->pseudonym_key);
  LazyRedactor lazy_redactor(
      std::async(std::launch::async, [] { return redaction::PiiDetector::create(); }),
      pseudonymizer);
  std::optional<std::string> previous_sha256;
  if (options.previous_report) {
    auto digest = crypto::sha256_file(*options.previous_report);
    if (!digest) {
      return failed(digest.error());
    }
    previous_sha256 = digest->sha256_hex;
  }
  std::string vault_path = options.vault_path.empty()
                               ? (fs::path(options.key_dir) / "vault.bin").string()
                               : options.vault_path;
  auto vault = redaction::Vault::open(vault_path, keys->vault_key);
  if (!vault) {
    return failed(vault.error());
  }
  opened_vault = vault->get();
  fs::path out(options.out_dir);
  auto findings_out = internal::AtomicFileWriter::open((out / "findings.jsonl").string());
  auto rejects_out = internal::AtomicFileWriter::open((out / "rejects.jsonl").string());
  auto flagged_out = internal::AtomicFileWriter::open((out / "flagged.jsonl").string());
  for (auto* writer : {&findings_out, &rejects_out, &flagged_out}) {
    if (!*writer) {
      return failed(writer->error());
    }
  }

  // stdin cannot be hashed and read twice: it is spooled to a file in OUTDIR first (removed at
  // the end, also on failure).
  std::vector<std::string> paths = options.inputs;
  std::optional<std::string> spooled;
  struct SpoolCleanup {
    std::optional<std::string>& path;
    ~SpoolCleanup() {
      if (path) {
        std::error_code ignored;
        fs::remove(*path, ignored);
      }
    }
  } spool_cleanup{spooled};
  uint64_t input_bytes = 0;
  for (std::string& path : paths) {
    if (path == "-" && !spooled) {
      auto spool = spool_stdin(options.out_dir);
      if (!spool) {
        return failed(spool.error());
      }
      spooled = *spool;
    }
    if (path == "-") {
      path = *spooled;
    }
    std::error_code size_ec;
    uint64_t size = fs::file_size(path, size_ec);
    if (!size_ec) {
      // gzip logs are about five times larger once read.
      bool gz = path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
      input_bytes += gz ? size * 5 : size;
    }
  }
  const uint64_t memory_limit =
      options.memory_limit_bytes > 0 ? options.memory_limit_bytes : kDefaultMemoryLimitBytes;
  // A partition's messages expand several times in memory (strings, JSON metadata, Lua views,
  // redacted copies): small partitions keep the peak well inside the limit and nearly flat in
  // the input size (bench/README.md).
  const uint64_t partition_bytes =
      std::max<uint64_t>(1, std::min(memory_limit / kPartitionShare, kMaxPartitionBytes));
  // Partitions are also the unit of parallel work: an input of a few MB is cut into enough of
  // them to keep every core busy. The count depends on the input only, never on --threads, so
  // the output order does not either.
  const size_t partitions =
      std::max(internal::partitions_for(input_bytes, partition_bytes),
               static_cast<size_t>(std::min(kMinPartitions, input_bytes / kMinPartitionBytes)));
  auto spill = internal::SpillStore::create(options.out_dir, partitions, kSpillBufferBytes);
  if (!spill) {
    return failed(spill.error());
  }
  const size_t threads = options.threads > 0
                             ? static_cast<size_t>(options.threads)
                             : std::max<size_t>(1, std::thread::hardware_concurrency());
  RejectWriter rejects(**rejects_out, lazy_redactor, **vault);
  Result<IngestResult> ingested = fail(ErrorCode::kInternal, "not read");
  try {
    ingested = ingest_inputs(options, paths, threads, **spill, rejects, stop_if_pack_failed);
  } catch (const PackFailed&) {
    return rule_error();
  }
  if (!ingested) {
    return failed(ingested.error());
  }
  clock.lap("ingest");
  auto ready_redactor = lazy_redactor.get();
  if (!ready_redactor) {
    return failed(ready_redactor.error());
  }
  const redaction::Redactor& redactor = **ready_redactor;
  if (!rules()) {
    return rule_error();
  }
  clock.record("load rules (beside ingest)", rules_load_ms);

  const size_t in_flight = static_cast<size_t>(
      std::max<uint64_t>(1, memory_limit / (kBytesPerInputByte * partition_bytes)));
  Evaluator evaluator(*rules(), std::min(threads, in_flight));
  // Pass two, partitions as the unit of work: each worker takes the next partition, assembles
  // its sessions, redacts them and runs the rules; finished partitions are folded into the
  // summary and streamed out strictly in partition order (so the outputs do not depend on the
  // thread count), at most one more than the workers held at once.
  aggregate::Aggregator aggregator;
  uint64_t duplicates = 0;
  auto evaluate = [&](size_t partition, size_t worker) -> Result<EvaluatedPartition> {
    auto messages = (*spill)->take(partition);
    if (!messages) {
      return fail(messages.error());
    }
    ingest::SessionAssembler assembler;
    for (core::Message& message : *messages) {
      assembler.add(std::move(message));
    }
    messages->clear();
    messages->shrink_to_fit();
    EvaluatedPartition evaluated;
    std::vector<core::Conversation> conversations = assembler.take_conversations();
    evaluated.duplicates = assembler.duplicate_count();  // counted while taking them
    auto slots = evaluator.run(worker, std::move(conversations), redactor, **vault);
    if (!slots) {
      return fail(slots.error());
    }
    evaluated.slots = std::move(*slots);
    return evaluated;
  };
  auto fold = [&](size_t, EvaluatedPartition&& evaluated) -> Status {
    duplicates += evaluated.duplicates;
    for (const ConversationSlot& slot : evaluated.slots) {
      aggregator.add(slot.redacted->conversation(), slot.result);
      std::string lines;
      for (const rulehost::Finding& finding : slot.result.findings) {
        lines += reports::canonical_json(finding_line(finding));
        lines += '\n';
      }
      if (auto st = (*findings_out)->append(lines); !st) {
        return st;
      }
      if (is_flagged(slot.result)) {
        if (auto st =
                (*flagged_out)
                    ->append(reports::canonical_json(flagged_line(*slot.redacted, slot.result)) +
                             '\n');
            !st) {
          return st;
        }
      }
    }
    // New pseudonyms go to the vault partition by partition, so its buffer stays small too;
    // fsynced once, below, before any output naming them is committed.
    return (*vault)->append();
  };
  if (auto st = internal::run_ordered<EvaluatedPartition>(
          (*spill)->partition_count(), evaluator.workers(),
          std::min(evaluator.workers() + 1, in_flight), evaluate, fold);
      !st) {
    return fail(st.error());
  }
  if (auto st = (*vault)->flush(); !st) {
    return fail(st.error());
  }
  ingested->data_quality.duplicates_dropped = duplicates;
  rulehost::RuleErrorLog rule_errors;
  std::vector<rulehost::RuleCost> rule_costs;
  evaluator.finish(rule_errors, rule_costs);
  clock.lap("redact+rules");

  aggregate::AuditSummary summary = aggregator.finish();
  summary.rule_errors = rule_errors.failures();
  summary.rule_costs = std::move(rule_costs);
  summary.data_quality = ingested->data_quality;
  reports::Provenance provenance =
      make_provenance(options, *keys, **rules(), std::move(ingested->inputs));
  provenance.previous_report_sha256 = previous_sha256;

  json report = reports::build_report(summary, provenance);
  std::string report_json = reports::canonical_json(report);
  auto envelope = reports::sign_report(report_json, keys->signing, CONVAUDIT_VERSION);
  if (!envelope) {
    return fail(envelope.error());
  }
  for (auto* writer : {&findings_out, &rejects_out, &flagged_out}) {
    if (auto st = (**writer)->commit(); !st) {
      return fail(st.error());
    }
  }
  if (auto st = internal::write_file_atomically(
          (out / "report.md").string(), reports::render_markdown(report, summary.rule_costs));
      !st) {
    return fail(st.error());
  }
  if (auto st = internal::write_file_atomically((out / "report.html").string(),
                                                reports::render_html(report));
      !st) {
    return fail(st.error());
  }
  if (auto st = internal::write_file_atomically((out / "report.json").string(), report_json); !st) {
    return fail(st.error());
  }
  if (auto st = internal::write_file_atomically((out / "report.dsse.json").string(), *envelope);
      !st) {
    return fail(st.error());
  }

  RunOutcome outcome;
  clock.lap("aggregate+write");
  outcome.stage_ms = clock.take();
  outcome.summary_text = reports::render_summary_text(report);
  outcome.highest_severity = summary.highest_severity;
  outcome.total_findings = summary.total_findings;
  outcome.demo_keys = keys->is_demo;
  outcome.gate_failed =
      options.fail_on && summary.total_findings > 0 && summary.highest_severity >= *options.fail_on;
  return outcome;
}

}  // namespace convaudit::pipeline
