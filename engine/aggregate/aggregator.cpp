#include "engine/aggregate/aggregator.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <set>
#include <utility>

#include "engine/aggregate/internal/fixed_point.h"
#include "engine/aggregate/internal/message_metadata.h"

namespace convaudit::aggregate {
namespace {

using internal::saturating_add;

constexpr std::size_t kRiskiestLimit = 10;

int64_t severity_weight(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return 0;
    case Severity::kLow:
      return 1;
    case Severity::kMedium:
      return 3;
    case Severity::kHigh:
      return 7;
    case Severity::kCritical:
      return 15;
  }
  return 0;
}

// Nearest rank: the smallest value with at least p percent of the sample at or below it.
int64_t nearest_rank(const std::vector<int64_t>& sorted, uint64_t percent) {
  if (sorted.empty()) {
    return 0;
  }
  uint64_t rank = (percent * sorted.size() + 99) / 100;
  rank = std::clamp<uint64_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

void fill_latency(OperationsSlice& slice, std::vector<int64_t> latencies_ms) {
  std::sort(latencies_ms.begin(), latencies_ms.end());
  slice.latency_p50_ms = nearest_rank(latencies_ms, 50);
  slice.latency_p95_ms = nearest_rank(latencies_ms, 95);
}

void fill_latencies(std::map<std::string, OperationsSlice>& slices,
                    const std::map<std::string, std::vector<int64_t>>& latencies_ms) {
  for (const auto& [key, values] : latencies_ms) {
    fill_latency(slices[key], values);
  }
}

void count_incident(IncidentCounts& counts, Severity severity, bool blocked) {
  ++counts.total;
  ++(blocked ? counts.blocked : counts.unblocked);
  ++counts.by_severity[std::string(severity_name(severity))];
}

bool riskier(const RiskyConversation& a, const RiskyConversation& b) {
  if (a.risk != b.risk) {
    return a.risk > b.risk;
  }
  return a.session_id < b.session_id;
}

}  // namespace

void Aggregator::add(const core::Conversation& conversation,
                     const rulehost::ConversationResult& result) {
  ++summary_.conversations;
  for (const core::Message& message : conversation.messages) {
    add_message(message);
  }
  add_findings(conversation, result.findings);
  add_quality_scores(result.scores);
  add_metrics(result.metrics);
}

void Aggregator::add_findings(const core::Conversation& conversation,
                              const std::vector<rulehost::Finding>& findings) {
  bool any_message_blocked = std::any_of(
      conversation.messages.begin(), conversation.messages.end(),
      [](const core::Message& message) { return internal::is_attack_blocked(message.metadata); });
  RiskyConversation risky;
  risky.session_id = conversation.session_id;
  std::set<std::string> rule_ids;
  bool flagged = false;

  for (const rulehost::Finding& finding : findings) {
    std::string severity(severity_name(finding.severity));
    ++summary_.total_findings;
    ++summary_.findings_by_severity[severity];
    ++summary_.findings_by_category[finding.category];
    summary_.highest_severity = std::max(summary_.highest_severity, finding.severity);
    flagged = flagged || finding.severity >= Severity::kLow;

    risky.risk = saturating_add(risky.risk, severity_weight(finding.severity));
    risky.max_severity = std::max(risky.max_severity, finding.severity);
    ++risky.findings;
    rule_ids.insert(finding.rule_id);

    if (finding.category == "security") {
      bool on_message = finding.message_index >= 0 &&
                        static_cast<uint64_t>(finding.message_index) < conversation.messages.size();
      bool blocked =
          on_message
              ? internal::is_attack_blocked(
                    conversation.messages[static_cast<std::size_t>(finding.message_index)].metadata)
              : any_message_blocked;
      count_incident(summary_.incidents, finding.severity, blocked);
      count_incident(summary_.incidents_by_type[finding.type], finding.severity, blocked);
    } else if (finding.category == "quality") {
      ++summary_.quality.issues[finding.type];
    } else if (finding.category == "business") {
      if (finding.type == "upsell") {
        ++summary_.business.upsells;
      } else if (finding.type == "churn_prevented") {
        ++summary_.business.churn_prevented;
      } else if (finding.type == "churn") {
        ++summary_.business.churned;
      }
    }
  }

  if (flagged) {
    ++summary_.flagged_conversations;
  }
  if (risky.risk > 0) {
    risky.rule_ids.assign(rule_ids.begin(), rule_ids.end());
    // Only the top entries are kept, so memory stays bounded however many conversations come;
    // the stable sort keeps the earlier of two identical (risk, session id) entries first.
    summary_.riskiest.push_back(std::move(risky));
    std::stable_sort(summary_.riskiest.begin(), summary_.riskiest.end(), riskier);
    if (summary_.riskiest.size() > kRiskiestLimit) {
      summary_.riskiest.resize(kRiskiestLimit);
    }
  }
}

void Aggregator::add_quality_scores(const std::vector<rulehost::Score>& scores) {
  double sum = 0;
  int count = 0;
  for (const rulehost::Score& score : scores) {
    if (score.name == "quality" && std::isfinite(score.value)) {
      sum += std::clamp(score.value, 0.0, 10.0);
      ++count;
    }
  }
  if (count == 0) {
    return;
  }
  double score = sum / count;
  auto bucket = static_cast<std::size_t>(std::clamp(std::floor(score), 0.0, 10.0));
  ++summary_.quality.scored_conversations;
  ++summary_.quality.histogram[bucket];
  quality_sum_tenths_ += std::llround(score * 10.0);
}

void Aggregator::add_metrics(const std::vector<rulehost::Metric>& metrics) {
  BusinessSummary& business = summary_.business;
  for (const rulehost::Metric& metric : metrics) {
    auto micros = internal::to_micros(metric.value);
    if (!micros) {
      continue;
    }
    int64_t& total = business.metrics_micros[metric.name];
    total = saturating_add(total, *micros);
    if (metric.name == "revenue_usd") {
      business.upsell_revenue_micros = saturating_add(business.upsell_revenue_micros, *micros);
    } else if (metric.name == "revenue_at_risk_usd") {
      business.revenue_at_risk_micros = saturating_add(business.revenue_at_risk_micros, *micros);
    }
  }
}

void Aggregator::add_message(const core::Message& message) {
  ++summary_.messages;
  if (!has_timestamps_) {
    summary_.first_message_ns = message.timestamp_ns;
    summary_.last_message_ns = message.timestamp_ns;
    has_timestamps_ = true;
  } else {
    summary_.first_message_ns = std::min(summary_.first_message_ns, message.timestamp_ns);
    summary_.last_message_ns = std::max(summary_.last_message_ns, message.timestamp_ns);
  }

  internal::MessageMetadata metadata = internal::read_message_metadata(message.metadata);
  OperationsSlice* slices[] = {&summary_.operations, &summary_.by_model[metadata.model],
                               &summary_.by_prompt_version[metadata.prompt_version],
                               &summary_.by_channel[metadata.channel]};
  for (OperationsSlice* slice : slices) {
    ++slice->messages;
    if (message.role == core::Role::kAssistant) {
      ++slice->assistant_messages;
    }
    if (metadata.is_error) {
      ++slice->errors;
    }
    slice->tokens = saturating_add(slice->tokens, metadata.tokens);
    slice->cost_micros = saturating_add(slice->cost_micros, metadata.cost_micros);
  }
  if (metadata.latency_ms >= 0) {
    latencies_ms_.push_back(metadata.latency_ms);
    latencies_by_model_[metadata.model].push_back(metadata.latency_ms);
    latencies_by_prompt_version_[metadata.prompt_version].push_back(metadata.latency_ms);
    latencies_by_channel_[metadata.channel].push_back(metadata.latency_ms);
  }
}

AuditSummary Aggregator::finish() {
  AuditSummary summary = summary_;
  fill_latency(summary.operations, latencies_ms_);
  fill_latencies(summary.by_model, latencies_by_model_);
  fill_latencies(summary.by_prompt_version, latencies_by_prompt_version_);
  fill_latencies(summary.by_channel, latencies_by_channel_);
  uint64_t scored = summary.quality.scored_conversations;
  if (scored > 0) {
    // Half up; the tenths are never negative (scores are clamped to 0..10).
    auto count = static_cast<int64_t>(scored);
    summary.quality.mean_tenths = (2 * quality_sum_tenths_ + count) / (2 * count);
  }
  return summary;
}

}  // namespace convaudit::aggregate
