// convaudit rules check|test|list [PACKDIR...]: tools for rule authors. With no PACKDIR the
// built-in pack is used; with PACKDIRs, those packs are layered in order on top of the built-in
// pack unless --only is given.

#include <cstdint>
#include <exception>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/core/message.h"
#include "engine/crypto/aead.h"
#include "engine/rulehost/example_runner.h"
#include "engine/rulehost/rule_output.h"
#include "engine/rulehost/rule_pack_loader.h"
#include "engine/rulehost/rule_runner.h"
#include "engine/rulehost/rule_set.h"

#include "cli/commands/command.h"
#include "redaction/mapping_sink.h"
#include "redaction/pii_detector.h"
#include "redaction/pseudonymizer.h"
#include "redaction/redactor.h"

namespace convaudit::cli {
namespace {

struct RulesArgs {
  std::vector<std::string> dirs;
  bool only = false;
};

// Rules tests never write a vault: the mapping is dropped.
class DiscardMappings : public redaction::MappingSink {
 public:
  void record(const std::string&, redaction::PiiType, std::string_view) override {}
};

Result<std::vector<rulehost::RuleSourceFile>> collect_files(const RulesArgs& args) {
  std::vector<rulehost::RuleSourceFile> files;
  if (args.dirs.empty() || !args.only) {
    files = rulehost::builtin_rule_files();
  }
  int pack = files.empty() ? 0 : 1;
  for (const std::string& dir : args.dirs) {
    auto more = rulehost::load_rule_dir(dir, pack++);
    if (!more) {
      return fail(more.error());
    }
    for (auto& file : *more) {
      files.push_back(std::move(file));
    }
  }
  return files;
}

// Loads the packs, printing every diagnostic as "path:line: code: message". Returns null (and
// sets the exit code) when the packs do not load.
std::shared_ptr<const rulehost::RuleSet> load_packs(const RulesArgs& args, int* exit_code,
                                                    size_t* warnings_out = nullptr) {
  auto files = collect_files(args);
  if (!files) {
    *exit_code = report_error(files.error());
    return nullptr;
  }
  rulehost::LoadDiagnostics diagnostics;
  auto rules = rulehost::RuleSet::load(std::move(*files), rulehost::RuleLimits{}, &diagnostics);
  for (const Error& warning : diagnostics.warnings) {
    std::cout << format_error(warning) << " (warning)\n";
  }
  for (const Error& error : diagnostics.errors) {
    std::cout << format_error(error) << "\n";
  }
  if (warnings_out != nullptr) {
    *warnings_out = diagnostics.warnings.size();
  }
  if (!rules) {
    if (diagnostics.errors.empty()) {
      std::cout << format_error(rules.error()) << "\n";
    }
    *exit_code = static_cast<int>(ExitCode::kUsageOrInput);
    return nullptr;
  }
  return *rules;
}

// Parses one benign JSONL file of the built-in pack ({"session_id", "role", "message",
// "metadata"?} per line, in conversation order) into conversations, one second between messages.
Result<std::vector<core::Conversation>> parse_benign(const rulehost::RuleSourceFile& file) {
  std::vector<core::Conversation> conversations;
  std::map<std::string, size_t> by_session;
  std::istringstream in(file.content);
  std::string line;
  int64_t line_number = 0;
  int64_t timestamp_ns = 1'780'000'000'000'000'000;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty()) {
      continue;
    }
    core::Message message;
    try {
      const nlohmann::json record = nlohmann::json::parse(line);
      message.session_id = record.at("session_id").get<std::string>();
      const auto role = core::parse_role(record.at("role").get<std::string>());
      if (!role) {
        return fail(ErrorCode::kBadField, "unknown role", {file.name, line_number});
      }
      message.role = *role;
      message.text = record.at("message").get<std::string>();
      if (record.contains("metadata")) {
        message.metadata = record["metadata"];
      }
    } catch (const std::exception& error) {
      return fail(ErrorCode::kMalformedJson, std::string("bad benign record: ") + error.what(),
                  {file.name, line_number});
    }
    message.timestamp_ns = timestamp_ns += 1'000'000'000;
    auto [it, inserted] = by_session.emplace(message.session_id, conversations.size());
    if (inserted) {
      conversations.emplace_back().session_id = message.session_id;
    }
    conversations[it->second].messages.push_back(std::move(message));
  }
  return conversations;
}

// Runs the whole rule set over the benign conversation set of the built-in pack; prints every
// security finding as "file: session S message N: rule R (type)" and returns how many there were.
Result<size_t> run_benign(const std::shared_ptr<const rulehost::RuleSet>& set,
                          redaction::Redactor& redactor, redaction::MappingSink& mappings,
                          size_t* conversations_out) {
  auto runner = rulehost::RuleRunner::create(set);
  if (!runner) {
    return fail(runner.error());
  }
  size_t hits = 0;
  for (const rulehost::RuleSourceFile& file : rulehost::builtin_benign_conversations()) {
    auto conversations = parse_benign(file);
    if (!conversations) {
      return fail(conversations.error());
    }
    for (core::Conversation& conversation : *conversations) {
      ++*conversations_out;
      const std::string session = conversation.session_id;
      const rulehost::ConversationResult result =
          (*runner)->run(redactor.redact(std::move(conversation), mappings));
      for (const rulehost::Finding& finding : result.findings) {
        if (finding.category != "security") {
          continue;
        }
        ++hits;
        std::cout << file.name << ": benign session " << session << " message "
                  << finding.message_index << ": security finding by " << finding.rule_id << " ("
                  << finding.type << "): " << finding.excerpt << "\n";
      }
    }
  }
  return hits;
}

void add_pack_arguments(CLI::App* cmd, RulesArgs& args) {
  cmd->add_option("packs", args.dirs, "Rule pack folders, layered in order (default: built-in)");
  cmd->add_flag("--only", args.only, "Use only the given packs, not the built-in pack under them");
}

}  // namespace

void add_rules_command(CLI::App& app, int* exit_code) {
  CLI::App* rules = app.add_subcommand("rules", "Tools for rule authors: check, test, list");
  rules->require_subcommand(1);

  auto check_args = std::make_shared<RulesArgs>();
  CLI::App* check = rules->add_subcommand(
      "check",
      "Lint rule packs: syntax, schema, duplicate ids, pattern errors; unknown keys are "
      "warnings. Prints path:line: code: message; exit 2 on any error");
  add_pack_arguments(check, *check_args);
  check->callback([check_args, exit_code] {
    size_t warnings = 0;
    auto set = load_packs(*check_args, exit_code, &warnings);
    if (!set) {
      std::cout << "FAILED: the rule packs have errors\n";
      return;
    }
    std::cout << "OK: " << set->rules().size() << " rules in " << set->files().size() << " files, "
              << warnings << " warnings\n";
  });

  auto test_args = std::make_shared<RulesArgs>();
  CLI::App* test = rules->add_subcommand(
      "test",
      "Run every rule's embedded examples (expect = true must fire, expect = false must not), "
      "each with fresh state; names each failing example and what fired instead; then runs the "
      "whole pack over the built-in benign conversation set. Exit 1 on a failure or any "
      "security finding on a benign conversation");
  add_pack_arguments(test, *test_args);
  test->callback([test_args, exit_code] {
    auto set = load_packs(*test_args, exit_code);
    if (!set) {
      return;
    }
    auto detector = redaction::PiiDetector::create();
    if (!detector) {
      *exit_code = report_error(detector.error());
      return;
    }
    redaction::Pseudonymizer pseudonymizer(crypto::random_bytes(32));
    redaction::Redactor redactor(*detector, pseudonymizer);
    DiscardMappings mappings;
    auto results = rulehost::run_examples(set, [&](core::Conversation conversation) {
      return redactor.redact(std::move(conversation), mappings);
    });
    if (!results) {
      *exit_code = report_error(results.error());
      return;
    }
    size_t failed = 0;
    for (const rulehost::ExampleResult& result : *results) {
      if (result.passed) {
        continue;
      }
      ++failed;
      Error error{ErrorCode::kRuleExampleFailed, "", result.where};
      error.where.rule_id = result.rule_id;
      error.message = "example " + std::to_string(result.index + 1) +
                      (result.expected ? " must fire but did not" : " must not fire but did");
      if (!result.error.empty()) {
        error.message += "; the rule failed: " + result.error;
      }
      if (!result.what_fired.empty()) {
        error.message += "; fired:";
        for (const std::string& what : result.what_fired) {
          error.message += " " + what;
        }
      }
      if (!result.other_signatures.empty()) {
        error.message += "; other signatures hit instead:";
        for (const std::string& other : result.other_signatures) {
          error.message += " " + other;
        }
      }
      if (!result.text.empty()) {
        error.message += "; text: \"" + result.text + "\"";
      }
      std::cout << format_error(error) << "\n";
    }
    std::cout << (failed == 0 ? "OK: " : "FAILED: ") << results->size() << " examples of "
              << set->rules().size() << " rules, " << failed << " failed\n";
    size_t benign_conversations = 0;
    auto benign_hits = run_benign(set, redactor, mappings, &benign_conversations);
    if (!benign_hits) {
      *exit_code = report_error(benign_hits.error());
      return;
    }
    std::cout << (*benign_hits == 0 ? "OK: " : "FAILED: ") << benign_conversations
              << " benign conversations, " << *benign_hits << " security findings\n";
    if (failed > 0 || *benign_hits > 0) {
      *exit_code = static_cast<int>(ExitCode::kFindings);
    }
  });

  auto list_args = std::make_shared<RulesArgs>();
  CLI::App* list = rules->add_subcommand(
      "list", "List the active rules: id, version, kind, category, severity, source file:line");
  add_pack_arguments(list, *list_args);
  list->callback([list_args, exit_code] {
    auto set = load_packs(*list_args, exit_code);
    if (!set) {
      return;
    }
    std::cout << std::left << std::setw(52) << "ID" << std::setw(9) << "VERSION" << std::setw(10)
              << "KIND" << std::setw(12) << "CATEGORY" << std::setw(10) << "SEVERITY"
              << "SOURCE\n";
    for (const rulehost::RuleInfo& rule : set->rules()) {
      std::cout << std::left << std::setw(52) << rule.id << std::setw(9) << rule.version
                << std::setw(10) << rulehost::rule_kind_name(rule.kind) << std::setw(12)
                << rule.category << std::setw(10) << severity_name(rule.severity) << rule.where.file
                << ":" << rule.where.line << "\n";
    }
  });
}

}  // namespace convaudit::cli
