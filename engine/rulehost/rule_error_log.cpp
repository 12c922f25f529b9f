#include "engine/rulehost/rule_error_log.h"

namespace convaudit::rulehost {

void RuleErrorLog::add(const std::string& rule_id, ErrorCode kind, const SourceLocation& where,
                       const std::string& message) {
  auto [it, inserted] = failures_.try_emplace({rule_id, kind});
  RuleFailure& failure = it->second;
  if (inserted) {
    failure.rule_id = rule_id;
    failure.kind = kind;
    failure.where = where;
    failure.message = message;
  }
  ++failure.count;
}

void RuleErrorLog::merge(const RuleErrorLog& other) {
  for (const auto& [key, theirs] : other.failures_) {
    auto [it, inserted] = failures_.try_emplace(key, theirs);
    if (!inserted) {
      it->second.count += theirs.count;
    }
  }
}

std::vector<RuleFailure> RuleErrorLog::failures() const {
  std::vector<RuleFailure> out;
  out.reserve(failures_.size());
  for (const auto& entry : failures_) {
    out.push_back(entry.second);
  }
  return out;
}

uint64_t RuleErrorLog::count(const std::string& rule_id) const {
  uint64_t total = 0;
  for (auto it = failures_.lower_bound({rule_id, ErrorCode::kOk});
       it != failures_.end() && it->first.first == rule_id; ++it) {
    total += it->second.count;
  }
  return total;
}

}  // namespace convaudit::rulehost
