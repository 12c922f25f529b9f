#pragma once
// diff_reports: what changed between two report.json documents, section by section, for
// `convaudit diff OLD/report.json NEW/report.json`.
//
//   auto diff = diff_reports(old_report, new_report);      // pure: two documents in, figures out
//   std::cout << render_diff_text(*diff, /*all=*/false);   // "security incidents  23 -> 8  (-15)"
//   std::cout << canonical_json(diff_to_json(*diff, false));
//
// Every figure of the report's sections is compared: summary counts, security incidents (total,
// by severity, by type, blocked), quality (mean, histogram, issues), business figures,
// operations per slice (messages, errors, latency p50/p95/p99, tokens, cost), rule errors and
// data quality. A count that one report lacks (a type, a slice, a reject reason that occurred
// only in the other) is 0 there. Decimal strings (money, scores) are compared exactly, never
// through floating point. Session ids and provenance are not compared: only figures.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/core/result.h"

namespace convaudit::reports {

// One compared figure. Values are the report's own text: integers in decimal, decimal strings
// as written ("7.4", "12.5"), names (severities) as they are.
struct FigureChange {
  std::string
      pointer;        // JSON Pointer of the figure in report.json, e.g. "/security/incidents/total"
  std::string label;  // e.g. "security incidents", "slice model gpt-4o latency p95 ms"
  std::string old_value;
  std::string new_value;
  // new - old for numbers and decimal strings ("-15", "+1.6", "0"); nullopt for names.
  std::optional<std::string> delta;
  bool is_integer = false;  // both values are integers (the JSON form keeps them numbers)

  bool changed() const { return old_value != new_value; }
};

struct DiffSection {
  std::string name;                   // report.json key: "summary", "security", "quality", ...
  std::string title;                  // "Summary", "Security incidents", ...
  std::vector<FigureChange> figures;  // every figure compared, in a stable order
};

struct ReportSide {
  std::string period;  // provenance.parameters.period, or "since .. until", or ""
  std::string engine_version;
  std::string first_message;  // summary.period.first_message ("" when none)
  std::string last_message;
};

struct ReportDiff {
  ReportSide old_side;
  ReportSide new_side;
  std::vector<DiffSection> sections;  // summary, security, quality, business, operations,
                                      // rules, data_quality

  size_t changed_count() const;
};

// Fails with kBadField when either document is not a convaudit.report/v1 object.
Result<ReportDiff> diff_reports(const nlohmann::json& old_report, const nlohmann::json& new_report);

// Readable text: a header naming both periods, then per section the changed figures
// ("  security incidents   23 -> 8  (-15)"), or "(no change)". With `all`, unchanged figures
// too.
std::string render_diff_text(const ReportDiff& diff, bool all);

// {"schema":"convaudit.diff/v1","old":{...},"new":{...},"changed":N,
//  "sections":[{"name","title","figures":[{"pointer","label","old","new","delta"}]}]}:
// integers stay JSON integers (delta too), decimals and names are strings. Only changed
// figures unless `all`. No floating-point numbers.
nlohmann::json diff_to_json(const ReportDiff& diff, bool all);

}  // namespace convaudit::reports
