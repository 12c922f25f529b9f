#pragma once
// Aggregator: folds conversations and their rule results into an AuditSummary.
// Not thread-safe: feed it from one thread, in a deterministic order (by session id), so the
// summary does not depend on the thread count. Same conversations in the same order give an
// equal summary; nothing in it depends on floating-point accumulation order.
//
//   Aggregator aggregator;
//   for (...) aggregator.add(conversation, result);
//   AuditSummary summary = aggregator.finish();  // may be called again after more add()s
//
// Metadata read (per message, all optional):
//   model, prompt_version, channel   slice keys; strings as-is, numbers/bools as JSON text,
//                                    missing, null or "" -> "(none)"
//   latency_ms                       integer, float (rounded) or numeric string; < 0 ignored
//   tokens | usage.total_tokens | usage.prompt_tokens + usage.completion_tokens
//   cost_usd                         number or numeric string, rounded to micro-dollars
//   error (truthy) | status == "error"   counts the message as an error. Truthy: true, a
//                                    non-zero number, a non-empty string other than "false"
//                                    and "0", a non-empty object or array.
//   attack_blocked                   true or "true"
// Findings:
//   every finding counts in findings_by_severity / findings_by_category / total_findings /
//   highest_severity and in its conversation's risk (weights info 0, low 1, medium 3, high 7,
//   critical 15). A conversation is flagged when it has a finding of severity >= low.
//   riskiest lists conversations with risk > 0 only: top 10 by risk desc, then session id asc.
//   category "security" findings are incidents (also by type). One is blocked when its message
//   has attack_blocked; a conversation-level finding (message_index -1, or an index outside
//   the conversation) is blocked when any message of the conversation has it.
//   category "quality" findings are quality issues counted by type.
//   category "business" findings of type "upsell", "churn_prevented", "churn" are counted.
// Scores: those named "quality" feed the distribution. A conversation counts once: several
//   quality scores are averaged; the score is clamped to 0..10; non-finite scores are ignored.
//   histogram index = floor(score); mean_tenths = rounded mean of the per-conversation
//   round(score x 10).
// Metrics: every finite metric adds round(value x 1e6) to metrics_micros[name]; "revenue_usd"
//   also to upsell_revenue_micros, "revenue_at_risk_usd" to revenue_at_risk_micros. Sums
//   saturate at the int64 range instead of overflowing.
// Latency percentiles are nearest-rank (p50, p95, p99) over the messages that carry latency_ms,
//   kept as counts per distinct millisecond value (exact, and bounded by the value range
//   rather than by the number of messages).
// Weekly trends: each conversation counts in the ISO week of its first message.
// Review queue: flagged conversations, highest max severity first, then risk, then session id.
// Session samples (every figure traces to its conversations): each incident type, quality issue
//   type, histogram bucket, business finding type, non-zero metric, operations finding type and
//   slice's errors keeps a SessionSample (count + first ids in byte order); `slowest` lists the
//   conversations with the slowest single reply.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/aggregate/audit_summary.h"
#include "engine/core/message.h"
#include "engine/rulehost/rule_output.h"

namespace convaudit::aggregate {

class Aggregator {
 public:
  Aggregator() = default;
  // Not copyable: the slice books point into summary_.
  Aggregator(const Aggregator&) = delete;
  Aggregator& operator=(const Aggregator&) = delete;

  void add(const core::Conversation& conversation, const rulehost::ConversationResult& result);
  // Completes percentiles, means and rankings. rule_errors, rule_costs and data_quality are
  // filled by the caller (they come from the runners and ingest). Does not consume the state:
  // calling it again returns the summary of everything added so far.
  AuditSummary finish();

 private:
  void add_findings(const core::Conversation& conversation,
                    const std::vector<rulehost::Finding>& findings);
  // What one conversation's messages say for the operations samples.
  struct ConversationOperations {
    std::set<OperationsSlice*> error_slices;  // slices in which it has an error message
    int64_t max_latency_ms = -1;
  };
  // Returns the conversation's quality score in tenths, or -1 when it has none.
  int64_t add_quality_scores(const std::string& session_id,
                             const std::vector<rulehost::Score>& scores);
  void add_metrics(const std::string& session_id, const std::vector<rulehost::Metric>& metrics);
  void add_message(const core::Message& message, ConversationOperations& conversation);
  void add_slow(const std::string& session_id, int64_t latency_ms);

  AuditSummary summary_;
  bool has_timestamps_ = false;
  // Hashed, not ordered, per message: finish() sorts them once.
  using LatencyCounts = std::unordered_map<int64_t, uint64_t>;  // latency ms -> messages
  // One model, prompt version or channel: its slice in summary_ and its latencies, found with
  // one hash lookup per message.
  struct SliceBooks {
    OperationsSlice* slice = nullptr;
    LatencyCounts latencies_ms;
  };
  using SliceIndex = std::unordered_map<std::string, SliceBooks>;
  static SliceBooks& books_of(std::map<std::string, OperationsSlice>& slices, SliceIndex& index,
                              const std::string& key);
  struct WeekState {
    WeeklyTrend trend;
    int64_t quality_sum_tenths = 0;
  };
  LatencyCounts latencies_ms_;
  SliceIndex models_;
  SliceIndex prompt_versions_;
  SliceIndex channels_;
  std::map<int64_t, WeekState> weeks_;  // by week start
  int64_t quality_sum_tenths_ = 0;
};

}  // namespace convaudit::aggregate
