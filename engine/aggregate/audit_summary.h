#pragma once
// AuditSummary: everything a report states, computed from findings, scores, metrics and message
// metadata. Plain data; no floating point (counts, integer micro-units, or fixed decimals), so
// the report built from it is byte-identical for the same inputs.
//
// Units: money in micro-dollars (1 USD = 1'000'000), latency in ms, scores in tenths (0..100
// means 0.0..10.0).

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/core/severity.h"
#include "engine/rulehost/rule_error_log.h"
#include "engine/rulehost/rule_output.h"
#include "engine/rulehost/rule_runner.h"

namespace convaudit::aggregate {

inline constexpr std::size_t kReviewQueueLimit = 100;
inline constexpr std::size_t kSessionSampleLimit = 10;

// The conversations behind one figure, so a reader can trace it to findings: how many there
// are, and the first kSessionSampleLimit session ids in byte order (independent of the order
// conversations arrive in). Session ids only, never text.
struct SessionSample {
  uint64_t conversations = 0;
  std::vector<std::string> session_ids;  // ascending, distinct, at most kSessionSampleLimit

  // Counts one conversation; call at most once per conversation.
  void add(const std::string& session_id);
};

// A conversation's slowest reply, for the operations section's "slowest" list.
struct SlowConversation {
  std::string session_id;
  int64_t latency_ms = 0;
};

struct IncidentCounts {
  uint64_t total = 0;
  uint64_t blocked = 0;  // the message (or conversation) carried metadata attack_blocked=true
  uint64_t unblocked = 0;
  std::map<std::string, uint64_t> by_severity;  // "high" -> n
  SessionSample sessions;                       // conversations with such an incident
};

struct RiskyConversation {
  std::string session_id;
  int64_t risk = 0;  // sum of severity weights of its findings
  Severity max_severity = Severity::kInfo;
  uint64_t findings = 0;
  std::vector<std::string> rule_ids;  // sorted, distinct
};

struct QualitySummary {
  uint64_t scored_conversations = 0;
  std::vector<uint64_t> histogram = std::vector<uint64_t>(11, 0);  // index = floor(score), 0..10
  int64_t mean_tenths = 0;                                         // mean score x10, rounded
  std::map<std::string, uint64_t> issues;                          // quality finding type -> n
  std::map<std::string, SessionSample> issue_sessions;             // quality finding type -> ...
  std::vector<SessionSample> histogram_sessions = std::vector<SessionSample>(11);  // per bucket
};

struct BusinessSummary {
  uint64_t upsells = 0;
  int64_t upsell_revenue_micros = 0;
  uint64_t churn_prevented = 0;
  uint64_t churned = 0;
  int64_t revenue_at_risk_micros = 0;
  std::map<std::string, int64_t> metrics_micros;  // every metric rule: name -> sum x 1e6
  // "upsell", "churn_prevented", "churn" and every other business finding type -> ...
  std::map<std::string, SessionSample> outcome_sessions;
  std::map<std::string, SessionSample> metric_sessions;  // metric name -> non-zero values
};

struct OperationsSlice {
  uint64_t messages = 0;
  uint64_t assistant_messages = 0;
  uint64_t errors = 0;  // messages with metadata error / status=error
  int64_t latency_p50_ms = 0;
  int64_t latency_p95_ms = 0;
  int64_t latency_p99_ms = 0;
  int64_t tokens = 0;
  int64_t cost_micros = 0;
  SessionSample error_sessions;  // conversations with at least one error message
};

struct DataQuality {
  uint64_t records_read = 0;
  uint64_t messages_accepted = 0;
  uint64_t rejected = 0;
  std::map<std::string, uint64_t> rejects_by_code;  // error code name -> n
  uint64_t duplicates_dropped = 0;
  uint64_t excluded_by_period = 0;
};

// One ISO week (by each conversation's first message): how the period developed.
struct WeeklyTrend {
  std::string week;  // "2026-W31"
  int64_t week_start_ns = 0;
  uint64_t conversations = 0;
  uint64_t messages = 0;
  uint64_t findings = 0;
  uint64_t incidents = 0;  // security findings
  uint64_t flagged_conversations = 0;
  uint64_t scored_conversations = 0;
  int64_t quality_mean_tenths = 0;
};

// A flagged conversation for a human to triage. Session ids and rule ids only, never text.
struct ReviewItem {
  std::string session_id;
  Severity max_severity = Severity::kInfo;
  int64_t risk = 0;
  uint64_t findings = 0;
  std::vector<std::string> types;  // "category/type" of its findings, sorted, distinct
  int64_t first_message_ns = 0;
  bool blocked = false;  // every security finding in it was blocked
};

struct AuditSummary {
  uint64_t conversations = 0;
  uint64_t messages = 0;
  uint64_t flagged_conversations = 0;  // with at least one finding of severity >= low
  std::map<std::string, uint64_t> findings_by_severity;
  std::map<std::string, uint64_t> findings_by_category;
  std::map<std::string, IncidentCounts> incidents_by_type;  // security findings only
  IncidentCounts incidents;                                 // all security findings
  std::vector<RiskyConversation> riskiest;                  // top 10 by risk, then session id
  // Flagged conversations by max severity desc, risk desc, session id asc; at most
  // kReviewQueueLimit (the report says how many were flagged in all).
  std::vector<ReviewItem> review_queue;
  std::vector<WeeklyTrend> weekly;  // ascending by week
  QualitySummary quality;
  BusinessSummary business;
  OperationsSlice operations;  // all messages
  std::map<std::string, OperationsSlice> by_model;
  std::map<std::string, OperationsSlice> by_prompt_version;
  std::map<std::string, OperationsSlice> by_channel;
  // Operations findings (category "operations": high_latency, error, outliers) by type -> ...
  std::map<std::string, SessionSample> operations_finding_sessions;
  // Top kSessionSampleLimit conversations by their slowest reply, slowest first, then id.
  std::vector<SlowConversation> slowest;
  std::vector<rulehost::RuleFailure> rule_errors;
  std::vector<rulehost::RuleCost> rule_costs;
  DataQuality data_quality;
  int64_t first_message_ns = 0;
  int64_t last_message_ns = 0;
  Severity highest_severity = Severity::kInfo;  // over all findings (kInfo when none)
  uint64_t total_findings = 0;
};

}  // namespace convaudit::aggregate
