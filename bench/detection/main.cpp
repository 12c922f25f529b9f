// convaudit_bench_detection: how well the built-in pack detects attacks, and how often it flags
// benign messages, on the labelled corpus written by bench/detection/gen_corpus.py.
//
// Each corpus line is one message (or, for benign dialogues, one whole conversation), run as its
// own conversation (redacted first, as in a real
// run) through one RuleRunner holding the whole built-in pack. A message is "flagged" when it
// gets at least one finding of category security. Per split (train, heldout, probe) it prints:
//   - per attack type: messages, recall by type (a finding of the labelled type), recall by any
//     security finding, and precision of that finding type (over all messages of the split);
//   - overall attack recall and the benign false-positive rate, per benign family.
//
//   convaudit_bench_detection CORPUS.jsonl [--show N]   (--show: print N misses and N false
//                                                      positives per split)

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/rulehost/rule_output.h"
#include "engine/rulehost/rule_pack_loader.h"
#include "engine/rulehost/rule_runner.h"
#include "engine/rulehost/rule_set.h"

#include "redaction/mapping_sink.h"
#include "redaction/pii_detector.h"
#include "redaction/pseudonymizer.h"
#include "redaction/redactor.h"

namespace {

using namespace convaudit;

class NullSink : public redaction::MappingSink {
 public:
  void record(const std::string&, redaction::PiiType, std::string_view) override {}
};

struct Row {
  std::string split;
  bool attack = false;
  std::string type;                                           // attack type, or benign family
  std::vector<std::pair<std::string, std::string>> messages;  // {role, text}, in order
};

struct TypeFigures {
  size_t messages = 0;
  size_t by_type = 0;            // attacks of this type with a finding of this type
  size_t by_any = 0;             // attacks of this type with any security finding
  size_t predicted = 0;          // messages with a finding of this type
  size_t predicted_correct = 0;  // ... that are attacks of this type
};

struct SplitFigures {
  std::map<std::string, TypeFigures> types;
  std::map<std::string, std::pair<size_t, size_t>> benign;  // family -> {messages, flagged}
  size_t attacks = 0;
  size_t attacks_flagged = 0;
  size_t benign_messages = 0;
  size_t benign_flagged = 0;
  std::vector<std::string> misses;
  std::vector<std::string> false_positives;
};

double percent(size_t part, size_t whole) {
  return whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

std::vector<Row> read_corpus(const char* path) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "cannot open %s\n", path);
    std::exit(2);
  }
  std::vector<Row> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) {
      continue;
    }
    try {
      const nlohmann::json record = nlohmann::json::parse(line);
      Row row;
      row.split = record.at("split").get<std::string>();
      row.attack = record.at("label").get<std::string>() == "attack";
      row.type = record.at("type").get<std::string>();
      if (record.contains("conversation")) {
        for (const nlohmann::json& turn : record.at("conversation")) {
          row.messages.emplace_back(turn.at("role").get<std::string>(),
                                    turn.at("text").get<std::string>());
        }
      } else {
        row.messages.emplace_back(record.value("role", "user"),
                                  record.at("text").get<std::string>());
      }
      if (row.messages.empty()) {
        throw std::runtime_error("empty conversation");
      }
      rows.push_back(std::move(row));
    } catch (const std::exception& error) {
      std::fprintf(stderr, "%s: bad line: %s\n", path, error.what());
      std::exit(2);
    }
  }
  return rows;
}

void print_split(const std::string& name, const SplitFigures& figures, size_t show) {
  std::printf("\n== %s ==\n", name.c_str());
  std::printf("%-26s %8s %10s %10s %10s\n", "attack type", "messages", "recall", "recall-any",
              "precision");
  for (const auto& [type, t] : figures.types) {
    if (t.messages == 0) {
      continue;
    }
    std::printf("%-26s %8zu %9.1f%% %9.1f%% %9.1f%%\n", type.c_str(), t.messages,
                percent(t.by_type, t.messages), percent(t.by_any, t.messages),
                percent(t.predicted_correct, t.predicted));
  }
  std::printf("%-26s %8zu %21.1f%%\n", "all attacks (any finding)", figures.attacks,
              percent(figures.attacks_flagged, figures.attacks));
  std::printf("%-26s %8s %10s\n", "benign family", "messages", "flagged");
  for (const auto& [family, counts] : figures.benign) {
    std::printf("%-26s %8zu %9.1f%%\n", family.c_str(), counts.first,
                percent(counts.second, counts.first));
  }
  std::printf("%-26s %8zu %9.1f%%  (benign false-positive rate)\n", "all benign",
              figures.benign_messages, percent(figures.benign_flagged, figures.benign_messages));
  for (size_t i = 0; i < show && i < figures.misses.size(); ++i) {
    std::printf("  miss: %s\n", figures.misses[i].c_str());
  }
  for (size_t i = 0; i < show && i < figures.false_positives.size(); ++i) {
    std::printf("  false positive: %s\n", figures.false_positives[i].c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: convaudit_bench_detection CORPUS.jsonl [--show N] [--rules DIR]\n");
    return 2;
  }
  size_t show = 0;
  std::string rules_dir;  // --rules DIR: this pack instead of the built-in one (e.g. an older one)
  for (int i = 2; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--show") {
      show = static_cast<size_t>(std::strtoul(argv[i + 1], nullptr, 10));
    } else if (std::string(argv[i]) == "--rules") {
      rules_dir = argv[i + 1];
    }
  }
  const std::vector<Row> rows = read_corpus(argv[1]);

  std::vector<rulehost::RuleSourceFile> files = rulehost::builtin_rule_files();
  if (!rules_dir.empty()) {
    auto loaded = rulehost::load_rule_dir(rules_dir, 0);
    if (!loaded) {
      std::fprintf(stderr, "%s\n", format_error(loaded.error()).c_str());
      return 1;
    }
    files = std::move(*loaded);
  }
  auto rules = rulehost::RuleSet::load(files, rulehost::RuleLimits{});
  if (!rules) {
    std::fprintf(stderr, "%s\n", format_error(rules.error()).c_str());
    return 1;
  }
  auto runner = rulehost::RuleRunner::create(*rules);
  if (!runner) {
    std::fprintf(stderr, "%s\n", format_error(runner.error()).c_str());
    return 1;
  }
  auto detector = redaction::PiiDetector::create();
  if (!detector) {
    std::fprintf(stderr, "%s\n", format_error(detector.error()).c_str());
    return 1;
  }
  redaction::Pseudonymizer pseudonymizer(std::vector<uint8_t>(32, 7));
  redaction::Redactor redactor(*detector, pseudonymizer);
  NullSink sink;

  std::map<std::string, SplitFigures> splits;
  int64_t timestamp_ns = 1'780'000'000'000'000'000;
  size_t n = 0;
  for (const Row& row : rows) {
    core::Conversation conversation;
    conversation.session_id = "bench-" + std::to_string(n++);
    for (const auto& [role, text] : row.messages) {
      core::Message& message = conversation.messages.emplace_back();
      message.session_id = conversation.session_id;
      message.role = core::parse_role(role).value_or(core::Role::kUser);
      message.text = text;
      message.timestamp_ns = timestamp_ns += 1'000'000'000;
    }
    const std::string& text = row.messages.back().second;
    const rulehost::ConversationResult result =
        (*runner)->run(redactor.redact(std::move(conversation), sink));
    std::set<std::string> types;
    std::string rule_ids;
    std::string flagged_excerpt;  // of the first security finding
    for (const rulehost::Finding& finding : result.findings) {
      if (finding.category == "security") {
        types.insert(finding.type);
        rule_ids += " " + finding.rule_id;
        if (flagged_excerpt.empty()) {
          flagged_excerpt = finding.excerpt;
        }
      }
    }
    SplitFigures& split = splits[row.split];
    for (const std::string& type : types) {
      TypeFigures& t = split.types[type];
      ++t.predicted;
      t.predicted_correct += row.attack && row.type == type ? 1 : 0;
    }
    if (row.attack) {
      TypeFigures& t = split.types[row.type];
      ++t.messages;
      t.by_type += types.count(row.type);
      t.by_any += types.empty() ? 0 : 1;
      ++split.attacks;
      split.attacks_flagged += types.empty() ? 0 : 1;
      if (types.empty()) {
        split.misses.push_back(row.type + ": " + text.substr(0, 140));
      }
    } else {
      auto& counts = split.benign[row.type];
      ++counts.first;
      ++split.benign_messages;
      if (!types.empty()) {
        ++counts.second;
        ++split.benign_flagged;
        split.false_positives.push_back(row.type + ":" + rule_ids + ": " +
                                        flagged_excerpt.substr(0, 140));
      }
    }
  }
  std::printf("convaudit_bench_detection: %zu messages, %zu rules and signatures\n", rows.size(),
              (*rules)->rules().size());
  for (const char* name : {"train", "heldout", "probe", "probe5"}) {
    print_split(name, splits[name], show);
  }
  // What the pack's signatures cost per message: the whole set matched over every (unredacted)
  // message text, warm, best of 3; a set failure would show as fallbacks.
  const rulehost::SignatureIndex& index = (*rules)->signatures();
  size_t messages = 0;
  size_t bytes = 0;
  size_t hits = 0;
  double best_us = 0;
  for (int trial = 0; trial < 4; ++trial) {
    const auto start = std::chrono::steady_clock::now();
    messages = bytes = hits = 0;
    for (const Row& row : rows) {
      for (const auto& message : row.messages) {
        hits += index.match(message.second, core::Role::kUser).empty() ? 0 : 1;
        bytes += message.second.size();
        ++messages;
      }
    }
    const double us =
        std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
    if (trial > 0 && (best_us == 0 || us < best_us)) {
      best_us = us;  // trial 0 warms the DFA caches
    }
  }
  std::printf(
      "\nsignature set: %zu signatures, %zu patterns; %zu messages (%zu bytes), %.2f us/message "
      "(best of 3, warm), %zu with a hit, %llu set fallbacks\n",
      index.signatures().size(), index.pattern_count(), messages, bytes,
      messages ? best_us / static_cast<double>(messages) : 0.0, hits,
      static_cast<unsigned long long>(index.fallback_count()));
  return 0;
}
