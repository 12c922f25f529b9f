#include "reports/report_builder.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "engine/core/error.h"
#include "engine/core/severity.h"
#include "engine/core/timestamp.h"

namespace convaudit::reports {
namespace {

using nlohmann::json;

constexpr std::array<Severity, 5> kSeverities = {Severity::kInfo, Severity::kLow, Severity::kMedium,
                                                 Severity::kHigh, Severity::kCritical};

// |value| as unsigned, defined for INT64_MIN too.
uint64_t magnitude(int64_t value) {
  return value < 0 ? uint64_t{0} - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
}

// Every severity name with 0, then the counts given (a name outside the five is kept as is).
json severity_counts(const std::map<std::string, uint64_t>& counts) {
  json out = json::object();
  for (Severity s : kSeverities) {
    out[std::string(severity_name(s))] = uint64_t{0};
  }
  for (const auto& [name, n] : counts) {
    out[name] = n;
  }
  return out;
}

json count_map(const std::map<std::string, uint64_t>& counts) {
  json out = json::object();
  for (const auto& [name, n] : counts) {
    out[name] = n;
  }
  return out;
}

// The conversations behind a figure: {"conversations": n, "session_ids": [first ids]}.
json sample_of(const aggregate::SessionSample& sample) {
  return json{{"conversations", sample.conversations}, {"session_ids", sample.session_ids}};
}

json sample_map(const std::map<std::string, aggregate::SessionSample>& samples) {
  json out = json::object();
  for (const auto& [name, sample] : samples) {
    out[name] = sample_of(sample);
  }
  return out;
}

json incident_counts(const aggregate::IncidentCounts& counts, bool all_severities) {
  json out{{"total", counts.total},
           {"blocked", counts.blocked},
           {"unblocked", counts.unblocked},
           {"by_severity",
            all_severities ? severity_counts(counts.by_severity) : count_map(counts.by_severity)}};
  if (!all_severities) {  // per type; the overall figure traces through `riskiest`
    out["sessions"] = sample_of(counts.sessions);
  }
  return out;
}

json period_of(const aggregate::AuditSummary& summary) {
  if (summary.messages == 0) {
    return json{{"first_message", nullptr}, {"last_message", nullptr}};
  }
  return json{{"first_message", core::format_timestamp(summary.first_message_ns)},
              {"last_message", core::format_timestamp(summary.last_message_ns)}};
}

json summary_section(const aggregate::AuditSummary& summary) {
  return json{{"conversations", summary.conversations},
              {"messages", summary.messages},
              {"flagged_conversations", summary.flagged_conversations},
              {"total_findings", summary.total_findings},
              {"findings_by_severity", severity_counts(summary.findings_by_severity)},
              {"findings_by_category", count_map(summary.findings_by_category)},
              {"highest_severity", std::string(severity_name(summary.highest_severity))},
              {"period", period_of(summary)}};
}

json security_section(const aggregate::AuditSummary& summary) {
  json by_type = json::object();
  for (const auto& [type, counts] : summary.incidents_by_type) {
    by_type[type] = incident_counts(counts, false);
  }
  json riskiest = json::array();
  for (const aggregate::RiskyConversation& c : summary.riskiest) {
    riskiest.push_back(json{{"session_id", c.session_id},
                            {"risk", c.risk},
                            {"max_severity", std::string(severity_name(c.max_severity))},
                            {"findings", c.findings},
                            {"rule_ids", c.rule_ids}});
  }
  return json{{"incidents", incident_counts(summary.incidents, true)},
              {"by_type", std::move(by_type)},
              {"riskiest", std::move(riskiest)}};
}

json quality_section(const aggregate::QualitySummary& quality) {
  json histogram = json::array();
  for (uint64_t n : quality.histogram) {
    histogram.push_back(n);
  }
  json histogram_sessions = json::array();
  for (const aggregate::SessionSample& sample : quality.histogram_sessions) {
    histogram_sessions.push_back(sample_of(sample));
  }
  return json{{"scored_conversations", quality.scored_conversations},
              {"histogram", std::move(histogram)},
              {"histogram_sessions", std::move(histogram_sessions)},
              {"mean", tenths_to_decimal(quality.mean_tenths)},
              {"issues", count_map(quality.issues)},
              {"issue_sessions", sample_map(quality.issue_sessions)}};
}

json business_section(const aggregate::BusinessSummary& business) {
  json metrics = json::object();
  for (const auto& [name, micros] : business.metrics_micros) {
    metrics[name] = micros_to_decimal(micros);
  }
  return json{{"upsells", business.upsells},
              {"upsell_revenue_usd", micros_to_decimal(business.upsell_revenue_micros)},
              {"churn_prevented", business.churn_prevented},
              {"churned", business.churned},
              {"revenue_at_risk_usd", micros_to_decimal(business.revenue_at_risk_micros)},
              {"metrics", std::move(metrics)},
              {"outcome_sessions", sample_map(business.outcome_sessions)},
              {"metric_sessions", sample_map(business.metric_sessions)}};
}

// Errors per 100 assistant messages (every message when the slice has no assistant message),
// two decimals, rounded half up: "1.25". Integer arithmetic only.
std::string error_rate_percent(const aggregate::OperationsSlice& slice) {
  const uint64_t base = slice.assistant_messages > 0 ? slice.assistant_messages : slice.messages;
  if (base == 0) {
    return "0.00";
  }
  const uint64_t hundredths = (slice.errors * 20'000 / base + 1) / 2;  // errors * 10000 / base
  std::string fraction = std::to_string(hundredths % 100);
  return std::to_string(hundredths / 100) + "." + (fraction.size() == 1 ? "0" : "") + fraction;
}

json slice_of(const aggregate::OperationsSlice& slice) {
  return json{{"messages", slice.messages},
              {"assistant_messages", slice.assistant_messages},
              {"errors", slice.errors},
              {"error_rate_percent", error_rate_percent(slice)},
              {"latency_p50_ms", slice.latency_p50_ms},
              {"latency_p95_ms", slice.latency_p95_ms},
              {"latency_p99_ms", slice.latency_p99_ms},
              {"tokens", slice.tokens},
              {"cost_usd", micros_to_decimal(slice.cost_micros)},
              {"error_sessions", sample_of(slice.error_sessions)}};
}

json slices_of(const std::map<std::string, aggregate::OperationsSlice>& slices) {
  json out = json::object();
  for (const auto& [key, slice] : slices) {
    out[key] = slice_of(slice);
  }
  return out;
}

json operations_section(const aggregate::AuditSummary& summary) {
  json slowest = json::array();
  for (const aggregate::SlowConversation& c : summary.slowest) {
    slowest.push_back(json{{"session_id", c.session_id}, {"latency_ms", c.latency_ms}});
  }
  return json{{"all", slice_of(summary.operations)},
              {"by_model", slices_of(summary.by_model)},
              {"by_prompt_version", slices_of(summary.by_prompt_version)},
              {"by_channel", slices_of(summary.by_channel)},
              {"finding_sessions", sample_map(summary.operations_finding_sessions)},
              {"slowest", std::move(slowest)}};
}

// Per-rule errors and cost, sorted so the order they were merged in never shows. CPU time is
// left out on purpose: it differs between runs and report.json must not.
json rules_section(const aggregate::AuditSummary& summary) {
  std::vector<const rulehost::RuleFailure*> failures;
  for (const rulehost::RuleFailure& f : summary.rule_errors) {
    failures.push_back(&f);
  }
  auto key = [](const rulehost::RuleFailure* f) {
    return std::make_tuple(std::string_view(f->rule_id), error_code_name(f->kind),
                           std::string_view(f->where.file), f->where.line,
                           std::string_view(f->message));
  };
  std::sort(failures.begin(), failures.end(),
            [&key](const auto* a, const auto* b) { return key(a) < key(b); });
  json errors = json::array();
  for (const rulehost::RuleFailure* f : failures) {
    errors.push_back(json{{"rule_id", f->rule_id},
                          {"kind", std::string(error_code_name(f->kind))},
                          {"file", f->where.file},
                          {"line", f->where.line},
                          {"message", f->message},
                          {"count", f->count}});
  }
  std::vector<const rulehost::RuleCost*> costs;
  for (const rulehost::RuleCost& c : summary.rule_costs) {
    costs.push_back(&c);
  }
  std::stable_sort(costs.begin(), costs.end(),
                   [](const auto* a, const auto* b) { return a->rule_id < b->rule_id; });
  json cost = json::array();
  for (const rulehost::RuleCost* c : costs) {
    cost.push_back(json{{"rule_id", c->rule_id},
                        {"calls", c->calls},
                        {"matches", c->matches},
                        {"budget_trips", c->budget_trips},
                        {"quarantined", c->quarantined}});
  }
  return json{{"errors", std::move(errors)}, {"cost", std::move(cost)}};
}

json data_quality_section(const aggregate::DataQuality& dq) {
  return json{{"records_read", dq.records_read},
              {"messages_accepted", dq.messages_accepted},
              {"rejected", dq.rejected},
              {"rejects_by_reason", count_map(dq.rejects_by_code)},
              {"duplicates_dropped", dq.duplicates_dropped},
              {"excluded_by_period", dq.excluded_by_period}};
}

json provenance_section(const Provenance& p) {
  json inputs = json::array();
  for (const InputFileRecord& input : p.inputs) {
    inputs.push_back(
        json{{"path", input.path}, {"sha256", input.sha256_hex}, {"size_bytes", input.size_bytes}});
  }
  json rule_files = json::array();
  for (const RuleFileRecord& file : p.rule_files) {
    rule_files.push_back(json{{"name", file.name}, {"sha256", file.sha256_hex}});
  }
  std::vector<const RuleRecord*> rules;
  for (const RuleRecord& rule : p.rules) {
    rules.push_back(&rule);
  }
  std::stable_sort(rules.begin(), rules.end(),
                   [](const auto* a, const auto* b) { return a->id < b->id; });
  json rule_list = json::array();
  for (const RuleRecord* rule : rules) {
    rule_list.push_back(json{
        {"id", rule->id}, {"version", rule->version}, {"kind", rule->kind}, {"file", rule->file}});
  }
  json parameters = json::object();
  for (const auto& [key, value] : p.parameters) {
    parameters[key] = value;
  }
  json out{{"engine_version", p.engine_version},
           {"inputs", std::move(inputs)},
           {"rule_files", std::move(rule_files)},
           {"rules", std::move(rule_list)},
           {"parameters", std::move(parameters)},
           {"signing_key_id", p.signing_key_id},
           {"pseudonym_key_id", p.pseudonym_key_id},
           {"vault_key_id", p.vault_key_id},
           {"demo_keys", p.demo_keys}};
  if (p.previous_report_sha256) {
    out["previous_report_sha256"] = *p.previous_report_sha256;
  }
  return out;
}

json trends_section(const aggregate::AuditSummary& summary) {
  json weekly = json::array();
  for (const aggregate::WeeklyTrend& week : summary.weekly) {
    weekly.push_back(json{{"week", week.week},
                          {"week_start", core::format_timestamp(week.week_start_ns)},
                          {"conversations", week.conversations},
                          {"messages", week.messages},
                          {"findings", week.findings},
                          {"incidents", week.incidents},
                          {"flagged_conversations", week.flagged_conversations},
                          {"scored_conversations", week.scored_conversations},
                          {"quality_mean", tenths_to_decimal(week.quality_mean_tenths)}});
  }
  return json{{"weekly", std::move(weekly)}};
}

json review_queue_section(const aggregate::AuditSummary& summary) {
  json sessions = json::array();
  for (const aggregate::ReviewItem& item : summary.review_queue) {
    sessions.push_back(json{{"session_id", item.session_id},
                            {"max_severity", std::string(severity_name(item.max_severity))},
                            {"risk", item.risk},
                            {"findings", item.findings},
                            {"types", item.types},
                            {"first_message", core::format_timestamp(item.first_message_ns)},
                            {"blocked", item.blocked}});
  }
  return json{{"flagged_total", summary.flagged_conversations},
              {"limit", aggregate::kReviewQueueLimit},
              {"sessions", std::move(sessions)}};
}

}  // namespace

json build_report(const aggregate::AuditSummary& summary, const Provenance& provenance) {
  return json{{"schema", "convaudit.report/v1"},
              {"summary", summary_section(summary)},
              {"security", security_section(summary)},
              {"quality", quality_section(summary.quality)},
              {"business", business_section(summary.business)},
              {"operations", operations_section(summary)},
              {"trends", trends_section(summary)},
              {"review_queue", review_queue_section(summary)},
              {"rules", rules_section(summary)},
              {"data_quality", data_quality_section(summary.data_quality)},
              {"provenance", provenance_section(provenance)}};
}

std::string canonical_json(const json& document) {
  // nlohmann::json keeps object keys in a std::map, so dump() writes them sorted byte-wise;
  // indent -1 means no whitespace. Invalid UTF-8 in a string becomes U+FFFD instead of
  // throwing, so the output is always valid UTF-8.
  return document.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string tenths_to_decimal(int64_t tenths) {
  uint64_t abs = magnitude(tenths);
  std::string out = tenths < 0 ? "-" : "";
  out += std::to_string(abs / 10);
  out += '.';
  out += static_cast<char>('0' + abs % 10);
  return out;
}

std::string micros_to_decimal(int64_t micros) {
  uint64_t abs = magnitude(micros);
  std::string out = micros < 0 ? "-" : "";
  out += std::to_string(abs / 1'000'000);
  uint64_t fraction = abs % 1'000'000;
  if (fraction != 0) {
    std::string digits = std::to_string(fraction);
    digits.insert(0, 6 - digits.size(), '0');
    digits.erase(digits.find_last_not_of('0') + 1);
    out += '.';
    out += digits;
  }
  return out;
}

}  // namespace convaudit::reports
