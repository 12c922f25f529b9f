#include "reports/html_renderer.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace convaudit::reports {

namespace {

using nlohmann::json;

const json& field(const json& object, std::string_view key) {
  static const json kNull;
  if (!object.is_object()) {
    return kNull;
  }
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

int64_t number(const json& value) {
  if (value.is_number_integer()) {
    return value.get<int64_t>();
  }
  if (value.is_number()) {
    return static_cast<int64_t>(value.get<double>());
  }
  return 0;
}

std::string text(const json& value) {
  if (value.is_string()) {
    return value.get<std::string>();
  }
  if (value.is_null()) {
    return "";
  }
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string esc(const json& value) {
  return html_escape(text(value));
}

std::string severity_color(std::string_view severity) {
  if (severity == "critical")
    return "#7f1d1d";
  if (severity == "high")
    return "#dc2626";
  if (severity == "medium")
    return "#f59e0b";
  if (severity == "low")
    return "#3b82f6";
  return "#94a3b8";
}

using Bars = std::vector<std::pair<std::string, int64_t>>;

// Horizontal bars with the label on the left and the value on the right.
std::string bar_chart(const Bars& bars, const std::string& title,
                      const std::vector<std::string>& colors = {}) {
  if (bars.empty()) {
    return "<p class=\"empty\">None.</p>";
  }
  int64_t max_value = 1;
  for (const auto& bar : bars) {
    max_value = std::max(max_value, bar.second);
  }
  const int row = 26;
  const int label_width = 210;
  const int bar_width = 380;
  const int height = static_cast<int>(bars.size()) * row + 8;
  std::string svg = "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 680 " +
                    std::to_string(height) + "\" width=\"680\" height=\"" + std::to_string(height) +
                    "\"><title>" + html_escape(title) + "</title>";
  for (size_t i = 0; i < bars.size(); ++i) {
    int y = static_cast<int>(i) * row + 4;
    int64_t width = bars[i].second * bar_width / max_value;
    if (bars[i].second > 0 && width < 2) {
      width = 2;
    }
    std::string color = i < colors.size() ? colors[i] : "#2563eb";
    svg += "<text x=\"" + std::to_string(label_width - 8) + "\" y=\"" + std::to_string(y + 17) +
           "\" text-anchor=\"end\">" + html_escape(bars[i].first) + "</text>";
    svg += "<rect x=\"" + std::to_string(label_width) + "\" y=\"" + std::to_string(y + 3) +
           "\" width=\"" + std::to_string(width) + "\" height=\"18\" fill=\"" + color +
           "\" rx=\"2\"/>";
    svg += "<text x=\"" + std::to_string(label_width + width + 6) + "\" y=\"" +
           std::to_string(y + 17) + "\">" + std::to_string(bars[i].second) + "</text>";
  }
  return svg + "</svg>";
}

// Vertical bars for the 0..10 quality histogram.
std::string histogram_chart(const json& histogram) {
  if (!histogram.is_array() || histogram.empty()) {
    return "<p class=\"empty\">No quality scores.</p>";
  }
  int64_t max_value = 1;
  for (const json& v : histogram) {
    max_value = std::max(max_value, number(v));
  }
  const int plot_height = 160;
  const int kTop = 22;  // room for the count above the tallest bar
  const int column = 52;
  std::string svg =
      "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 620 224\" width=\"620\" height=\"224\">"
      "<title>Quality score distribution</title>";
  for (size_t i = 0; i < histogram.size(); ++i) {
    int64_t value = number(histogram[i]);
    int64_t h = value * plot_height / max_value;
    if (value > 0 && h < 2) {
      h = 2;
    }
    int x = 30 + static_cast<int>(i) * column;
    int y = kTop + plot_height - static_cast<int>(h);
    std::string color = i < 5 ? "#dc2626" : i < 7 ? "#f59e0b" : "#16a34a";
    svg += "<rect x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) + "\" width=\"" +
           std::to_string(column - 12) + "\" height=\"" + std::to_string(h) + "\" fill=\"" + color +
           "\" rx=\"2\"/>";
    svg += "<text x=\"" + std::to_string(x + (column - 12) / 2) + "\" y=\"" +
           std::to_string(y - 4) + "\" text-anchor=\"middle\">" + std::to_string(value) + "</text>";
    svg += "<text x=\"" + std::to_string(x + (column - 12) / 2) + "\" y=\"" +
           std::to_string(kTop + plot_height + 18) + "\" text-anchor=\"middle\">" +
           std::to_string(i) + "</text>";
  }
  svg += "<text x=\"310\" y=\"220\" text-anchor=\"middle\" class=\"axis\">score (0-10)</text>";
  return svg + "</svg>";
}

// Weekly trend lines: one polyline per series over the weeks.
std::string trend_chart(const json& weekly) {
  if (!weekly.is_array() || weekly.empty()) {
    return "<p class=\"empty\">No weekly data.</p>";
  }
  struct Series {
    const char* key;
    const char* name;
    const char* color;
  };
  const Series series[] = {{"conversations", "conversations", "#2563eb"},
                           {"flagged_conversations", "flagged", "#f59e0b"},
                           {"incidents", "security incidents", "#dc2626"}};
  int64_t max_value = 1;
  for (const json& week : weekly) {
    for (const Series& s : series) {
      max_value = std::max(max_value, number(field(week, s.key)));
    }
  }
  const int left = 50;
  const int width = 600;
  const int top = 20;
  const int plot_height = 170;
  const size_t n = weekly.size();
  auto x_of = [&](size_t i) {
    return left + (n == 1 ? width / 2 : static_cast<int>(i * static_cast<size_t>(width) / (n - 1)));
  };
  auto y_of = [&](int64_t v) {
    return top + plot_height - static_cast<int>(v * plot_height / max_value);
  };
  std::string svg =
      "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 700 260\" width=\"700\" height=\"260\">"
      "<title>Weekly trends</title>";
  svg += "<line x1=\"" + std::to_string(left) + "\" y1=\"" + std::to_string(top + plot_height) +
         "\" x2=\"" + std::to_string(left + width) + "\" y2=\"" +
         std::to_string(top + plot_height) + "\" stroke=\"#94a3b8\"/>";
  svg += "<text x=\"" + std::to_string(left - 6) + "\" y=\"" + std::to_string(top + 4) +
         "\" text-anchor=\"end\" class=\"axis\">" + std::to_string(max_value) + "</text>";
  svg += "<text x=\"" + std::to_string(left - 6) + "\" y=\"" + std::to_string(top + plot_height) +
         "\" text-anchor=\"end\" class=\"axis\">0</text>";
  for (const Series& s : series) {
    std::string points;
    for (size_t i = 0; i < n; ++i) {
      points += std::to_string(x_of(i)) + "," +
                std::to_string(y_of(number(field(weekly[i], s.key)))) + " ";
    }
    svg += "<polyline fill=\"none\" stroke=\"" + std::string(s.color) +
           "\" stroke-width=\"2\" points=\"" + points + "\"/>";
    for (size_t i = 0; i < n; ++i) {
      svg += "<circle cx=\"" + std::to_string(x_of(i)) + "\" cy=\"" +
             std::to_string(y_of(number(field(weekly[i], s.key)))) + "\" r=\"3\" fill=\"" +
             s.color + "\"/>";
    }
  }
  size_t step = std::max<size_t>(1, n / 8);
  for (size_t i = 0; i < n; i += step) {
    svg += "<text x=\"" + std::to_string(x_of(i)) + "\" y=\"" +
           std::to_string(top + plot_height + 18) + "\" text-anchor=\"middle\" class=\"axis\">" +
           esc(field(weekly[i], "week")) + "</text>";
  }
  int legend_x = left;
  for (const Series& s : series) {
    svg += "<rect x=\"" + std::to_string(legend_x) +
           "\" y=\"232\" width=\"12\" height=\"12\" fill=\"" + s.color + "\"/><text x=\"" +
           std::to_string(legend_x + 16) + "\" y=\"243\">" + s.name + "</text>";
    legend_x += 190;
  }
  return svg + "</svg>";
}

std::string card(const std::string& label, const std::string& value, const std::string& note = "",
                 const std::string& css = "") {
  return "<div class=\"card" + (css.empty() ? "" : " " + css) + "\"><div class=\"value\">" +
         html_escape(value) + "</div><div class=\"label\">" + html_escape(label) + "</div>" +
         (note.empty() ? "" : "<div class=\"note\">" + html_escape(note) + "</div>") + "</div>";
}

std::string severity_badge(const json& severity) {
  std::string name = text(severity);
  return "<span class=\"badge\" style=\"background:" + severity_color(name) + "\">" +
         html_escape(name) + "</span>";
}

// A session sample as code-spanned ids, "and N more" when the report lists only the first ones.
std::string sessions_html(const json& sample) {
  std::string out;
  uint64_t listed = 0;
  const json& ids = field(sample, "session_ids");
  if (ids.is_array()) {
    for (const json& id : ids) {
      out += (out.empty() ? "" : " ") + std::string("<code>") + esc(id) + "</code>";
      ++listed;
    }
  }
  const auto total =
      static_cast<uint64_t>(std::max<int64_t>(0, number(field(sample, "conversations"))));
  if (total > listed) {
    out += " and " + std::to_string(total - listed) + " more";
  }
  return out;
}

// A table of `label | conversations | sessions` rows from a {name: session sample} map.
std::string sample_table(const json& samples, const std::string& label) {
  if (!samples.is_object() || samples.empty()) {
    return "<p class=\"empty\">None.</p>";
  }
  std::string out = "<table><thead><tr><th>" + html_escape(label) +
                    "</th><th>conversations</th><th>sessions</th></tr></thead><tbody>";
  for (const auto& [name, sample] : samples.items()) {
    out += "<tr><td>" + html_escape(name) + "</td><td class=\"n\">" +
           esc(field(sample, "conversations")) + "</td><td>" + sessions_html(sample) + "</td></tr>";
  }
  return out + "</tbody></table>";
}

std::string slice_table(const json& slices, const std::string& key_name) {
  if (!slices.is_object() || slices.empty()) {
    return "<p class=\"empty\">None.</p>";
  }
  std::string out =
      "<table><thead><tr><th>" + html_escape(key_name) +
      "</th><th>messages</th><th>assistant</th><th>errors</th><th>error %</th><th>p50 ms</th>"
      "<th>p95 ms</th><th>p99 ms</th><th>tokens</th><th>cost USD</th></tr></thead>"
      "<tbody>";
  for (const auto& [key, slice] : slices.items()) {
    out += "<tr><td>" + html_escape(key) + "</td><td class=\"n\">" + esc(field(slice, "messages")) +
           "</td><td class=\"n\">" + esc(field(slice, "assistant_messages")) +
           "</td><td class=\"n\">" + esc(field(slice, "errors")) + "</td><td class=\"n\">" +
           esc(field(slice, "error_rate_percent")) + "</td><td class=\"n\">" +
           esc(field(slice, "latency_p50_ms")) + "</td><td class=\"n\">" +
           esc(field(slice, "latency_p95_ms")) + "</td><td class=\"n\">" +
           esc(field(slice, "latency_p99_ms")) + "</td><td class=\"n\">" +
           esc(field(slice, "tokens")) + "</td><td class=\"n\">" + esc(field(slice, "cost_usd")) +
           "</td></tr>";
  }
  return out + "</tbody></table>";
}

constexpr const char* kStyle = R"css(
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #0f172a;
       margin: 0 auto; max-width: 1040px; padding: 24px; background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 2px solid #e2e8f0; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.sub { color: #475569; margin: 0 0 16px; }
.warning { background: #fef3c7; border: 1px solid #f59e0b; padding: 8px 12px; border-radius: 6px; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 12px; }
.card { border: 1px solid #e2e8f0; border-radius: 8px; padding: 12px; background: #f8fafc; }
.card .value { font-size: 26px; font-weight: 700; }
.card .label { color: #475569; }
.card .note { color: #64748b; font-size: 12px; }
.card.alert .value { color: #dc2626; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
th, td { border-bottom: 1px solid #e2e8f0; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f1f5f9; font-weight: 600; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; word-break: break-all; }
.badge { color: #fff; border-radius: 4px; padding: 1px 6px; font-size: 12px; }
.chart text { font-size: 12px; fill: #0f172a; }
.chart .axis { fill: #64748b; font-size: 11px; }
.empty { color: #64748b; font-style: italic; }
footer { margin-top: 40px; color: #64748b; font-size: 12px; }
@media print {
  body { padding: 0; max-width: none; }
  h2 { break-after: avoid; }
  table, svg, .card { break-inside: avoid; }
  .cards { grid-template-columns: repeat(4, 1fr); }
}
)css";

}  // namespace

std::string html_escape(std::string_view input) {
  std::string out;
  out.reserve(input.size());
  for (char c : input) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string render_html(const json& report) {
  const json& summary = field(report, "summary");
  const json& security = field(report, "security");
  const json& quality = field(report, "quality");
  const json& business = field(report, "business");
  const json& operations = field(report, "operations");
  const json& rules = field(report, "rules");
  const json& data_quality = field(report, "data_quality");
  const json& provenance = field(report, "provenance");
  const json& parameters = field(provenance, "parameters");
  const json& incidents = field(security, "incidents");

  std::string period = text(field(parameters, "period"));
  if (period.empty()) {
    period = text(field(field(summary, "period"), "first_message")) + " to " +
             text(field(field(summary, "period"), "last_message"));
  }

  std::string h;
  h.reserve(64 * 1024);
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
       "style-src 'unsafe-inline'\">"
       "<title>convaudit report " +
       html_escape(period) + "</title><style>" + kStyle + "</style></head><body>\n";
  h += "<h1>Compliance audit report</h1><p class=\"sub\">Period <b>" + html_escape(period) +
       "</b> &middot; engine " + esc(field(provenance, "engine_version")) +
       " &middot; signing key <code>" + esc(field(provenance, "signing_key_id")) + "</code></p>\n";
  if (field(provenance, "demo_keys").is_boolean() && field(provenance, "demo_keys").get<bool>()) {
    h += "<p class=\"warning\"><b>Signed with a DEMO key.</b> This report was made with a key "
         "folder created on first use; use <code>convaudit keygen</code> for reports you hand "
         "over.</p>\n";
  }

  // Summary cards.
  h += "<h2 id=\"summary\">Summary</h2><div class=\"cards\">";
  h += card("conversations", text(field(summary, "conversations")),
            text(field(summary, "messages")) + " messages");
  h += card("flagged conversations", text(field(summary, "flagged_conversations")),
            text(field(summary, "total_findings")) + " findings",
            number(field(summary, "flagged_conversations")) > 0 ? "alert" : "");
  h += card("security incidents", text(field(incidents, "total")),
            text(field(incidents, "blocked")) + " blocked, " + text(field(incidents, "unblocked")) +
                " not blocked",
            number(field(incidents, "unblocked")) > 0 ? "alert" : "");
  h += card("mean quality (0-10)", text(field(quality, "mean")),
            text(field(quality, "scored_conversations")) + " scored");
  h += card("highest severity", text(field(summary, "highest_severity")));
  h += card("upsell revenue (USD)", text(field(business, "upsell_revenue_usd")),
            text(field(business, "upsells")) + " upsells");
  h += card("revenue at risk (USD)", text(field(business, "revenue_at_risk_usd")),
            text(field(business, "churned")) + " churned, " +
                text(field(business, "churn_prevented")) + " prevented");
  h += card("rejected records", text(field(data_quality, "rejected")),
            text(field(data_quality, "excluded_by_period")) + " excluded by period",
            number(field(data_quality, "rejected")) > 0 ? "alert" : "");
  h += "</div>\n";

  // Security.
  h += "<h2 id=\"security\">Security incidents</h2>";
  Bars by_type;
  for (const auto& [type, counts] : field(security, "by_type").items()) {
    by_type.emplace_back(type, number(field(counts, "total")));
  }
  std::sort(by_type.begin(), by_type.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  h += "<h3>By type</h3>" + bar_chart(by_type, "Incidents by type");
  Bars by_severity;
  std::vector<std::string> colors;
  for (const char* severity : {"critical", "high", "medium", "low", "info"}) {
    const json& count = field(field(incidents, "by_severity"), severity);
    if (!count.is_null()) {
      by_severity.emplace_back(severity, number(count));
      colors.push_back(severity_color(severity));
    }
  }
  h += "<h3>By severity</h3>" + bar_chart(by_severity, "Incidents by severity", colors);
  h += "<h3>Blocked vs not blocked</h3><table><thead><tr><th>type</th><th>total</th>"
       "<th>blocked</th><th>not blocked</th><th>sessions</th></tr></thead><tbody>";
  for (const auto& [type, counts] : field(security, "by_type").items()) {
    h += "<tr><td>" + html_escape(type) + "</td><td class=\"n\">" + esc(field(counts, "total")) +
         "</td><td class=\"n\">" + esc(field(counts, "blocked")) + "</td><td class=\"n\">" +
         esc(field(counts, "unblocked")) + "</td><td>" + sessions_html(field(counts, "sessions")) +
         "</td></tr>";
  }
  h += "</tbody></table>";
  h += "<h3>Riskiest conversations</h3>";
  const json& riskiest = field(security, "riskiest");
  if (!riskiest.is_array() || riskiest.empty()) {
    h += "<p class=\"empty\">None.</p>";
  } else {
    h += "<table><thead><tr><th>session</th><th>risk</th><th>max severity</th><th>findings</th>"
         "<th>rules</th></tr></thead><tbody>";
    for (const json& r : riskiest) {
      std::string rule_ids;
      for (const json& id : field(r, "rule_ids")) {
        rule_ids += (rule_ids.empty() ? "" : ", ") + text(id);
      }
      h += "<tr><td><code>" + esc(field(r, "session_id")) + "</code></td><td class=\"n\">" +
           esc(field(r, "risk")) + "</td><td>" + severity_badge(field(r, "max_severity")) +
           "</td><td class=\"n\">" + esc(field(r, "findings")) + "</td><td class=\"mono\">" +
           html_escape(rule_ids) + "</td></tr>";
    }
    h += "</tbody></table>";
  }

  // Quality.
  h += "<h2 id=\"quality\">Quality</h2>";
  h += "<p>Mean score <b>" + esc(field(quality, "mean")) + "</b> over " +
       esc(field(quality, "scored_conversations")) + " scored conversations.</p>";
  h += histogram_chart(field(quality, "histogram"));
  Bars issues;
  for (const auto& [type, count] : field(quality, "issues").items()) {
    issues.emplace_back(type, number(count));
  }
  h += "<h3>Top issues</h3>" + bar_chart(issues, "Quality issues");
  h += sample_table(field(quality, "issue_sessions"), "issue");
  const json& histogram_sessions = field(quality, "histogram_sessions");
  if (histogram_sessions.is_array()) {
    std::string rows;
    for (size_t score = 0; score < histogram_sessions.size(); ++score) {
      const json& sample = histogram_sessions[score];
      if (number(field(sample, "conversations")) > 0 && score < 5) {
        rows += "<tr><td>" + std::to_string(score) + " to &lt;" + std::to_string(score + 1) +
                "</td><td class=\"n\">" + esc(field(sample, "conversations")) + "</td><td>" +
                sessions_html(sample) + "</td></tr>";
      }
    }
    if (!rows.empty()) {
      h += "<h3>Low scores (below 5)</h3><table><thead><tr><th>score</th><th>conversations</th>"
           "<th>sessions</th></tr></thead><tbody>" +
           rows + "</tbody></table>";
    }
  }

  // Trends.
  const json& weekly = field(field(report, "trends"), "weekly");
  h += "<h2 id=\"trends\">Weekly trends</h2>" + trend_chart(weekly);
  if (weekly.is_array() && !weekly.empty()) {
    h += "<table><thead><tr><th>week</th><th>conversations</th><th>messages</th><th>flagged</th>"
         "<th>incidents</th><th>findings</th><th>mean quality</th></tr></thead><tbody>";
    for (const json& w : weekly) {
      h += "<tr><td>" + esc(field(w, "week")) + "</td><td class=\"n\">" +
           esc(field(w, "conversations")) + "</td><td class=\"n\">" + esc(field(w, "messages")) +
           "</td><td class=\"n\">" + esc(field(w, "flagged_conversations")) +
           "</td><td class=\"n\">" + esc(field(w, "incidents")) + "</td><td class=\"n\">" +
           esc(field(w, "findings")) + "</td><td class=\"n\">" + esc(field(w, "quality_mean")) +
           "</td></tr>";
    }
    h += "</tbody></table>";
  }

  // Business.
  h += "<h2 id=\"business\">Business impact</h2><table><tbody>";
  h += "<tr><th>upsells</th><td class=\"n\">" + esc(field(business, "upsells")) + "</td></tr>";
  h += "<tr><th>upsell revenue (USD)</th><td class=\"n\">" +
       esc(field(business, "upsell_revenue_usd")) + "</td></tr>";
  h += "<tr><th>churn prevented</th><td class=\"n\">" + esc(field(business, "churn_prevented")) +
       "</td></tr>";
  h += "<tr><th>churned</th><td class=\"n\">" + esc(field(business, "churned")) + "</td></tr>";
  h += "<tr><th>revenue at risk (USD)</th><td class=\"n\">" +
       esc(field(business, "revenue_at_risk_usd")) + "</td></tr>";
  for (const auto& [name, value] : field(business, "metrics").items()) {
    h += "<tr><th>metric <code>" + html_escape(name) + "</code></th><td class=\"n\">" + esc(value) +
         "</td></tr>";
  }
  h += "</tbody></table>";
  h += "<h3>Outcomes by conversation</h3>" +
       sample_table(field(business, "outcome_sessions"), "outcome");

  // Operations.
  h += "<h2 id=\"operations\">Operations</h2><h3>All messages</h3>";
  h += slice_table(json{{"all", field(operations, "all")}}, "scope");
  h += "<h3>By model</h3>" + slice_table(field(operations, "by_model"), "model");
  h += "<h3>By prompt version</h3>" +
       slice_table(field(operations, "by_prompt_version"), "prompt version");
  h += "<h3>By channel</h3>" + slice_table(field(operations, "by_channel"), "channel");
  json traced = field(operations, "finding_sessions").is_object()
                    ? field(operations, "finding_sessions")
                    : json::object();
  const json& error_sessions = field(field(operations, "all"), "error_sessions");
  if (number(field(error_sessions, "conversations")) > 0) {
    traced["error replies"] = error_sessions;
  }
  h += "<h3>Conversations behind the figures</h3>" + sample_table(traced, "finding");
  const json& slowest = field(operations, "slowest");
  if (slowest.is_array() && !slowest.empty()) {
    h += "<h3>Slowest conversations</h3><table><thead><tr><th>session</th>"
         "<th>slowest reply ms</th></tr></thead><tbody>";
    for (const json& c : slowest) {
      h += "<tr><td><code>" + esc(field(c, "session_id")) + "</code></td><td class=\"n\">" +
           esc(field(c, "latency_ms")) + "</td></tr>";
    }
    h += "</tbody></table>";
  }

  // Review queue.
  const json& review = field(report, "review_queue");
  const json& queue = field(review, "sessions");
  h += "<h2 id=\"review\">Review queue</h2>";
  if (!queue.is_array() || queue.empty()) {
    h += "<p class=\"empty\">No flagged sessions.</p>";
  } else {
    h += "<p>" + esc(field(review, "flagged_total")) +
         " flagged sessions, most severe first; the first " + std::to_string(queue.size()) +
         " are listed.</p>";
    h += "<table><thead><tr><th>#</th><th>session</th><th>max severity</th><th>risk</th>"
         "<th>findings</th><th>types</th><th>started</th><th>blocked</th></tr></thead><tbody>";
    size_t rank = 0;
    for (const json& item : queue) {
      std::string types;
      for (const json& t : field(item, "types")) {
        types += (types.empty() ? "" : ", ") + text(t);
      }
      h += "<tr><td class=\"n\">" + std::to_string(++rank) + "</td><td><code>" +
           esc(field(item, "session_id")) + "</code></td><td>" +
           severity_badge(field(item, "max_severity")) + "</td><td class=\"n\">" +
           esc(field(item, "risk")) + "</td><td class=\"n\">" + esc(field(item, "findings")) +
           "</td><td class=\"mono\">" + html_escape(types) + "</td><td>" +
           esc(field(item, "first_message")) + "</td><td>" +
           (field(item, "blocked").is_boolean() && field(item, "blocked").get<bool>() ? "yes"
                                                                                      : "no") +
           "</td></tr>";
    }
    h += "</tbody></table>";
  }

  // Rules.
  h += "<h2 id=\"rules\">Rules: cost and errors</h2>";
  const json& errors = field(rules, "errors");
  if (errors.is_array() && !errors.empty()) {
    h += "<h3>Rule errors and quarantines</h3><table><thead><tr><th>rule</th><th>kind</th>"
         "<th>where</th><th>count</th><th>message</th></tr></thead><tbody>";
    for (const json& e : errors) {
      h += "<tr><td><code>" + esc(field(e, "rule_id")) + "</code></td><td>" +
           esc(field(e, "kind")) + "</td><td class=\"mono\">" + esc(field(e, "file")) + ":" +
           esc(field(e, "line")) + "</td><td class=\"n\">" + esc(field(e, "count")) + "</td><td>" +
           esc(field(e, "message")) + "</td></tr>";
    }
    h += "</tbody></table>";
  } else {
    h += "<p>No rule errors.</p>";
  }
  const json& cost = field(rules, "cost");
  if (cost.is_array() && !cost.empty()) {
    h += "<h3>Per-rule cost</h3><table><thead><tr><th>rule</th><th>calls</th><th>matches</th>"
         "<th>budget trips</th><th>quarantined</th></tr></thead><tbody>";
    for (const json& c : cost) {
      h += "<tr><td><code>" + esc(field(c, "rule_id")) + "</code></td><td class=\"n\">" +
           esc(field(c, "calls")) + "</td><td class=\"n\">" + esc(field(c, "matches")) +
           "</td><td class=\"n\">" + esc(field(c, "budget_trips")) + "</td><td>" +
           esc(field(c, "quarantined")) + "</td></tr>";
    }
    h += "</tbody></table>";
  }

  // Data quality.
  h += "<h2 id=\"data-quality\">Data quality</h2><table><tbody>";
  for (const char* key : {"records_read", "messages_accepted", "rejected", "duplicates_dropped",
                          "excluded_by_period"}) {
    h += "<tr><th>" + html_escape(key) + "</th><td class=\"n\">" + esc(field(data_quality, key)) +
         "</td></tr>";
  }
  h += "</tbody></table>";
  const json& reasons = field(data_quality, "rejects_by_reason");
  if (reasons.is_object() && !reasons.empty()) {
    Bars reject_bars;
    for (const auto& [reason, count] : reasons.items()) {
      reject_bars.emplace_back(reason, number(count));
    }
    h += "<h3>Rejects by reason</h3>" + bar_chart(reject_bars, "Rejects by reason");
  }

  // Provenance.
  h += "<h2 id=\"provenance\">Provenance</h2><table><tbody>";
  h += "<tr><th>engine version</th><td>" + esc(field(provenance, "engine_version")) + "</td></tr>";
  h += "<tr><th>signing key id</th><td><code>" + esc(field(provenance, "signing_key_id")) +
       "</code></td></tr>";
  h += "<tr><th>pseudonym key id</th><td><code>" + esc(field(provenance, "pseudonym_key_id")) +
       "</code></td></tr>";
  h += "<tr><th>vault key id</th><td><code>" + esc(field(provenance, "vault_key_id")) +
       "</code></td></tr>";
  if (!field(provenance, "previous_report_sha256").is_null()) {
    h += "<tr><th>previous report sha256</th><td><code>" +
         esc(field(provenance, "previous_report_sha256")) + "</code></td></tr>";
  }
  for (const auto& [key, value] : parameters.items()) {
    h += "<tr><th>parameter " + html_escape(key) + "</th><td>" + esc(value) + "</td></tr>";
  }
  h += "</tbody></table><h3>Inputs</h3><table><thead><tr><th>path</th><th>bytes</th>"
       "<th>sha256</th></tr></thead><tbody>";
  for (const json& input : field(provenance, "inputs")) {
    h += "<tr><td class=\"mono\">" + esc(field(input, "path")) + "</td><td class=\"n\">" +
         esc(field(input, "size_bytes")) + "</td><td class=\"mono\">" +
         esc(field(input, "sha256")) + "</td></tr>";
  }
  h += "</tbody></table><h3>Rule files</h3><table><thead><tr><th>file</th><th>sha256</th></tr>"
       "</thead><tbody>";
  for (const json& file : field(provenance, "rule_files")) {
    h += "<tr><td class=\"mono\">" + esc(field(file, "name")) + "</td><td class=\"mono\">" +
         esc(field(file, "sha256")) + "</td></tr>";
  }
  h += "</tbody></table>";
  h += "<footer>This page is a rendering of report.json. The signed document is report.json with "
       "its DSSE envelope report.dsse.json; verify it with <code>convaudit verify</code> or with "
       "openssl as docs/report-format.md describes.</footer>\n</body></html>\n";
  return h;
}

}  // namespace convaudit::reports
