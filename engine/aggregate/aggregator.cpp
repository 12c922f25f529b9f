#include "engine/aggregate/aggregator.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <set>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/aggregate/internal/fixed_point.h"
#include "engine/aggregate/internal/message_metadata.h"
#include "engine/core/timestamp.h"

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
// `counts` sorted by latency.
int64_t nearest_rank(const std::vector<std::pair<int64_t, uint64_t>>& counts, uint64_t total,
                     uint64_t percent) {
  if (total == 0) {
    return 0;
  }
  uint64_t rank = (percent * total + 99) / 100;
  rank = std::clamp<uint64_t>(rank, 1, total);
  uint64_t seen = 0;
  for (const auto& [value, count] : counts) {
    seen += count;
    if (seen >= rank) {
      return value;
    }
  }
  return counts.back().first;
}

void fill_latency(OperationsSlice& slice,
                  const std::unordered_map<int64_t, uint64_t>& latencies_ms) {
  std::vector<std::pair<int64_t, uint64_t>> sorted(latencies_ms.begin(), latencies_ms.end());
  std::sort(sorted.begin(), sorted.end());
  uint64_t total = 0;
  for (const auto& entry : sorted) {
    total += entry.second;
  }
  slice.latency_p50_ms = nearest_rank(sorted, total, 50);
  slice.latency_p95_ms = nearest_rank(sorted, total, 95);
  slice.latency_p99_ms = nearest_rank(sorted, total, 99);
}

bool needs_review_before(const ReviewItem& a, const ReviewItem& b) {
  if (a.max_severity != b.max_severity) {
    return a.max_severity > b.max_severity;
  }
  if (a.risk != b.risk) {
    return a.risk > b.risk;
  }
  return a.session_id < b.session_id;
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

bool slower(const SlowConversation& a, const SlowConversation& b) {
  if (a.latency_ms != b.latency_ms) {
    return a.latency_ms > b.latency_ms;
  }
  return a.session_id < b.session_id;
}

}  // namespace

void SessionSample::add(const std::string& session_id) {
  ++conversations;
  auto at = std::lower_bound(session_ids.begin(), session_ids.end(), session_id);
  if (at != session_ids.end() && *at == session_id) {
    return;  // the same id twice (e.g. one session split by --period): listed once
  }
  if (session_ids.size() < kSessionSampleLimit) {
    session_ids.insert(at, session_id);
  } else if (at != session_ids.end()) {
    session_ids.insert(at, session_id);
    session_ids.pop_back();
  }
}

void Aggregator::add(const core::Conversation& conversation,
                     const rulehost::ConversationResult& result) {
  ++summary_.conversations;
  int64_t first_ns = 0;
  ConversationOperations operations;
  for (size_t i = 0; i < conversation.messages.size(); ++i) {
    const core::Message& message = conversation.messages[i];
    first_ns = i == 0 ? message.timestamp_ns : std::min(first_ns, message.timestamp_ns);
    add_message(message, operations);
  }
  for (OperationsSlice* slice : operations.error_slices) {
    slice->error_sessions.add(conversation.session_id);
  }
  if (operations.max_latency_ms >= 0) {
    add_slow(conversation.session_id, operations.max_latency_ms);
  }
  const uint64_t incidents_before = summary_.incidents.total;
  const uint64_t flagged_before = summary_.flagged_conversations;
  add_findings(conversation, result.findings);
  int64_t quality_tenths = add_quality_scores(conversation.session_id, result.scores);
  add_metrics(conversation.session_id, result.metrics);

  core::IsoWeek week = core::iso_week(first_ns);
  WeekState& state = weeks_[week.monday_ns];
  WeeklyTrend& trend = state.trend;
  trend.week = week.label;
  trend.week_start_ns = week.monday_ns;
  ++trend.conversations;
  trend.messages += conversation.messages.size();
  trend.findings += result.findings.size();
  trend.incidents += summary_.incidents.total - incidents_before;
  trend.flagged_conversations += summary_.flagged_conversations - flagged_before;
  if (quality_tenths >= 0) {
    ++trend.scored_conversations;
    state.quality_sum_tenths += quality_tenths;
  }
}

void Aggregator::add_findings(const core::Conversation& conversation,
                              const std::vector<rulehost::Finding>& findings) {
  bool any_message_blocked = std::any_of(
      conversation.messages.begin(), conversation.messages.end(),
      [](const core::Message& message) { return internal::is_attack_blocked(message.metadata); });
  RiskyConversation risky;
  risky.session_id = conversation.session_id;
  std::set<std::string> rule_ids;
  std::set<std::string> types;
  // Each conversation counts once per figure, however many findings of a type it has.
  std::set<SessionSample*> samples;
  bool flagged = false;
  uint64_t security_findings = 0;
  uint64_t blocked_findings = 0;

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
    types.insert(finding.category + "/" + finding.type);

    if (finding.category == "security") {
      bool on_message = finding.message_index >= 0 &&
                        static_cast<uint64_t>(finding.message_index) < conversation.messages.size();
      bool blocked =
          on_message
              ? internal::is_attack_blocked(
                    conversation.messages[static_cast<std::size_t>(finding.message_index)].metadata)
              : any_message_blocked;
      ++security_findings;
      blocked_findings += blocked ? 1 : 0;
      count_incident(summary_.incidents, finding.severity, blocked);
      IncidentCounts& by_type = summary_.incidents_by_type[finding.type];
      count_incident(by_type, finding.severity, blocked);
      samples.insert(&by_type.sessions);
    } else if (finding.category == "quality") {
      ++summary_.quality.issues[finding.type];
      samples.insert(&summary_.quality.issue_sessions[finding.type]);
    } else if (finding.category == "operations") {
      samples.insert(&summary_.operations_finding_sessions[finding.type]);
    } else if (finding.category == "business") {
      samples.insert(&summary_.business.outcome_sessions[finding.type]);
      if (finding.type == "upsell") {
        ++summary_.business.upsells;
      } else if (finding.type == "churn_prevented") {
        ++summary_.business.churn_prevented;
      } else if (finding.type == "churn") {
        ++summary_.business.churned;
      }
    }
  }
  for (SessionSample* sample : samples) {
    sample->add(conversation.session_id);
  }

  if (flagged) {
    ++summary_.flagged_conversations;
    ReviewItem item;
    item.session_id = conversation.session_id;
    item.max_severity = risky.max_severity;
    item.risk = risky.risk;
    item.findings = risky.findings;
    item.types.assign(types.begin(), types.end());
    for (size_t i = 0; i < conversation.messages.size(); ++i) {
      int64_t ts = conversation.messages[i].timestamp_ns;
      item.first_message_ns = i == 0 ? ts : std::min(item.first_message_ns, ts);
    }
    item.blocked = security_findings > 0 && blocked_findings == security_findings;
    auto& queue = summary_.review_queue;
    queue.insert(std::upper_bound(queue.begin(), queue.end(), item, needs_review_before),
                 std::move(item));
    if (queue.size() > kReviewQueueLimit) {
      queue.pop_back();
    }
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

int64_t Aggregator::add_quality_scores(const std::string& session_id,
                                       const std::vector<rulehost::Score>& scores) {
  double sum = 0;
  int count = 0;
  for (const rulehost::Score& score : scores) {
    if (score.name == "quality" && std::isfinite(score.value)) {
      sum += std::clamp(score.value, 0.0, 10.0);
      ++count;
    }
  }
  if (count == 0) {
    return -1;
  }
  double score = sum / count;
  auto bucket = static_cast<std::size_t>(std::clamp(std::floor(score), 0.0, 10.0));
  ++summary_.quality.scored_conversations;
  ++summary_.quality.histogram[bucket];
  summary_.quality.histogram_sessions[bucket].add(session_id);
  int64_t tenths = std::llround(score * 10.0);
  quality_sum_tenths_ += tenths;
  return tenths;
}

void Aggregator::add_metrics(const std::string& session_id,
                             const std::vector<rulehost::Metric>& metrics) {
  BusinessSummary& business = summary_.business;
  std::set<std::string> names;
  for (const rulehost::Metric& metric : metrics) {
    auto micros = internal::to_micros(metric.value);
    if (!micros) {
      continue;
    }
    if (*micros != 0) {
      names.insert(metric.name);
    }
    int64_t& total = business.metrics_micros[metric.name];
    total = saturating_add(total, *micros);
    if (metric.name == "revenue_usd") {
      business.upsell_revenue_micros = saturating_add(business.upsell_revenue_micros, *micros);
    } else if (metric.name == "revenue_at_risk_usd") {
      business.revenue_at_risk_micros = saturating_add(business.revenue_at_risk_micros, *micros);
    }
  }
  for (const std::string& name : names) {
    business.metric_sessions[name].add(session_id);
  }
}

void Aggregator::add_slow(const std::string& session_id, int64_t latency_ms) {
  SlowConversation entry{session_id, latency_ms};
  auto& slowest = summary_.slowest;
  auto at = std::upper_bound(slowest.begin(), slowest.end(), entry, slower);
  if (slowest.size() < kSessionSampleLimit || at != slowest.end()) {
    slowest.insert(at, std::move(entry));
    if (slowest.size() > kSessionSampleLimit) {
      slowest.pop_back();
    }
  }
}

void Aggregator::add_message(const core::Message& message, ConversationOperations& conversation) {
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
  SliceBooks& model = books_of(summary_.by_model, models_, metadata.model);
  SliceBooks& prompt_version =
      books_of(summary_.by_prompt_version, prompt_versions_, metadata.prompt_version);
  SliceBooks& channel = books_of(summary_.by_channel, channels_, metadata.channel);
  OperationsSlice* slices[] = {&summary_.operations, model.slice, prompt_version.slice,
                               channel.slice};
  for (OperationsSlice* slice : slices) {
    ++slice->messages;
    if (message.role == core::Role::kAssistant) {
      ++slice->assistant_messages;
    }
    if (metadata.is_error) {
      ++slice->errors;
      conversation.error_slices.insert(slice);
    }
    slice->tokens = saturating_add(slice->tokens, metadata.tokens);
    slice->cost_micros = saturating_add(slice->cost_micros, metadata.cost_micros);
  }
  if (metadata.latency_ms >= 0) {
    conversation.max_latency_ms = std::max(conversation.max_latency_ms, metadata.latency_ms);
    ++latencies_ms_[metadata.latency_ms];
    ++model.latencies_ms[metadata.latency_ms];
    ++prompt_version.latencies_ms[metadata.latency_ms];
    ++channel.latencies_ms[metadata.latency_ms];
  }
}

Aggregator::SliceBooks& Aggregator::books_of(std::map<std::string, OperationsSlice>& slices,
                                             SliceIndex& index, const std::string& key) {
  auto it = index.find(key);
  if (it == index.end()) {
    it = index.emplace(key, SliceBooks{&slices[key], {}}).first;
  }
  return it->second;
}

AuditSummary Aggregator::finish() {
  AuditSummary summary = summary_;
  fill_latency(summary.operations, latencies_ms_);
  const std::pair<const SliceIndex*, std::map<std::string, OperationsSlice>*> dimensions[] = {
      {&models_, &summary.by_model},
      {&prompt_versions_, &summary.by_prompt_version},
      {&channels_, &summary.by_channel}};
  for (const auto& [index, slices] : dimensions) {
    for (const auto& [key, books] : *index) {
      if (!books.latencies_ms.empty()) {
        fill_latency((*slices)[key], books.latencies_ms);
      }
    }
  }
  uint64_t scored = summary.quality.scored_conversations;
  if (scored > 0) {
    // Half up; the tenths are never negative (scores are clamped to 0..10).
    auto count = static_cast<int64_t>(scored);
    summary.quality.mean_tenths = (2 * quality_sum_tenths_ + count) / (2 * count);
  }
  summary.weekly.clear();
  for (const auto& [start, state] : weeks_) {
    WeeklyTrend trend = state.trend;
    if (trend.scored_conversations > 0) {
      auto count = static_cast<int64_t>(trend.scored_conversations);
      trend.quality_mean_tenths = (2 * state.quality_sum_tenths + count) / (2 * count);
    }
    summary.weekly.push_back(std::move(trend));
  }
  return summary;
}

}  // namespace convaudit::aggregate
