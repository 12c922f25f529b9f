#pragma once
// Test fixtures for the rule host: rule files from raw strings, fast limits, a real Redactor,
// and readable dumps of what rules produced ("rule@msg1:high").

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/core/message.h"
#include "engine/rulehost/rule_output.h"
#include "engine/rulehost/rule_runner.h"
#include "engine/rulehost/rule_set.h"

#include "redaction/mapping_sink.h"
#include "redaction/pii_detector.h"
#include "redaction/pseudonymizer.h"
#include "redaction/redactor.h"
#include "tests/support/test_redactor.h"

namespace convaudit::rulehost::testing {

// Small budgets so hostile rules trip quickly.
inline RuleLimits fast_limits() {
  RuleLimits limits;
  limits.instructions_per_call = 500'000;
  limits.memory_bytes_per_state = 24ull << 20;
  limits.wall_ms_per_call = 10'000;
  limits.quarantine_after = 3;
  return limits;
}

inline RuleSourceFile rule_file(std::string name, std::string content, int pack_index = 0) {
  return RuleSourceFile{std::move(name), std::move(content), pack_index};
}

// A detector that reports every message as "canary".
inline RuleSourceFile canary_file() {
  return rule_file("canary.lua", R"(
rule {
  id = "test.canary", version = "1.0.0", category = "security", severity = "low",
  description = "fires on every message",
  on_message = function(msg, ctx) ctx:finding{ type = "canary" } end,
}
)");
}

inline std::shared_ptr<const RuleSet> load_rules(std::vector<RuleSourceFile> files,
                                                 const RuleLimits& limits = fast_limits()) {
  auto rules = RuleSet::load(std::move(files), limits);
  if (!rules) {
    FAIL(format_error(rules.error()));
  }
  return *rules;
}

using convaudit::testing::TestRedactor;

// "rule@msg1:high" per finding ("rule@conv:..." for whole-conversation findings), then
// "rule:score:name=value" and "rule:metric:name=value".
inline std::vector<std::string> describe(const ConversationResult& result) {
  std::vector<std::string> out;
  for (const Finding& f : result.findings) {
    out.push_back(
        f.rule_id + "@" +
        (f.message_index < 0 ? std::string("conv") : "msg" + std::to_string(f.message_index)) +
        ":" + std::string(severity_name(f.severity)));
  }
  for (const Score& s : result.scores) {
    out.push_back(s.rule_id + ":score:" + s.name + "=" + std::to_string(s.value));
  }
  for (const Metric& m : result.metrics) {
    out.push_back(m.rule_id + ":metric:" + m.name + "=" + std::to_string(m.value));
  }
  return out;
}

inline size_t count_rule(const ConversationResult& result, const std::string& rule_id) {
  size_t n = 0;
  for (const Finding& f : result.findings) {
    n += f.rule_id == rule_id ? 1 : 0;
  }
  return n;
}

inline const RuleCost* cost_of(const std::vector<RuleCost>& costs, const std::string& rule_id) {
  for (const RuleCost& cost : costs) {
    if (cost.rule_id == rule_id) {
      return &cost;
    }
  }
  return nullptr;
}

}  // namespace convaudit::rulehost::testing
