#pragma once
// Aggregator: folds conversations and their rule results into an AuditSummary.
// Not thread-safe: feed it from one thread, in a deterministic order (by session id), so the
// summary does not depend on the thread count.
//
// Metadata read (per message, all optional): model, prompt_version, channel (slices);
// latency_ms; tokens or usage.total_tokens; cost_usd; error / status == "error";
// attack_blocked (bool). Findings whose category is "security" are incidents; a finding is
// "blocked" when its message (or, for conversation findings, any message) has attack_blocked.
// Scores named "quality" feed the quality distribution; findings in category "quality" are
// quality issues by type. Business: findings/metrics of category "business" with types
// "upsell", "churn_prevented", "churn"; metric "revenue_usd" adds to upsell revenue,
// "revenue_at_risk_usd" to revenue at risk.

#include <cstdint>
#include <vector>

#include "engine/aggregate/audit_summary.h"
#include "engine/core/message.h"
#include "engine/rulehost/rule_output.h"

namespace convaudit::aggregate {

class Aggregator {
 public:
  void add(const core::Conversation& conversation, const rulehost::ConversationResult& result);
  // Completes percentiles, means and rankings. rule_errors, rule_costs and data_quality are
  // filled by the caller (they come from the runners and ingest).
  AuditSummary finish();

 private:
  AuditSummary summary_;
  std::vector<int64_t> latencies_ms_;
  std::map<std::string, std::vector<int64_t>> latencies_by_model_;
  std::map<std::string, std::vector<int64_t>> latencies_by_prompt_version_;
  std::map<std::string, std::vector<int64_t>> latencies_by_channel_;
  int64_t quality_sum_tenths_ = 0;
};

}  // namespace convaudit::aggregate
