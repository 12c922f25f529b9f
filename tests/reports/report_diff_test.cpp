#include "reports/report_diff.h"

#include <functional>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "reports/report_builder.h"
#include "tests/reports/report_fixture.h"

using convaudit::ErrorCode;
using convaudit::aggregate::AuditSummary;
using convaudit::reports::build_report;
using convaudit::reports::diff_reports;
using convaudit::reports::diff_to_json;
using convaudit::reports::FigureChange;
using convaudit::reports::render_diff_text;
using convaudit::reports::ReportDiff;
using convaudit::testing::sample_provenance;
using convaudit::testing::sample_summary;
using nlohmann::json;

namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The quarter before the sample one: more incidents, lower quality, other slices.
json old_report() {
  AuditSummary s = sample_summary();
  s.conversations = 50;
  s.incidents.total = 23;
  s.incidents.blocked = 11;
  s.incidents.unblocked = 12;
  s.incidents_by_type.clear();  // prompt_injection only happens in the new quarter
  convaudit::aggregate::IncidentCounts jailbreak;
  jailbreak.total = 23;
  jailbreak.blocked = 11;
  jailbreak.unblocked = 12;
  jailbreak.by_severity = {{"critical", 23}};
  s.incidents_by_type["jailbreak"] = jailbreak;
  s.quality.mean_tenths = 62;
  s.quality.histogram = {1, 0, 1, 0, 2, 3, 5, 9, 10, 6, 3};
  s.business.upsell_revenue_micros = 100'000'000;              // 100 -> 149.97
  s.operations.cost_micros = 4'000'000;                        // 4 -> 4.321
  s.business.metrics_micros = {{"revenue_usd", 149'970'000}};  // refund_usd only in the new one
  s.operations.latency_p95_ms = 3'100;
  s.by_model.clear();
  s.by_model["gpt-3.5/legacy"] = s.operations;
  s.rule_errors.clear();
  for (auto& cost : s.rule_costs) {
    cost.quarantined = false;
  }
  s.data_quality.rejects_by_code = {{"ingest.malformed_json", 9}};
  auto provenance = sample_provenance();
  provenance.parameters = {{"format", "auto"}, {"period", "2026-Q2"}, {"rule_packs", "builtin"}};
  return build_report(s, provenance);
}

json new_report() {
  return build_report(sample_summary(), sample_provenance());
}

const FigureChange* find(const ReportDiff& diff, const std::string& label) {
  for (const auto& section : diff.sections) {
    for (const FigureChange& f : section.figures) {
      if (f.label == label) {
        return &f;
      }
    }
  }
  return nullptr;
}

// The line of `text` that starts (after indentation) with `label` followed by two spaces.
std::string line_of(const std::string& text, const std::string& label) {
  size_t at = text.find("\n  " + label + "  ");
  if (at == std::string::npos) {
    return "";
  }
  ++at;
  return text.substr(at, text.find('\n', at) - at);
}

}  // namespace

TEST_CASE("diff compares counts, decimals and names with exact deltas", "[reports][diff]") {
  auto diff = diff_reports(old_report(), new_report());
  REQUIRE(diff);
  const FigureChange* incidents = find(*diff, "security incidents");
  REQUIRE(incidents != nullptr);
  CHECK(incidents->pointer == "/security/incidents/total");
  CHECK(incidents->old_value == "23");
  CHECK(incidents->new_value == "11");
  CHECK(incidents->delta == "-12");
  CHECK(incidents->is_integer);

  const FigureChange* mean = find(*diff, "quality mean");
  REQUIRE(mean != nullptr);
  CHECK(mean->old_value == "6.2");
  CHECK(mean->new_value == "7.4");
  CHECK(mean->delta == "+1.2");
  CHECK_FALSE(mean->is_integer);

  // Money: exact decimal arithmetic, as many fraction digits as the finer side.
  CHECK(find(*diff, "upsell revenue usd")->delta == "+49.97");
  CHECK(find(*diff, "all messages: cost usd")->delta == "+0.321");
  CHECK(find(*diff, "all messages: latency p95 ms")->delta == "-150");
  CHECK(find(*diff, "metric refund_usd")->delta == "-19.99");
  CHECK(find(*diff, "metric revenue_usd")->delta == "0");
  CHECK_FALSE(find(*diff, "metric revenue_usd")->changed());
  // Histogram buckets, one figure each.
  CHECK(find(*diff, "scores 0 to <1")->delta == "-1");
  CHECK(find(*diff, "scores 8 to <9")->delta == "+1");
  CHECK_FALSE(find(*diff, "scores 10")->changed());
  // A type or slice only one report has counts 0 on the other side.
  CHECK(find(*diff, "prompt_injection incidents")->old_value == "0");
  CHECK(find(*diff, "prompt_injection incidents")->new_value == "6");
  CHECK(find(*diff, "jailbreak incidents")->new_value == "0");
  CHECK(find(*diff, "jailbreak critical")->delta == "-23");
  CHECK(find(*diff, "model gpt-3.5/legacy: messages")->new_value == "0");
  CHECK(find(*diff, "model gpt-3.5/legacy: messages")->pointer ==
        "/operations/by_model/gpt-3.5~1legacy/messages");
  CHECK(find(*diff, "model gpt-4o: cost usd")->old_value == "0");
  CHECK(find(*diff, "model gpt-4o: cost usd")->delta == "+1.000001");
  // Rule errors and data quality.
  CHECK(find(*diff, "rule errors")->delta == "+17");
  CHECK(find(*diff, "hostile.endless_loop rule.cpu_budget")->new_value == "17");
  CHECK(find(*diff, "quarantined rules")->delta == "+1");
  CHECK(find(*diff, "rejects ingest.malformed_json")->delta == "-4");
  CHECK(find(*diff, "rejects ingest.bad_timestamp")->delta == "+3");
  // Periods from provenance.
  CHECK(diff->old_side.period == "2026-Q2");
  CHECK(diff->new_side.period == "2026-Q3");
}

TEST_CASE("diff text lists what changed per section and marks the rest", "[reports][diff]") {
  auto diff = diff_reports(old_report(), new_report());
  REQUIRE(diff);
  std::string text = render_diff_text(*diff, false);
  CHECK(text.rfind("old: 2026-Q2", 0) == 0);
  CHECK(has(text, "\nnew: 2026-Q3"));
  CHECK(has(text, "\nSecurity incidents\n"));
  CHECK(has(line_of(text, "security incidents"), "23 -> 11  (-12)"));
  CHECK(has(line_of(text, "quality mean"), "6.2 -> 7.4  (+1.2)"));
  // Unchanged figures are left out unless asked for.
  CHECK(line_of(text, "messages") == "");
  CHECK(has(text, "\nBusiness impact\n"));
  std::string all = render_diff_text(*diff, true);
  CHECK(has(line_of(all, "messages"), "317  (=)"));
  CHECK(has(line_of(all, "highest severity"), "high  (=)"));
}

TEST_CASE("a report diffed with itself has no change", "[reports][diff]") {
  auto diff = diff_reports(new_report(), new_report());
  REQUIRE(diff);
  CHECK(diff->changed_count() == 0);
  std::string text = render_diff_text(*diff, false);
  CHECK(has(text, "0 figures changed"));
  size_t sections = 0;
  for (size_t at = text.find("(no change)"); at != std::string::npos;
       at = text.find("(no change)", at + 1)) {
    ++sections;
  }
  CHECK(sections == diff->sections.size());
  CHECK(diff->sections.size() == 7);
}

TEST_CASE("diff JSON keeps integers as integers and has no floating point", "[reports][diff]") {
  auto diff = diff_reports(old_report(), new_report());
  REQUIRE(diff);
  json doc = diff_to_json(*diff, false);
  CHECK(doc["schema"] == "convaudit.diff/v1");
  CHECK(doc["changed"].get<size_t>() == diff->changed_count());
  CHECK(doc["old"]["period"] == "2026-Q2");
  const json* incidents = nullptr;
  const json* mean = nullptr;
  size_t listed = 0;
  for (const json& section : doc["sections"]) {
    for (const json& figure : section["figures"]) {
      ++listed;
      if (figure["pointer"] == "/security/incidents/total") {
        incidents = &figure;
      }
      if (figure["pointer"] == "/quality/mean") {
        mean = &figure;
      }
    }
  }
  CHECK(listed == diff->changed_count());
  REQUIRE(incidents != nullptr);
  CHECK((*incidents)["old"] == 23);
  CHECK((*incidents)["new"] == 11);
  CHECK((*incidents)["delta"] == -12);
  REQUIRE(mean != nullptr);
  CHECK((*mean)["old"] == "6.2");
  CHECK((*mean)["delta"] == "+1.2");
  std::function<void(const json&)> no_float = [&](const json& value) {
    CHECK_FALSE(value.is_number_float());
    if (value.is_structured()) {
      for (const json& child : value) {
        no_float(child);
      }
    }
  };
  no_float(diff_to_json(*diff, true));
}

TEST_CASE("diff refuses documents that are not reports", "[reports][diff]") {
  json report = new_report();
  CHECK(diff_reports(json::array(), report).error().code == ErrorCode::kBadField);
  json other = report;
  other["schema"] = "something/v2";
  auto result = diff_reports(report, other);
  REQUIRE_FALSE(result);
  CHECK(result.error().code == ErrorCode::kBadField);
  CHECK(has(result.error().message, "new"));
  // Odd values inside a report never throw: they compare as text.
  json odd = report;
  odd["security"] = "broken";
  odd["quality"]["histogram"] = json::object();
  auto tolerant = diff_reports(report, odd);
  REQUIRE(tolerant);
  CHECK(find(*tolerant, "security incidents")->new_value == "0");
}
