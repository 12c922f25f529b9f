#pragma once
// Builds the report document (report.json) from an AuditSummary and its Provenance.
// The layout is specified in docs/report-format.md. Top-level keys:
//   schema ("convaudit.report/v1"), summary, security, quality, business, operations,
//   rules (per-rule cost and errors), data_quality, provenance.
// No floating-point numbers: integers with the unit in the key name (e.g. latency_p95_ms,
// revenue_micros) or decimal strings ("7.4").

#include <nlohmann/json.hpp>

#include <string>

#include "engine/aggregate/audit_summary.h"
#include "reports/provenance.h"

namespace convaudit::reports {

nlohmann::json build_report(const aggregate::AuditSummary& summary, const Provenance& provenance);

// Canonical JSON text: keys sorted, no insignificant whitespace, UTF-8, no trailing newline.
// The same document always gives the same bytes.
std::string canonical_json(const nlohmann::json& document);

// "7.4" from 74 tenths; "-0.5" from -5.
std::string tenths_to_decimal(int64_t tenths);
// "12.345678" from micros, trailing zeros trimmed ("12.5", "0").
std::string micros_to_decimal(int64_t micros);

}  // namespace convaudit::reports
