#include "engine/aggregate/aggregator.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "engine/core/severity.h"

#include "tests/support/conversation_builder.h"
#include "tests/support/conversation_result_builder.h"

using convaudit::Severity;
using convaudit::aggregate::Aggregator;
using convaudit::aggregate::AuditSummary;
using convaudit::aggregate::IncidentCounts;
using convaudit::aggregate::OperationsSlice;
using convaudit::core::Role;
using convaudit::rulehost::ConversationResult;
using convaudit::testing::ConversationBuilder;
using convaudit::testing::ConversationResultBuilder;
using nlohmann::json;

namespace {

// A conversation with one user message and no metadata, plus the given results.
void add_plain(Aggregator& aggregator, const std::string& session_id,
               const ConversationResult& result) {
  aggregator.add(ConversationBuilder(session_id).user("hello").build(), result);
}

// Aggregates conversations whose only message carries the given latencies (one message each).
AuditSummary summarize_latencies(const std::vector<json>& latencies) {
  Aggregator aggregator;
  ConversationBuilder builder("s");
  for (const json& latency : latencies) {
    builder.assistant("ok", {{"latency_ms", latency}});
  }
  aggregator.add(builder.build(), ConversationResult{});
  return aggregator.finish();
}

AuditSummary summarize_scores(const std::vector<double>& scores) {
  Aggregator aggregator;
  int n = 0;
  for (double score : scores) {
    std::string id = "s" + std::to_string(n++);
    add_plain(aggregator, id, ConversationResultBuilder(id).score("quality", score).build());
  }
  return aggregator.finish();
}

json incidents_as_json(const IncidentCounts& counts) {
  return {{"total", counts.total},
          {"blocked", counts.blocked},
          {"unblocked", counts.unblocked},
          {"by_severity", counts.by_severity}};
}

json slice_as_json(const OperationsSlice& slice) {
  return {{"messages", slice.messages},  {"assistant", slice.assistant_messages},
          {"errors", slice.errors},      {"p50", slice.latency_p50_ms},
          {"p95", slice.latency_p95_ms}, {"tokens", slice.tokens},
          {"cost", slice.cost_micros}};
}

// Every figure the aggregator computes, so two summaries can be compared in one assertion.
json summary_as_json(const AuditSummary& s) {
  json j;
  j["conversations"] = s.conversations;
  j["messages"] = s.messages;
  j["flagged"] = s.flagged_conversations;
  j["by_severity"] = s.findings_by_severity;
  j["by_category"] = s.findings_by_category;
  for (const auto& [type, counts] : s.incidents_by_type) {
    j["incidents_by_type"][type] = incidents_as_json(counts);
  }
  j["incidents"] = incidents_as_json(s.incidents);
  for (const auto& r : s.riskiest) {
    j["riskiest"].push_back(
        {r.session_id, r.risk, static_cast<int>(r.max_severity), r.findings, r.rule_ids});
  }
  j["quality"] = {{"scored", s.quality.scored_conversations},
                  {"histogram", s.quality.histogram},
                  {"mean", s.quality.mean_tenths},
                  {"issues", s.quality.issues}};
  j["business"] = {{"upsells", s.business.upsells},
                   {"upsell_revenue", s.business.upsell_revenue_micros},
                   {"churn_prevented", s.business.churn_prevented},
                   {"churned", s.business.churned},
                   {"at_risk", s.business.revenue_at_risk_micros},
                   {"metrics", s.business.metrics_micros}};
  j["operations"] = slice_as_json(s.operations);
  for (const auto& [key, slice] : s.by_model) {
    j["by_model"][key] = slice_as_json(slice);
  }
  for (const auto& [key, slice] : s.by_prompt_version) {
    j["by_prompt_version"][key] = slice_as_json(slice);
  }
  for (const auto& [key, slice] : s.by_channel) {
    j["by_channel"][key] = slice_as_json(slice);
  }
  j["first"] = s.first_message_ns;
  j["last"] = s.last_message_ns;
  j["highest"] = static_cast<int>(s.highest_severity);
  j["total_findings"] = s.total_findings;
  return j;
}

}  // namespace

TEST_CASE("an empty aggregator gives an all-zero summary", "[aggregate][counts]") {
  Aggregator aggregator;
  AuditSummary s = aggregator.finish();
  CHECK(s.conversations == 0);
  CHECK(s.messages == 0);
  CHECK(s.total_findings == 0);
  CHECK(s.highest_severity == Severity::kInfo);
  CHECK(s.riskiest.empty());
  CHECK(s.quality.histogram == std::vector<uint64_t>(11, 0));
  CHECK(s.quality.mean_tenths == 0);
  CHECK(s.operations.latency_p50_ms == 0);
  CHECK(s.by_model.empty());
  CHECK(s.first_message_ns == 0);
  CHECK(s.last_message_ns == 0);
}

TEST_CASE("findings are counted by severity and category", "[aggregate][counts]") {
  Aggregator aggregator;
  aggregator.add(ConversationBuilder("a").user("u").assistant("a").user("u").build(),
                 ConversationResultBuilder("a")
                     .finding("security", "jailbreak", Severity::kHigh, 0)
                     .finding("quality", "too_brief", Severity::kLow, 1)
                     .finding("quality", "too_brief", Severity::kLow, 1)
                     .build());
  add_plain(aggregator, "b",
            ConversationResultBuilder("b").finding("operations", "slow", Severity::kInfo).build());
  add_plain(aggregator, "c", ConversationResult{});

  AuditSummary s = aggregator.finish();
  CHECK(s.conversations == 3);
  CHECK(s.messages == 5);
  CHECK(s.total_findings == 4);
  CHECK(s.findings_by_severity ==
        std::map<std::string, uint64_t>{{"high", 1}, {"low", 2}, {"info", 1}});
  CHECK(s.findings_by_category ==
        std::map<std::string, uint64_t>{{"security", 1}, {"quality", 2}, {"operations", 1}});
  CHECK(s.highest_severity == Severity::kHigh);
  // "b" has only an info finding: it is not flagged.
  CHECK(s.flagged_conversations == 1);
  CHECK(s.quality.issues == std::map<std::string, uint64_t>{{"too_brief", 2}});
}

TEST_CASE("a single low finding flags a conversation; critical is the highest severity",
          "[aggregate][counts]") {
  Aggregator aggregator;
  add_plain(aggregator, "a",
            ConversationResultBuilder("a").finding("x", "y", Severity::kLow).build());
  add_plain(aggregator, "b",
            ConversationResultBuilder("b").finding("x", "y", Severity::kCritical).build());
  AuditSummary s = aggregator.finish();
  CHECK(s.flagged_conversations == 2);
  CHECK(s.highest_severity == Severity::kCritical);
}

TEST_CASE("risk is the sum of severity weights", "[aggregate][risk]") {
  Aggregator aggregator;
  add_plain(aggregator, "s",
            ConversationResultBuilder("s")
                .finding("security", "a", Severity::kInfo, -1, "r.z")
                .finding("security", "b", Severity::kLow, -1, "r.b")
                .finding("security", "c", Severity::kMedium, -1, "r.a")
                .finding("security", "d", Severity::kHigh, -1, "r.b")
                .finding("security", "e", Severity::kCritical, -1, "r.c")
                .build());
  AuditSummary s = aggregator.finish();
  REQUIRE(s.riskiest.size() == 1);
  const auto& r = s.riskiest[0];
  CHECK(r.session_id == "s");
  CHECK(r.risk == 0 + 1 + 3 + 7 + 15);
  CHECK(r.max_severity == Severity::kCritical);
  CHECK(r.findings == 5);
  CHECK(r.rule_ids == std::vector<std::string>{"r.a", "r.b", "r.c", "r.z"});
}

TEST_CASE("riskiest keeps the top ten by risk, ties by session id", "[aggregate][risk]") {
  Aggregator aggregator;
  // Added in an order that is neither by risk nor by id.
  const std::vector<std::pair<std::string, int>> highs = {{"m", 1}, {"b", 3}, {"z", 3}, {"a", 3},
                                                          {"k", 2}, {"c", 1}, {"y", 2}, {"d", 1},
                                                          {"x", 1}, {"e", 1}, {"f", 1}, {"g", 1}};
  for (const auto& [id, count] : highs) {
    ConversationResultBuilder result(id);
    for (int i = 0; i < count; ++i) {
      result.finding("security", "t", Severity::kHigh);
    }
    add_plain(aggregator, id, result.build());
  }
  // Only info findings: risk 0, never listed.
  add_plain(aggregator, "0",
            ConversationResultBuilder("0").finding("security", "t", Severity::kInfo).build());

  AuditSummary s = aggregator.finish();
  std::vector<std::string> ids;
  std::vector<int64_t> risks;
  for (const auto& r : s.riskiest) {
    ids.push_back(r.session_id);
    risks.push_back(r.risk);
  }
  CHECK(ids == std::vector<std::string>{"a", "b", "z", "k", "y", "c", "d", "e", "f", "g"});
  CHECK(risks == std::vector<int64_t>{21, 21, 21, 14, 14, 7, 7, 7, 7, 7});
}

TEST_CASE("incidents are security findings, blocked by attack_blocked", "[aggregate][incidents]") {
  Aggregator aggregator;
  aggregator.add(ConversationBuilder("a")
                     .user("ignore previous", {{"attack_blocked", true}})
                     .user("plain")
                     .user("string flag", {{"attack_blocked", "true"}})
                     .user("false flag", {{"attack_blocked", false}})
                     .user("false string", {{"attack_blocked", "false"}})
                     .build(),
                 ConversationResultBuilder("a")
                     .finding("security", "injection", Severity::kHigh, 0)    // blocked
                     .finding("security", "injection", Severity::kHigh, 1)    // unblocked
                     .finding("security", "jailbreak", Severity::kMedium, 2)  // blocked
                     .finding("security", "jailbreak", Severity::kMedium, 3)  // unblocked
                     .finding("security", "jailbreak", Severity::kMedium, 4)  // unblocked
                     .finding("security", "harvest", Severity::kLow, -1)      // conv: blocked
                     .finding("security", "harvest", Severity::kLow, 99)      // conv: blocked
                     .finding("quality", "injection", Severity::kHigh, 0)     // not an incident
                     .build());
  aggregator.add(ConversationBuilder("b").user("x", {{"attack_blocked", false}}).build(),
                 ConversationResultBuilder("b")
                     .finding("security", "harvest", Severity::kCritical, -1)  // unblocked
                     .build());

  AuditSummary s = aggregator.finish();
  CHECK(s.incidents.total == 8);
  CHECK(s.incidents.blocked == 4);
  CHECK(s.incidents.unblocked == 4);
  CHECK(s.incidents.by_severity ==
        std::map<std::string, uint64_t>{{"critical", 1}, {"high", 2}, {"medium", 3}, {"low", 2}});
  REQUIRE(s.incidents_by_type.size() == 3);
  const IncidentCounts& injection = s.incidents_by_type.at("injection");
  CHECK(injection.total == 2);
  CHECK(injection.blocked == 1);
  CHECK(injection.unblocked == 1);
  CHECK(injection.by_severity == std::map<std::string, uint64_t>{{"high", 2}});
  const IncidentCounts& jailbreak = s.incidents_by_type.at("jailbreak");
  CHECK(jailbreak.blocked == 1);
  CHECK(jailbreak.unblocked == 2);
  const IncidentCounts& harvest = s.incidents_by_type.at("harvest");
  CHECK(harvest.total == 3);
  CHECK(harvest.blocked == 2);
  CHECK(harvest.unblocked == 1);
  CHECK(harvest.by_severity == std::map<std::string, uint64_t>{{"critical", 1}, {"low", 2}});
}

TEST_CASE("quality histogram edges", "[aggregate][quality]") {
  AuditSummary s = summarize_scores({10.0, 0.0, 9.99, 10.5, -1.0, 5.0, 4.999});
  std::vector<uint64_t> expected(11, 0);
  expected[10] = 2;  // 10.0 and 10.5 (clamped)
  expected[0] = 2;   // 0.0 and -1.0 (clamped)
  expected[9] = 1;   // 9.99 floors to 9 although it rounds to 10.0
  expected[5] = 1;
  expected[4] = 1;
  CHECK(s.quality.histogram == expected);
  CHECK(s.quality.scored_conversations == 7);
}

TEST_CASE("quality mean is the rounded mean of score tenths", "[aggregate][quality]") {
  CHECK(summarize_scores({7.0, 7.5}).quality.mean_tenths == 73);       // 72.5 rounds up
  CHECK(summarize_scores({7.0, 7.0, 7.5}).quality.mean_tenths == 72);  // 71.67
  CHECK(summarize_scores({7.1, 7.1, 7.2}).quality.mean_tenths == 71);  // 71.33
  CHECK(summarize_scores({9.99}).quality.mean_tenths == 100);          // 99.9 -> 100 tenths
  CHECK(summarize_scores({8.25}).quality.mean_tenths == 83);           // 82.5 rounds up
  CHECK(summarize_scores({0.0, 10.0}).quality.mean_tenths == 50);
}

TEST_CASE("only quality scores count, once per conversation, finite only", "[aggregate][quality]") {
  Aggregator aggregator;
  add_plain(aggregator, "a",
            ConversationResultBuilder("a")
                .score("quality", 6.0)
                .score("quality", 8.0)  // averaged with 6.0: one conversation at 7.0
                .score("escalation_risk", 2.0)
                .build());
  add_plain(aggregator, "b",
            ConversationResultBuilder("b")
                .score("quality", std::numeric_limits<double>::quiet_NaN())
                .build());
  add_plain(aggregator, "c", ConversationResultBuilder("c").score("escalation", 1.0).build());
  AuditSummary s = aggregator.finish();
  CHECK(s.quality.scored_conversations == 1);
  CHECK(s.quality.histogram[7] == 1);
  CHECK(s.quality.histogram[2] == 0);
  CHECK(s.quality.mean_tenths == 70);
}

TEST_CASE("latency percentiles are nearest rank", "[aggregate][operations]") {
  std::vector<json> one_to_twenty;
  for (int i = 20; i >= 1; --i) {  // unsorted on purpose
    one_to_twenty.push_back(i);
  }
  AuditSummary twenty = summarize_latencies(one_to_twenty);
  CHECK(twenty.operations.latency_p50_ms == 10);
  CHECK(twenty.operations.latency_p95_ms == 19);

  AuditSummary ten = summarize_latencies({7, 3, 10, 1, 9, 2, 8, 4, 6, 5});
  CHECK(ten.operations.latency_p50_ms == 5);
  CHECK(ten.operations.latency_p95_ms == 10);

  AuditSummary single = summarize_latencies({250});
  CHECK(single.operations.latency_p50_ms == 250);
  CHECK(single.operations.latency_p95_ms == 250);

  AuditSummary skewed = summarize_latencies({100, 100, 100, 5000});
  CHECK(skewed.operations.latency_p50_ms == 100);
  CHECK(skewed.operations.latency_p95_ms == 5000);
}

TEST_CASE("latency accepts integers, floats and numeric strings", "[aggregate][operations]") {
  // 12.5 rounds to 13; "40" and "7.4" parse; junk, negatives and non-numbers are ignored.
  AuditSummary s = summarize_latencies({12.5, "40", "7.4", "fast", -3, json::object(), nullptr});
  CHECK(s.operations.messages == 7);
  CHECK(s.operations.latency_p50_ms == 13);  // sample {7, 13, 40}
  CHECK(s.operations.latency_p95_ms == 40);
}

TEST_CASE("errors, tokens and cost per message", "[aggregate][operations]") {
  Aggregator aggregator;
  aggregator.add(ConversationBuilder("a")
                     .user("u")
                     .assistant("1", {{"error", true}})
                     .assistant("2", {{"error", "timeout"}})
                     .assistant("3", {{"error", json{{"code", 500}}}})
                     .assistant("4", {{"status", "error"}})
                     .assistant("5", {{"error", false}, {"status", "ok"}})
                     .assistant("6", {{"error", ""}})
                     .assistant("7", {{"error", "false"}})
                     .assistant("8", {{"error", json::object()}})
                     .assistant("9", {{"error", 0}})
                     .build(),
                 ConversationResult{});
  aggregator.add(
      ConversationBuilder("b")
          .assistant("t", {{"tokens", 10}})
          .assistant("t", {{"tokens", "15"}})
          .assistant("t", {{"usage", {{"total_tokens", 100}, {"prompt_tokens", 1}}}})
          .assistant("t", {{"usage", {{"prompt_tokens", 30}, {"completion_tokens", 12}}}})
          .assistant("t", {{"tokens", 5}, {"usage", {{"total_tokens", 999}}}})
          .assistant("t", {{"tokens", "many"}})
          .build(),
      ConversationResult{});
  aggregator.add(ConversationBuilder("c")
                     .assistant("c", {{"cost_usd", 0.1}})
                     .assistant("c", {{"cost_usd", 0.2}})
                     .assistant("c", {{"cost_usd", "0.0012346"}})
                     .assistant("c", {{"cost_usd", 0.00000049}})
                     .assistant("c", {{"cost_usd", "free"}})
                     .build(),
                 ConversationResult{});
  AuditSummary s = aggregator.finish();
  CHECK(s.operations.messages == 21);
  CHECK(s.operations.assistant_messages == 20);
  CHECK(s.operations.errors == 4);
  CHECK(s.operations.tokens == 10 + 15 + 100 + 42 + 5);
  // 100000 + 200000 + 1235 (1234.6 rounds up) + 0 (0.49 rounds down).
  CHECK(s.operations.cost_micros == 301235);
}

TEST_CASE("operations are sliced by model, prompt version and channel", "[aggregate][slices]") {
  Aggregator aggregator;
  aggregator.add(ConversationBuilder("a")
                     .user("hi", {{"channel", "web"}})
                     .assistant("x", {{"model", "m1"},
                                      {"prompt_version", "v1"},
                                      {"channel", "web"},
                                      {"latency_ms", 100},
                                      {"tokens", 10},
                                      {"cost_usd", 0.5}})
                     .assistant("y", {{"model", "m1"},
                                      {"prompt_version", 3},
                                      {"channel", "web"},
                                      {"latency_ms", 300},
                                      {"tokens", 20},
                                      {"error", true}})
                     .build(),
                 ConversationResult{});
  aggregator.add(ConversationBuilder("b")
                     .assistant("z", {{"model", "m2"}, {"latency_ms", 50}, {"channel", ""}})
                     .assistant("w", {{"model", nullptr}, {"latency_ms", 70}})
                     .build(),
                 ConversationResult{});
  AuditSummary s = aggregator.finish();

  REQUIRE(s.by_model.size() == 3);
  const OperationsSlice& m1 = s.by_model.at("m1");
  CHECK(m1.messages == 2);
  CHECK(m1.assistant_messages == 2);
  CHECK(m1.errors == 1);
  CHECK(m1.tokens == 30);
  CHECK(m1.cost_micros == 500000);
  CHECK(m1.latency_p50_ms == 100);
  CHECK(m1.latency_p95_ms == 300);
  const OperationsSlice& m2 = s.by_model.at("m2");
  CHECK(m2.messages == 1);
  CHECK(m2.latency_p50_ms == 50);
  const OperationsSlice& no_model = s.by_model.at("(none)");
  CHECK(no_model.messages == 2);  // the user message and the null model
  CHECK(no_model.assistant_messages == 1);
  CHECK(no_model.latency_p50_ms == 70);
  CHECK(no_model.latency_p95_ms == 70);

  CHECK(s.by_prompt_version.at("v1").messages == 1);
  CHECK(s.by_prompt_version.at("3").messages == 1);
  CHECK(s.by_prompt_version.at("(none)").messages == 3);
  CHECK(s.by_channel.at("web").messages == 3);
  CHECK(s.by_channel.at("web").latency_p50_ms == 100);
  CHECK(s.by_channel.at("(none)").messages == 2);
  CHECK(s.by_channel.at("(none)").latency_p95_ms == 70);

  CHECK(s.operations.messages == 5);
  CHECK(s.operations.errors == 1);
  CHECK(s.operations.latency_p50_ms == 70);  // sample {50, 70, 100, 300}
  CHECK(s.operations.latency_p95_ms == 300);
}

TEST_CASE("business outcomes and money in micros", "[aggregate][business]") {
  Aggregator aggregator;
  add_plain(aggregator, "a",
            ConversationResultBuilder("a")
                .finding("business", "upsell", Severity::kInfo)
                .finding("business", "upsell", Severity::kInfo)
                .finding("business", "churn_prevented", Severity::kInfo)
                .finding("business", "churn", Severity::kMedium)
                .finding("business", "other", Severity::kInfo)
                .finding("quality", "upsell", Severity::kInfo)  // wrong category: not counted
                .metric("revenue_usd", 19.99)
                .metric("revenue_usd", 0.1234567)
                .metric("revenue_at_risk_usd", 120.0000004)
                .metric("discount_usd", -1.25)
                .metric("revenue_usd", std::numeric_limits<double>::infinity())
                .metric("revenue_usd", 1e300)
                .build());
  add_plain(aggregator, "b",
            ConversationResultBuilder("b").metric("revenue_at_risk_usd", 0.0000016).build());
  AuditSummary s = aggregator.finish();
  CHECK(s.business.upsells == 2);
  CHECK(s.business.churn_prevented == 1);
  CHECK(s.business.churned == 1);
  CHECK(s.business.upsell_revenue_micros == 19990000 + 123457);
  CHECK(s.business.revenue_at_risk_micros == 120000000 + 2);
  CHECK(s.business.metrics_micros ==
        std::map<std::string, int64_t>{{"revenue_usd", 19990000 + 123457},
                                       {"revenue_at_risk_usd", 120000002},
                                       {"discount_usd", -1250000}});
}

TEST_CASE("first and last message timestamps span every conversation", "[aggregate][counts]") {
  Aggregator aggregator;
  aggregator.add(ConversationBuilder("a", 5'000).user("x").build(), ConversationResult{});
  aggregator.add(ConversationBuilder("b")
                     .message_at(Role::kUser, "x", 9'000)
                     .message_at(Role::kUser, "y", 2'000)
                     .build(),
                 ConversationResult{});
  AuditSummary s = aggregator.finish();
  CHECK(s.first_message_ns == 2'000);
  CHECK(s.last_message_ns == 9'000);
}

TEST_CASE("same conversations in the same order give equal summaries", "[aggregate][determinism]") {
  auto feed = [](Aggregator& aggregator) {
    for (int i = 0; i < 25; ++i) {
      std::string id = "s" + std::to_string(i % 7) + "-" + std::to_string(i);
      json meta = {{"model", i % 2 == 0 ? "m1" : "m2"},
                   {"channel", i % 3 == 0 ? "web" : "app"},
                   {"latency_ms", 10 + (i * 37) % 400},
                   {"cost_usd", 0.001 * i},
                   {"tokens", i * 3},
                   {"attack_blocked", i % 4 == 0}};
      ConversationResultBuilder result(id);
      result.finding("security", i % 2 == 0 ? "injection" : "jailbreak",
                     static_cast<Severity>(i % 5), 0, "rule." + std::to_string(i % 3));
      result.finding("quality", "too_brief", Severity::kLow);
      result.score("quality", 0.37 * i);
      result.metric("revenue_usd", 1.1 * i);
      aggregator.add(ConversationBuilder(id, 1000 * i).user("q").assistant("a", meta).build(),
                     result.build());
    }
  };
  Aggregator first;
  Aggregator second;
  feed(first);
  feed(second);
  json a = summary_as_json(first.finish());
  json b = summary_as_json(second.finish());
  CHECK(a == b);
  CHECK(a["conversations"] == 25);
  CHECK(a["riskiest"].size() == 10);
  // finish() does not consume: a second call gives the same summary.
  CHECK(summary_as_json(first.finish()) == a);
}

TEST_CASE("finish reflects conversations added after an earlier finish", "[aggregate][counts]") {
  Aggregator aggregator;
  add_plain(aggregator, "a", ConversationResult{});
  CHECK(aggregator.finish().conversations == 1);
  add_plain(aggregator, "b", ConversationResult{});
  CHECK(aggregator.finish().conversations == 2);
}

TEST_CASE("weekly trends count each conversation in the ISO week of its first message",
          "[aggregate][weekly]") {
  constexpr int64_t kDay = 86'400'000'000'000;
  const int64_t monday_w31 = 1'785'110'400LL * 1'000'000'000;  // 2026-07-27T00:00:00Z
  Aggregator aggregator;
  // Week 31: two conversations, one with an incident and a score.
  aggregator.add(ConversationBuilder("a", monday_w31 + kDay).user("x").assistant("y").build(),
                 ConversationResultBuilder("a")
                     .finding("security", "jailbreak", Severity::kHigh, 0)
                     .score("quality", 4.0)
                     .build());
  aggregator.add(ConversationBuilder("b", monday_w31 + 6 * kDay).user("x").build(),
                 ConversationResultBuilder("b").score("quality", 9.0).build());
  // Week 32: one plain conversation, starting just after Monday 00:00 of week 32.
  aggregator.add(ConversationBuilder("c", monday_w31 + 7 * kDay + 5).user("x").build(),
                 ConversationResult{});
  AuditSummary summary = aggregator.finish();
  REQUIRE(summary.weekly.size() == 2);
  CHECK(summary.weekly[0].week == "2026-W31");
  CHECK(summary.weekly[0].week_start_ns == monday_w31);
  CHECK(summary.weekly[0].conversations == 2);
  CHECK(summary.weekly[0].messages == 3);
  CHECK(summary.weekly[0].findings == 1);
  CHECK(summary.weekly[0].incidents == 1);
  CHECK(summary.weekly[0].flagged_conversations == 1);
  CHECK(summary.weekly[0].scored_conversations == 2);
  CHECK(summary.weekly[0].quality_mean_tenths == 65);
  CHECK(summary.weekly[1].week == "2026-W32");
  CHECK(summary.weekly[1].conversations == 1);
  CHECK(summary.weekly[1].incidents == 0);
}

TEST_CASE("the review queue ranks flagged conversations by severity, then risk",
          "[aggregate][review]") {
  Aggregator aggregator;
  add_plain(aggregator, "low-many",
            ConversationResultBuilder("low-many")
                .finding("quality", "too_brief", Severity::kLow, 0)
                .finding("quality", "unhelpful", Severity::kLow, 0)
                .finding("quality", "unhelpful", Severity::kLow, 0)
                .finding("quality", "unhelpful", Severity::kLow, 0)
                .build());
  add_plain(aggregator, "critical",
            ConversationResultBuilder("critical")
                .finding("security", "data_harvesting", Severity::kCritical, 0)
                .build());
  add_plain(aggregator, "high-b",
            ConversationResultBuilder("high-b")
                .finding("security", "jailbreak", Severity::kHigh, 0)
                .build());
  add_plain(aggregator, "high-a",
            ConversationResultBuilder("high-a")
                .finding("security", "jailbreak", Severity::kHigh, 0)
                .build());
  add_plain(aggregator, "info-only",
            ConversationResultBuilder("info-only")
                .finding("operations", "note", Severity::kInfo)
                .build());
  AuditSummary summary = aggregator.finish();
  std::vector<std::string> order;
  for (const auto& item : summary.review_queue) {
    order.push_back(item.session_id);
  }
  CHECK(order == std::vector<std::string>{"critical", "high-a", "high-b", "low-many"});
  CHECK(summary.review_queue[3].types ==
        std::vector<std::string>{"quality/too_brief", "quality/unhelpful"});
  CHECK(summary.review_queue[3].findings == 4);
  CHECK(summary.review_queue[0].max_severity == Severity::kCritical);
}

TEST_CASE("the review queue is bounded and keeps the most severe", "[aggregate][review]") {
  Aggregator aggregator;
  for (size_t i = 0; i < convaudit::aggregate::kReviewQueueLimit + 50; ++i) {
    std::string id = "s" + std::to_string(1000 + i);
    add_plain(
        aggregator, id,
        ConversationResultBuilder(id).finding("quality", "too_brief", Severity::kLow, 0).build());
  }
  add_plain(aggregator, "zz-high",
            ConversationResultBuilder("zz-high")
                .finding("security", "jailbreak", Severity::kHigh, 0)
                .build());
  AuditSummary summary = aggregator.finish();
  CHECK(summary.review_queue.size() == convaudit::aggregate::kReviewQueueLimit);
  CHECK(summary.review_queue.front().session_id == "zz-high");
  CHECK(summary.flagged_conversations == convaudit::aggregate::kReviewQueueLimit + 51);
}

TEST_CASE("latency p99 is nearest-rank over every message", "[aggregate][operations]") {
  std::vector<json> latencies;
  for (int i = 1; i <= 200; ++i) {
    latencies.push_back(i);
  }
  AuditSummary summary = summarize_latencies(latencies);
  CHECK(summary.operations.latency_p50_ms == 100);
  CHECK(summary.operations.latency_p95_ms == 190);
  CHECK(summary.operations.latency_p99_ms == 198);
}

TEST_CASE("a session sample counts every conversation and lists the first ids in byte order",
          "[aggregate][sessions]") {
  convaudit::aggregate::SessionSample sample;
  for (const char* id : {"m", "c", "x", "a", "q", "b", "z", "d", "k", "e", "f", "y", "0"}) {
    sample.add(id);
  }
  CHECK(sample.conversations == 13);
  CHECK(sample.session_ids ==
        std::vector<std::string>{"0", "a", "b", "c", "d", "e", "f", "k", "m", "q"});
}

TEST_CASE("every section's figures trace to the session ids behind them", "[aggregate][sessions]") {
  auto feed = [](Aggregator& aggregator, bool reverse) {
    std::vector<int> order;
    for (int i = 0; i < 14; ++i) {
      order.push_back(reverse ? 13 - i : i);
    }
    for (int i : order) {
      std::string id = "s" + std::to_string(100 + i);
      ConversationResultBuilder result(id);
      if (i % 2 == 0) {  // two findings of one type: the conversation counts once
        result.finding("security", "jailbreak", Severity::kHigh);
        result.finding("security", "jailbreak", Severity::kMedium);
      }
      if (i % 3 == 0) {
        result.finding("quality", "too_brief", Severity::kLow);
      }
      if (i == 5) {
        result.finding("business", "upsell", Severity::kInfo).metric("revenue_usd", 9.5);
      }
      if (i == 6) {
        result.metric("revenue_usd", 0.0);  // zero: not behind the figure
        result.finding("operations", "high_latency", Severity::kLow);
      }
      result.score("quality", i < 4 ? 2.5 : 8.0);
      json meta = {{"latency_ms", 100 * i}, {"model", i < 7 ? "small" : "large"}};
      if (i == 3 || i == 9) {
        meta["error"] = true;
      }
      aggregator.add(ConversationBuilder(id).user("q").assistant("a", meta).assistant("b").build(),
                     result.build());
    }
  };
  Aggregator forward;
  Aggregator backward;
  feed(forward, false);
  feed(backward, true);
  AuditSummary s = forward.finish();
  AuditSummary r = backward.finish();

  const auto& jailbreak = s.incidents_by_type.at("jailbreak").sessions;
  CHECK(jailbreak.conversations == 7);
  CHECK(jailbreak.session_ids ==
        std::vector<std::string>{"s100", "s102", "s104", "s106", "s108", "s110", "s112"});
  CHECK(s.incidents_by_type.at("jailbreak").total == 14);
  CHECK(s.quality.issue_sessions.at("too_brief").session_ids ==
        std::vector<std::string>{"s100", "s103", "s106", "s109", "s112"});
  CHECK(s.quality.histogram_sessions[2].session_ids ==
        std::vector<std::string>{"s100", "s101", "s102", "s103"});
  CHECK(s.quality.histogram_sessions[8].conversations == 10);
  CHECK(s.quality.histogram_sessions[8].session_ids.size() == 10);
  CHECK(s.business.outcome_sessions.at("upsell").session_ids == std::vector<std::string>{"s105"});
  CHECK(s.business.metric_sessions.at("revenue_usd").session_ids ==
        std::vector<std::string>{"s105"});
  CHECK(s.operations_finding_sessions.at("high_latency").session_ids ==
        std::vector<std::string>{"s106"});
  CHECK(s.operations.error_sessions.session_ids == std::vector<std::string>{"s103", "s109"});
  CHECK(s.by_model.at("small").error_sessions.session_ids == std::vector<std::string>{"s103"});
  CHECK(s.by_model.at("large").error_sessions.session_ids == std::vector<std::string>{"s109"});
  REQUIRE(s.slowest.size() == 10);
  CHECK(s.slowest.front().session_id == "s113");
  CHECK(s.slowest.front().latency_ms == 1300);
  CHECK(s.slowest.back().session_id == "s104");

  // The samples do not depend on the order conversations arrive in.
  CHECK(r.incidents_by_type.at("jailbreak").sessions.session_ids == jailbreak.session_ids);
  CHECK(r.quality.histogram_sessions[8].session_ids == s.quality.histogram_sessions[8].session_ids);
  CHECK(r.operations.error_sessions.session_ids == s.operations.error_sessions.session_ids);
  REQUIRE(r.slowest.size() == s.slowest.size());
  for (size_t i = 0; i < s.slowest.size(); ++i) {
    CHECK(r.slowest[i].session_id == s.slowest[i].session_id);
  }
}
