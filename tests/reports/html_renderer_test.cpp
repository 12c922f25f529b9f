#include "reports/html_renderer.h"

#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "reports/report_builder.h"
#include "tests/reports/report_fixture.h"

using convaudit::reports::html_escape;
using convaudit::reports::render_html;
using nlohmann::json;

namespace {

json sample_report() {
  return json::parse(R"({
    "schema": "convaudit.report/v1",
    "summary": {"conversations": 4242, "messages": 31337, "flagged_conversations": 77,
                "total_findings": 123, "highest_severity": "critical",
                "period": {"first_message": "2026-07-01T00:00:00Z", "last_message": "2026-09-30T23:00:00Z"}},
    "security": {"incidents": {"total": 58, "blocked": 41, "unblocked": 17,
                               "by_severity": {"critical": 2, "high": 30, "medium": 26}},
                 "by_type": {"prompt_injection": {"total": 33, "blocked": 30, "unblocked": 3},
                             "jailbreak": {"total": 25, "blocked": 11, "unblocked": 14}},
                 "riskiest": [{"session_id": "<script>alert(1)</script>", "risk": 99,
                               "max_severity": "critical", "findings": 9, "rule_ids": ["a.b"]}]},
    "quality": {"scored_conversations": 4000, "mean": "7.3",
                "histogram": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], "issues": {"too_brief": 12}},
    "trends": {"weekly": [
      {"week": "2026-W27", "conversations": 300, "messages": 2000, "flagged_conversations": 5,
       "incidents": 4, "findings": 9, "quality_mean": "7.1"},
      {"week": "2026-W28", "conversations": 320, "messages": 2100, "flagged_conversations": 6,
       "incidents": 2, "findings": 7, "quality_mean": "7.4"}]},
    "review_queue": {"flagged_total": 77, "sessions": [
      {"session_id": "sess-first", "max_severity": "critical", "risk": 40, "findings": 3,
       "types": ["security/jailbreak"], "first_message": "2026-07-02T10:00:00Z", "blocked": false},
      {"session_id": "sess-second", "max_severity": "high", "risk": 14, "findings": 2,
       "types": ["security/prompt_injection"], "first_message": "2026-07-03T10:00:00Z", "blocked": true}]},
    "business": {"upsells": 12, "upsell_revenue_usd": "1499.5", "churn_prevented": 3,
                 "churned": 2, "revenue_at_risk_usd": "98", "metrics": {"revenue_usd": "1499.5"}},
    "operations": {"all": {"messages": 31337, "latency_p50_ms": 812, "latency_p95_ms": 2950,
                           "latency_p99_ms": 4100, "cost_usd": "12.5"},
                   "by_model": {"gpt-4o": {"messages": 100}}, "by_prompt_version": {}, "by_channel": {}},
    "rules": {"errors": [{"rule_id": "hostile.loop", "kind": "rule.cpu_budget", "file": "x.lua",
                          "line": 3, "count": 5, "message": "budget"}],
              "cost": [{"rule_id": "security.x", "calls": 10, "matches": 2, "budget_trips": 0,
                        "quarantined": false}]},
    "data_quality": {"records_read": 31400, "rejected": 63, "excluded_by_period": 5,
                     "rejects_by_reason": {"ingest.malformed_json": 60, "ingest.bad_timestamp": 3}},
    "provenance": {"engine_version": "0.1.0", "signing_key_id": "abcdef0123456789",
                   "demo_keys": false, "parameters": {"period": "2026-Q3"},
                   "inputs": [{"path": "logs/q3.jsonl", "sha256": "ff00", "size_bytes": 10}],
                   "rule_files": [{"name": "builtin/security/x.lua", "sha256": "aa11"}]}
  })");
}

}  // namespace

TEST_CASE("html_escape escapes markup and quotes", "[reports][html]") {
  CHECK(html_escape(R"(<a href="x">'&'</a>)") ==
        "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  CHECK(html_escape("plain") == "plain");
}

TEST_CASE("report.html shows the key figures of every section", "[reports][html]") {
  std::string html = render_html(sample_report());
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  for (const char* expected : {"2026-Q3",
                               "4242",
                               "31337",
                               "58",
                               "41 blocked, 17 not blocked",
                               "7.3",
                               "1499.5",
                               "prompt_injection",
                               "jailbreak",
                               "2026-W27",
                               "2026-W28",
                               "sess-first",
                               "sess-second",
                               "hostile.loop",
                               "rule.cpu_budget",
                               "ingest.malformed_json",
                               "logs/q3.jsonl",
                               "builtin/security/x.lua",
                               "abcdef0123456789",
                               "4100",
                               "gpt-4o"}) {
    INFO(expected);
    CHECK(html.find(expected) != std::string::npos);
  }
  // The review queue keeps the report's order (most severe first).
  CHECK(html.find("sess-first") < html.find("sess-second"));
  // Charts are inline SVG: incidents, severities, histogram, trends.
  size_t svgs = 0;
  for (size_t at = html.find("<svg"); at != std::string::npos; at = html.find("<svg", at + 1)) {
    ++svgs;
  }
  CHECK(svgs >= 5);
  CHECK(html.find("Signed with a DEMO key") == std::string::npos);
}

TEST_CASE("report.html is self-contained and escapes report strings", "[reports][html]") {
  std::string html = render_html(sample_report());
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("http://") == std::string::npos);
  CHECK(html.find("https://") == std::string::npos);
  CHECK(html.find(" src=") == std::string::npos);
  CHECK(html.find("@import") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
}

TEST_CASE("report.html warns about demo keys and survives an empty report", "[reports][html]") {
  json report = sample_report();
  report["provenance"]["demo_keys"] = true;
  CHECK(render_html(report).find("Signed with a DEMO key") != std::string::npos);
  std::string empty = render_html(json::object());
  CHECK(empty.find("</html>") != std::string::npos);
  CHECK(render_html(json::array()).find("</html>") != std::string::npos);
}

TEST_CASE("report.html links incidents, quality, business and operations to session ids",
          "[reports][html]") {
  using convaudit::reports::build_report;
  using convaudit::testing::sample_provenance;
  using convaudit::testing::sample_summary;
  std::string html = render_html(build_report(sample_summary(), sample_provenance()));
  auto section = [&html](const char* id) {
    size_t begin = html.find(std::string("<h2 id=\"") + id + "\"");
    REQUIRE(begin != std::string::npos);
    return html.substr(begin, html.find("<h2", begin + 1) - begin);
  };
  const std::string security = section("security");
  CHECK(security.find("<code>sess-a</code> <code>sess-b</code> and 2 more") != std::string::npos);
  const std::string quality = section("quality");
  CHECK(quality.find("<code>sess-brief-3</code>") != std::string::npos);
  CHECK(quality.find("<code>sess-unhelpful-2</code>") != std::string::npos);
  CHECK(quality.find("<code>sess-low-2</code>") != std::string::npos);  // bucket 2 to <3
  const std::string business = section("business");
  CHECK(business.find("<code>sess-upsell-3</code>") != std::string::npos);
  const std::string operations = section("operations");
  CHECK(operations.find("<code>sess-err-3</code>") != std::string::npos);
  CHECK(operations.find("<code>sess-slow-1</code>") != std::string::npos);
  CHECK(operations.find("41000") != std::string::npos);
}
