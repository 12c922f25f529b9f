#pragma once
// RuleErrorLog: the one funnel for rule failures. Each (rule, kind) is kept once with its first
// message and location; later ones are only counted (Suricata style).

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/error.h"

namespace convaudit::rulehost {

struct RuleFailure {
  std::string rule_id;
  ErrorCode kind = ErrorCode::kRuleRuntime;  // kRuleRuntime | kRuleCpuBudget | kRuleMemoryBudget
                                             // | kRuleBlockedCall
  SourceLocation where;                      // rule file and line
  std::string message;                       // the first occurrence
  uint64_t count = 0;
};

class RuleErrorLog {
 public:
  void add(const std::string& rule_id, ErrorCode kind, const SourceLocation& where,
           const std::string& message);
  // Merges another log (e.g. from another worker) into this one.
  void merge(const RuleErrorLog& other);
  std::vector<RuleFailure> failures() const;  // sorted by rule id, then kind
  uint64_t count(const std::string& rule_id) const;

 private:
  std::map<std::pair<std::string, ErrorCode>, RuleFailure> failures_;
};

}  // namespace convaudit::rulehost
