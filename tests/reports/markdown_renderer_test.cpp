#include "reports/markdown_renderer.h"

#include <cstddef>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "reports/report_builder.h"
#include "tests/reports/report_fixture.h"

using convaudit::aggregate::AuditSummary;
using convaudit::reports::build_report;
using convaudit::reports::Provenance;
using convaudit::reports::render_markdown;
using convaudit::reports::render_summary_text;
using convaudit::testing::sample_provenance;
using convaudit::testing::sample_summary;
using nlohmann::json;

namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

size_t line_count(const std::string& text) {
  size_t n = 0;
  for (char c : text) {
    n += c == '\n' ? 1 : 0;
  }
  return n;
}

// The line of a Markdown table whose first cell is `first`.
std::string row_of(const std::string& md, const std::string& first) {
  size_t at = md.find("\n| " + first + " |");
  if (at == std::string::npos) {
    return "";
  }
  ++at;
  return md.substr(at, md.find('\n', at) - at);
}

}  // namespace

TEST_CASE("report.md states the period and the key figures", "[reports][markdown]") {
  std::string md = render_markdown(build_report(sample_summary(), sample_provenance()));
  CHECK(md.rfind("# convaudit report: 2026-Q3\n", 0) == 0);
  CHECK(has(row_of(md, "Conversations"), "| 42 |"));
  CHECK(has(row_of(md, "Messages"), "| 317 |"));
  CHECK(has(row_of(md, "Flagged conversations"), "| 9 |"));
  CHECK(has(row_of(md, "Highest severity"), "| high |"));
  CHECK(has(row_of(md, "First message"), "2026-07-01T00:00:00Z"));
  CHECK(has(row_of(md, "high"), "| 4 |"));
  // Incidents by type and severity, with a total row.
  CHECK(row_of(md, "prompt_injection") ==
        "| prompt_injection | 6 | 5 | 1 | 0 | 4 | 2 | 0 | 0 | `sess-a`, `sess-b` and 2 more |");
  CHECK(has(row_of(md, "**all**"), "| 11 | 8 | 3 |"));
  // Riskiest conversations by session id and rule ids, never text.
  CHECK(has(row_of(md, "`sess-risky-0001`"), "| 31 | high | 5 |"));
  CHECK(has(md, "`security.prompt_injection.ignore_previous`"));
  // Quality histogram: one row per bucket, 0 to 10.
  CHECK(has(md, "mean score 7.4 / 10"));
  CHECK(has(row_of(md, "8 to <9"), "| 11 |"));
  CHECK(has(row_of(md, "10"), "| 3 |"));
  CHECK(has(row_of(md, "too_brief"), "| 5 |"));
  // Business and operations as decimals.
  CHECK(has(row_of(md, "Upsell revenue (USD)"), "| 149.97 |"));
  CHECK(
      has(row_of(md, "all messages"), "| 317 | 150 | 4 | 2.67 | 812 | 2950 | 0 | 88123 | 4.321 |"));
  CHECK(has(row_of(md, "`gpt-4o`"), "| 1.000001 |"));
  CHECK(has(md, "### By Prompt version"));
  CHECK(has(md, "### By Channel"));
  // Data quality.
  CHECK(has(row_of(md, "Rejected"), "| 8 |"));
  CHECK(has(row_of(md, "`ingest.malformed_json`"), "| 5 |"));
}

TEST_CASE("report.md lists rule cost, rule errors and provenance", "[reports][markdown]") {
  AuditSummary summary = sample_summary();
  json report = build_report(summary, sample_provenance());
  std::string md = render_markdown(report);
  CHECK(row_of(md, "`hostile.endless_loop`") == "| `hostile.endless_loop` | 3 | 0 | 3 | **yes** |");
  CHECK_FALSE(has(md, "CPU ms"));
  CHECK(has(md,
            "| `hostile.endless_loop` | `rule.cpu_budget` | `rules/hostile/loop.lua:12` | 17 |"
            " instruction budget exceeded |"));
  // Provenance: inputs with digests and sizes, rule files, key ids; no demo warning.
  CHECK(has(row_of(md, "`logs/q3.jsonl`"), "`" + std::string(64, 'a') + "` | 123456 |"));
  CHECK(has(row_of(md, "`builtin/security/prompt_injection.lua`"), std::string(64, 'c')));
  CHECK(has(row_of(md, "Signing key id"), "`sig-key-7f3a`"));
  CHECK(has(row_of(md, "Vault key id"), "`vault-key-93cc`"));
  CHECK(has(row_of(md, "period"), "`2026-Q3`"));
  CHECK_FALSE(has(md, "DEMO"));
  CHECK_FALSE(has(md, "Previous report"));
}

TEST_CASE("CPU time appears in report.md only when the run's costs are given",
          "[reports][markdown]") {
  AuditSummary summary = sample_summary();
  json report = build_report(summary, sample_provenance());
  std::string md = render_markdown(report, summary.rule_costs);
  CHECK(has(md, "CPU ms"));
  // 2'500'000 ns is 2.5 ms; 987'654'321 ns is 987.654321 ms.
  CHECK(row_of(md, "`hostile.endless_loop`") ==
        "| `hostile.endless_loop` | 3 | 0 | 2.5 | 3 | **yes** |");
  CHECK(has(row_of(md, "`security.prompt_injection.ignore_previous`"), "| 987.654321 |"));
  // ...and never in the JSON the Markdown came from.
  CHECK_FALSE(has(convaudit::reports::canonical_json(report), "987654321"));
}

TEST_CASE("a demo-key report says so, and a chained one names its predecessor",
          "[reports][markdown]") {
  Provenance provenance = sample_provenance();
  provenance.demo_keys = true;
  provenance.previous_report_sha256 = std::string(64, 'e');
  std::string md = render_markdown(build_report(sample_summary(), provenance));
  CHECK(has(md, "signed with a DEMO key"));
  CHECK(has(row_of(md, "Previous report SHA-256"), std::string(64, 'e')));
}

TEST_CASE("table cells cannot break the Markdown", "[reports][markdown]") {
  AuditSummary summary = sample_summary();
  summary.riskiest[0].session_id = "a|b\nc";
  summary.rule_errors[0].message = "bad <script> | x\nnext";
  std::string md = render_markdown(build_report(summary, sample_provenance()));
  CHECK(has(md, "`a\\|b c`"));
  CHECK(has(md, "bad &lt;script&gt; \\| x next"));
  CHECK_FALSE(has(md, "<script>"));
}

TEST_CASE("the renderers take any JSON without throwing", "[reports][markdown]") {
  for (const json& odd : {json(), json::array({1, 2}), json{{"summary", "x"}},
                          json{{"quality", {{"histogram", {json(-3), "x"}}}}}}) {
    std::string md;
    REQUIRE_NOTHROW(md = render_markdown(odd));
    CHECK(has(md, "# convaudit report"));
    REQUIRE_NOTHROW(render_summary_text(odd));
  }
  // An empty run still renders every section.
  std::string md = render_markdown(build_report(AuditSummary{}, Provenance{}));
  for (const char* heading : {"## Summary", "## Security incidents", "## Quality", "## Business",
                              "## Operations", "## Rules", "## Data quality", "## Provenance"}) {
    INFO(heading);
    CHECK(has(md, heading));
  }
  CHECK(has(md, "No rule errors."));
  CHECK(md.rfind("# convaudit report: no messages\n", 0) == 0);
}

TEST_CASE("the terminal summary is a few lines with the headline figures", "[reports][summary]") {
  json report = build_report(sample_summary(), sample_provenance());
  std::string text = render_summary_text(report);
  CHECK(line_count(text) >= 6);
  CHECK(line_count(text) <= 10);
  CHECK(has(text, "2026-Q3"));
  CHECK(has(text, "conversations: 42 (9 flagged), messages: 317"));
  CHECK(has(text, "findings:      23 (high 4, medium 7, low 12; highest high)"));
  CHECK(has(text, "11 incidents (8 blocked, 3 not blocked)"));
  CHECK(has(text, "mean 7.4 / 10"));
  CHECK(has(text, "8 rejected"));
  CHECK(has(text, "rule errors:   17"));

  std::string quiet = render_summary_text(build_report(AuditSummary{}, Provenance{}));
  CHECK_FALSE(has(quiet, "rule errors"));
  CHECK(has(quiet, "findings:      0\n"));
}

TEST_CASE("report.md links quality, business and operations figures to session ids",
          "[reports][markdown]") {
  std::string md = render_markdown(build_report(sample_summary(), sample_provenance()));
  CHECK(row_of(md, "too_brief") ==
        "| too_brief | 5 | `sess-brief-1`, `sess-brief-2`, `sess-brief-3` |");
  CHECK(has(row_of(md, "2 to <3"), "`sess-low-2`"));
  CHECK(row_of(md, "upsell") ==
        "| upsell | 3 | `sess-upsell-1`, `sess-upsell-2`, `sess-upsell-3` |");
  CHECK(has(row_of(md, "`revenue_usd`"), "`sess-upsell-1` and 2 more"));
  CHECK(row_of(md, "error replies") ==
        "| error replies | 3 | `sess-err-1`, `sess-err-2`, `sess-err-3` |");
  CHECK(row_of(md, "high_latency") == "| high_latency | 1 | `sess-slow-1` |");
  CHECK(row_of(md, "`sess-slow-1`") == "| `sess-slow-1` | 41000 |");
}
