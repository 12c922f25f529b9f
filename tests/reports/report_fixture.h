#pragma once
// A hand-filled AuditSummary and Provenance with distinct, recognisable figures, shared by the
// report builder and renderer tests.

#include <cstdint>
#include <string>

#include "engine/aggregate/audit_summary.h"
#include "engine/core/error.h"
#include "engine/core/severity.h"

#include "reports/provenance.h"

namespace convaudit::testing {

inline aggregate::AuditSummary sample_summary() {
  aggregate::AuditSummary s;
  s.conversations = 42;
  s.messages = 317;
  s.flagged_conversations = 9;
  s.total_findings = 23;
  s.findings_by_severity = {{"high", 4}, {"medium", 7}, {"low", 12}};
  s.findings_by_category = {{"security", 11}, {"quality", 12}};
  s.highest_severity = Severity::kHigh;
  s.first_message_ns = 1'782'864'000'000'000'000;  // 2026-07-01T00:00:00Z
  s.last_message_ns = 1'790'812'799'000'000'000;   // 2026-09-30T23:59:59Z
  s.incidents.total = 11;
  s.incidents.blocked = 8;
  s.incidents.unblocked = 3;
  s.incidents.by_severity = {{"high", 4}, {"medium", 7}};
  aggregate::IncidentCounts injection;
  injection.total = 6;
  injection.blocked = 5;
  injection.unblocked = 1;
  injection.by_severity = {{"high", 4}, {"medium", 2}};
  injection.sessions = {4, {"sess-a", "sess-b"}};  // 4 conversations, the first 2 listed
  s.incidents_by_type["prompt_injection"] = injection;
  aggregate::RiskyConversation risky;
  risky.session_id = "sess-risky-0001";
  risky.risk = 31;
  risky.max_severity = Severity::kHigh;
  risky.findings = 5;
  risky.rule_ids = {"security.jailbreak", "security.prompt_injection.ignore_previous"};
  s.riskiest.push_back(risky);
  s.quality.scored_conversations = 40;
  s.quality.histogram = {0, 0, 1, 0, 2, 3, 5, 9, 11, 6, 3};
  s.quality.mean_tenths = 74;
  s.quality.issues = {{"too_brief", 5}, {"unhelpful", 2}};
  s.quality.issue_sessions["too_brief"] = {3, {"sess-brief-1", "sess-brief-2", "sess-brief-3"}};
  s.quality.issue_sessions["unhelpful"] = {2, {"sess-unhelpful-1", "sess-unhelpful-2"}};
  s.quality.histogram_sessions[2] = {1, {"sess-low-2"}};
  s.business.upsells = 3;
  s.business.upsell_revenue_micros = 149'970'000;  // 149.97
  s.business.churn_prevented = 2;
  s.business.churned = 1;
  s.business.revenue_at_risk_micros = 1'200'500'000;  // 1200.5
  s.business.metrics_micros = {{"revenue_usd", 149'970'000}, {"refund_usd", -19'990'000}};
  s.business.outcome_sessions["upsell"] = {3, {"sess-upsell-1", "sess-upsell-2", "sess-upsell-3"}};
  s.business.metric_sessions["revenue_usd"] = {3, {"sess-upsell-1"}};
  s.operations.messages = 317;
  s.operations.assistant_messages = 150;
  s.operations.errors = 4;
  s.operations.latency_p50_ms = 812;
  s.operations.latency_p95_ms = 2'950;
  s.operations.tokens = 88'123;
  s.operations.cost_micros = 4'321'000;  // 4.321
  s.operations.error_sessions = {3, {"sess-err-1", "sess-err-2", "sess-err-3"}};
  s.operations_finding_sessions["high_latency"] = {1, {"sess-slow-1"}};
  s.slowest = {{"sess-slow-1", 41'000}, {"sess-err-2", 9'000}};
  aggregate::OperationsSlice model = s.operations;
  model.messages = 100;
  model.cost_micros = 1'000'001;
  s.by_model["gpt-4o"] = model;
  s.by_prompt_version["v7"] = s.operations;
  s.by_channel["web"] = s.operations;
  rulehost::RuleFailure failure;
  failure.rule_id = "hostile.endless_loop";
  failure.kind = ErrorCode::kRuleCpuBudget;
  failure.where = SourceLocation{"rules/hostile/loop.lua", 12};
  failure.message = "instruction budget exceeded";
  failure.count = 17;
  s.rule_errors.push_back(failure);
  rulehost::RuleCost cost;
  cost.rule_id = "security.prompt_injection.ignore_previous";
  cost.calls = 317;
  cost.matches = 6;
  cost.cpu_ns = 987'654'321;
  s.rule_costs.push_back(cost);
  rulehost::RuleCost tripped;
  tripped.rule_id = "hostile.endless_loop";
  tripped.calls = 3;
  tripped.cpu_ns = 2'500'000;
  tripped.budget_trips = 3;
  tripped.quarantined = true;
  s.rule_costs.push_back(tripped);
  s.data_quality.records_read = 330;
  s.data_quality.messages_accepted = 317;
  s.data_quality.rejected = 8;
  s.data_quality.rejects_by_code = {{"ingest.malformed_json", 5}, {"ingest.bad_timestamp", 3}};
  s.data_quality.duplicates_dropped = 2;
  s.data_quality.excluded_by_period = 3;
  return s;
}

inline reports::Provenance sample_provenance() {
  reports::Provenance p;
  p.engine_version = "0.9.1";
  p.inputs.push_back({"logs/q3.jsonl", std::string(64, 'a'), 123'456});
  p.inputs.push_back({"logs/q3-extra.jsonl.gz", std::string(64, 'b'), 789});
  p.rule_files.push_back({"builtin/security/prompt_injection.lua", std::string(64, 'c')});
  p.rules.push_back({"security.prompt_injection.ignore_previous", "1.2.0", "detector",
                     "builtin/security/prompt_injection.lua"});
  p.rules.push_back({"hostile.endless_loop", "0.1.0", "detector", "rules/hostile/loop.lua"});
  p.parameters = {{"format", "auto"}, {"period", "2026-Q3"}, {"rule_packs", "builtin"}};
  p.signing_key_id = "sig-key-7f3a";
  p.pseudonym_key_id = "pseu-key-11b2";
  p.vault_key_id = "vault-key-93cc";
  p.demo_keys = false;
  return p;
}

}  // namespace convaudit::testing
