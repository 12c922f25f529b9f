#include "reports/markdown_renderer.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "reports/report_builder.h"

namespace convaudit::reports {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 5> kSeveritiesHighFirst = {"critical", "high", "medium",
                                                                  "low", "info"};

// report[key], or null when `node` is not an object or has no such key. The renderers take any
// JSON (e.g. a report.json read back from disk) and never throw on a missing part.
const json& get(const json& node, std::string_view key) {
  static const json kNull;
  if (!node.is_object()) {
    return kNull;
  }
  auto it = node.find(key);
  return it == node.end() ? kNull : *it;
}

template <class... Keys>
const json& get(const json& node, std::string_view key, Keys... more) {
  return get(get(node, key), more...);
}

// A scalar as plain text: strings as they are, integers in decimal, booleans yes/no,
// null as "-".
std::string text(const json& value) {
  switch (value.type()) {
    case json::value_t::string:
      return value.get_ref<const std::string&>();
    case json::value_t::number_integer:
      return std::to_string(value.get<int64_t>());
    case json::value_t::number_unsigned:
      return std::to_string(value.get<uint64_t>());
    case json::value_t::boolean:
      return value.get<bool>() ? "yes" : "no";
    case json::value_t::null:
      return "-";
    default:
      return value.dump(-1, ' ', false, json::error_handler_t::replace);
  }
}

uint64_t count(const json& value) {
  if (value.is_number_unsigned()) {
    return value.get<uint64_t>();
  }
  if (value.is_number_integer() && value.get<int64_t>() > 0) {
    return static_cast<uint64_t>(value.get<int64_t>());
  }
  return 0;
}

// Text that is safe inside a table cell: no line breaks, pipes escaped, no raw HTML.
std::string escape(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (char c : raw) {
    switch (c) {
      case '|':
        out += "\\|";
        break;
      case '\n':
      case '\r':
      case '\t':
        out += ' ';
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string cell(const json& value) {
  return escape(text(value));
}

// An identifier (session id, rule id, path, digest) as inline code.
std::string code(const json& value) {
  std::string raw = text(value);
  std::replace(raw.begin(), raw.end(), '`', '\'');
  std::string out = "`";
  for (char c : raw) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r' || c == '\t') {
      out += ' ';
    } else {
      out += c;
    }
  }
  out += '`';
  return out;
}

class Table {
 public:
  // Columns whose header starts with '>' are right-aligned (numbers).
  explicit Table(std::vector<std::string> headers) {
    std::string head = "|";
    std::string rule = "|";
    for (std::string& h : headers) {
      bool right = !h.empty() && h[0] == '>';
      head += " " + (right ? h.substr(1) : h) + " |";
      rule += right ? "---:|" : "---|";
    }
    text_ = head + "\n" + rule + "\n";
  }
  Table& row(const std::vector<std::string>& cells) {
    text_ += "|";
    for (const std::string& c : cells) {
      text_ += " " + c + " |";
    }
    text_ += "\n";
    ++rows_;
    return *this;
  }
  bool empty() const { return rows_ == 0; }
  std::string str() const { return text_ + "\n"; }

 private:
  std::string text_;
  size_t rows_ = 0;
};

// The report's period as a heading: the period label, else since..until, else the span of
// the messages.
std::string period_label(const json& report) {
  const json& parameters = get(report, "provenance", "parameters");
  if (get(parameters, "period").is_string()) {
    return text(get(parameters, "period"));
  }
  const json& since = get(parameters, "since");
  const json& until = get(parameters, "until");
  if (since.is_string() || until.is_string()) {
    return (since.is_string() ? text(since) : "start") + " to " +
           (until.is_string() ? text(until) : "end");
  }
  const json& period = get(report, "summary", "period");
  if (get(period, "first_message").is_string()) {
    return text(get(period, "first_message")) + " to " + text(get(period, "last_message"));
  }
  return "no messages";
}

// Severity columns in a fixed order (critical first), then any other names found.
std::vector<std::string> severity_names(const json& by_severity_objects) {
  std::vector<std::string> names(kSeveritiesHighFirst.begin(), kSeveritiesHighFirst.end());
  for (const json& by_severity : by_severity_objects) {
    if (!by_severity.is_object()) {
      continue;
    }
    for (const auto& [name, n] : by_severity.items()) {
      if (std::find(names.begin(), names.end(), name) == names.end()) {
        names.push_back(name);
      }
    }
  }
  return names;
}

// Entries of a {name: count} object, largest first, then by name.
std::vector<std::pair<std::string, uint64_t>> by_count(const json& counts) {
  std::vector<std::pair<std::string, uint64_t>> out;
  if (counts.is_object()) {
    for (const auto& [name, n] : counts.items()) {
      out.emplace_back(name, count(n));
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

void render_summary(const json& report, std::string& md) {
  const json& summary = get(report, "summary");
  md += "## Summary\n\n";
  const json& period = get(summary, "period");
  md += Table({"", ">Value"})
            .row({"First message", cell(get(period, "first_message"))})
            .row({"Last message", cell(get(period, "last_message"))})
            .row({"Conversations", cell(get(summary, "conversations"))})
            .row({"Messages", cell(get(summary, "messages"))})
            .row({"Flagged conversations", cell(get(summary, "flagged_conversations"))})
            .row({"Findings", cell(get(summary, "total_findings"))})
            .row({"Highest severity", cell(get(summary, "highest_severity"))})
            .row({"Security incidents", cell(get(report, "security", "incidents", "total"))})
            .row({"Mean quality score (0-10)", cell(get(report, "quality", "mean"))})
            .row({"Rejected input records", cell(get(report, "data_quality", "rejected"))})
            .str();
  Table severities({"Severity", ">Findings"});
  const json& by_severity = get(summary, "findings_by_severity");
  for (const std::string& name : severity_names(json::array({by_severity}))) {
    severities.row({escape(name), std::to_string(count(get(by_severity, name)))});
  }
  md += "### Findings by severity\n\n" + severities.str();
  Table categories({"Category", ">Findings"});
  for (const auto& [name, n] : by_count(get(summary, "findings_by_category"))) {
    categories.row({escape(name), std::to_string(n)});
  }
  if (!categories.empty()) {
    md += "### Findings by category\n\n" + categories.str();
  }
}

// A session sample as code-spanned ids, "and N more" when the report lists only the first ones.
std::string sessions_cell(const json& sample) {
  std::string out;
  const json& ids = get(sample, "session_ids");
  uint64_t listed = 0;
  if (ids.is_array()) {
    for (const json& id : ids) {
      out += (out.empty() ? "" : ", ") + code(id);
      ++listed;
    }
  }
  const uint64_t total = count(get(sample, "conversations"));
  if (total > listed) {
    out +=
        (out.empty() ? "" : " ") + std::string("and ") + std::to_string(total - listed) + " more";
  }
  return out;
}

// "Name | Count | Sessions" rows for a {name: count} map and its {name: session sample} map.
Table counted_sessions(const std::string& header, const json& counts, const json& samples) {
  Table table({header, ">Count", "Sessions"});
  for (const auto& [name, n] : by_count(counts)) {
    table.row({escape(name), std::to_string(n), sessions_cell(get(samples, name))});
  }
  return table;
}

void render_security(const json& report, std::string& md) {
  const json& security = get(report, "security");
  const json& incidents = get(security, "incidents");
  md += "## Security incidents\n\n";
  md += cell(get(incidents, "total")) + " incidents: " + cell(get(incidents, "blocked")) +
        " blocked, " + cell(get(incidents, "unblocked")) + " not blocked.\n\n";
  const json& by_type = get(security, "by_type");
  json all_by_severity = json::array({get(incidents, "by_severity")});
  if (by_type.is_object()) {
    for (const auto& [type, counts] : by_type.items()) {
      all_by_severity.push_back(get(counts, "by_severity"));
    }
  }
  std::vector<std::string> severities = severity_names(all_by_severity);
  std::vector<std::string> headers = {"Type", ">Total", ">Blocked", ">Not blocked"};
  for (const std::string& s : severities) {
    headers.push_back(">" + escape(s));
  }
  headers.push_back("Sessions");
  Table table(headers);
  auto add_row = [&](const std::string& label, const json& counts) {
    std::vector<std::string> cells = {label, cell(get(counts, "total")),
                                      cell(get(counts, "blocked")), cell(get(counts, "unblocked"))};
    for (const std::string& s : severities) {
      cells.push_back(std::to_string(count(get(counts, "by_severity", s))));
    }
    cells.push_back(counts.contains("sessions") ? sessions_cell(get(counts, "sessions"))
                                                : "see riskiest");
    table.row(cells);
  };
  if (by_type.is_object()) {
    for (const auto& [type, counts] : by_type.items()) {
      add_row(escape(type), counts);
    }
  }
  add_row("**all**", incidents);
  md += table.str();

  md += "### Riskiest conversations\n\n";
  Table risky({"Session", ">Risk", "Max severity", ">Findings", "Rules"});
  const json& riskiest = get(security, "riskiest");
  if (riskiest.is_array()) {
    for (const json& c : riskiest) {
      std::string rules;
      const json& ids = get(c, "rule_ids");
      if (ids.is_array()) {
        for (const json& id : ids) {
          rules += (rules.empty() ? "" : ", ") + code(id);
        }
      }
      risky.row({code(get(c, "session_id")), cell(get(c, "risk")), cell(get(c, "max_severity")),
                 cell(get(c, "findings")), rules});
    }
  }
  md += risky.empty() ? "No conversation carries risk.\n\n" : risky.str();
}

void render_quality(const json& report, std::string& md) {
  const json& quality = get(report, "quality");
  md += "## Quality\n\n";
  md += cell(get(quality, "scored_conversations")) + " scored conversations, mean score " +
        cell(get(quality, "mean")) + " / 10.\n\n";
  const json& histogram = get(quality, "histogram");
  uint64_t largest = 0;
  if (histogram.is_array()) {
    for (const json& n : histogram) {
      largest = std::max(largest, count(n));
    }
  }
  Table table({"Score", ">Conversations", "Share", "Sessions"});
  const json& histogram_sessions = get(quality, "histogram_sessions");
  if (histogram.is_array()) {
    size_t score = 0;
    for (const json& n : histogram) {
      // A bar of up to 20 characters, scaled to the largest bucket (integer arithmetic).
      uint64_t width = largest == 0 ? 0 : (count(n) * 20 + largest - 1) / largest;
      std::string bar;
      for (uint64_t i = 0; i < width; ++i) {
        bar += "\u2588";
      }
      std::string label =
          score == 10 ? "10" : std::to_string(score) + " to <" + std::to_string(score + 1);
      const json& sample = histogram_sessions.is_array() && score < histogram_sessions.size()
                               ? histogram_sessions[score]
                               : json();
      table.row({label, std::to_string(count(n)), bar, sessions_cell(sample)});
      ++score;
    }
  }
  md += table.str();
  Table issues = counted_sessions("Issue", get(quality, "issues"), get(quality, "issue_sessions"));
  if (!issues.empty()) {
    md += "### Top issues\n\n" + issues.str();
  }
}

void render_business(const json& report, std::string& md) {
  const json& business = get(report, "business");
  md += "## Business\n\n";
  md += Table({"", ">Value"})
            .row({"Upsells", cell(get(business, "upsells"))})
            .row({"Upsell revenue (USD)", cell(get(business, "upsell_revenue_usd"))})
            .row({"Churn prevented", cell(get(business, "churn_prevented"))})
            .row({"Churned", cell(get(business, "churned"))})
            .row({"Revenue at risk (USD)", cell(get(business, "revenue_at_risk_usd"))})
            .str();
  Table outcomes({"Outcome", ">Conversations", "Sessions"});
  const json& outcome_sessions = get(business, "outcome_sessions");
  if (outcome_sessions.is_object()) {
    for (const auto& [name, sample] : outcome_sessions.items()) {
      outcomes.row({escape(name), cell(get(sample, "conversations")), sessions_cell(sample)});
    }
  }
  if (!outcomes.empty()) {
    md += "### Outcomes by conversation\n\n" + outcomes.str();
  }
  Table metrics({"Metric", ">Sum", "Sessions"});
  const json& values = get(business, "metrics");
  if (values.is_object()) {
    for (const auto& [name, value] : values.items()) {
      metrics.row({code(name), cell(value), sessions_cell(get(business, "metric_sessions", name))});
    }
  }
  if (!metrics.empty()) {
    md += "### Metrics\n\n" + metrics.str();
  }
}

Table slice_table(const std::string& key_header) {
  return Table({key_header, ">Messages", ">Assistant", ">Errors", ">Error %", ">Latency p50 ms",
                ">Latency p95 ms", ">Latency p99 ms", ">Tokens", ">Cost USD"});
}

void slice_row(Table& table, const std::string& label, const json& slice) {
  table.row({label, cell(get(slice, "messages")), cell(get(slice, "assistant_messages")),
             cell(get(slice, "errors")), cell(get(slice, "error_rate_percent")),
             cell(get(slice, "latency_p50_ms")), cell(get(slice, "latency_p95_ms")),
             cell(get(slice, "latency_p99_ms")), cell(get(slice, "tokens")),
             cell(get(slice, "cost_usd"))});
}

void render_operations(const json& report, std::string& md) {
  const json& operations = get(report, "operations");
  md += "## Operations\n\n";
  Table all = slice_table("Slice");
  slice_row(all, "all messages", get(operations, "all"));
  md += all.str();
  const std::array<std::pair<const char*, const char*>, 3> dimensions = {
      {{"by_model", "Model"}, {"by_prompt_version", "Prompt version"}, {"by_channel", "Channel"}}};
  for (const auto& [key, header] : dimensions) {
    const json& slices = get(operations, key);
    Table table = slice_table(header);
    if (slices.is_object()) {
      for (const auto& [name, slice] : slices.items()) {
        slice_row(table, code(name), slice);
      }
    }
    if (!table.empty()) {
      md += "### By " + std::string(header) + "\n\n" + table.str();
    }
  }
  Table traced({"Finding", ">Conversations", "Sessions"});
  const json& errors = get(operations, "all", "error_sessions");
  if (count(get(errors, "conversations")) > 0) {
    traced.row({"error replies", cell(get(errors, "conversations")), sessions_cell(errors)});
  }
  const json& findings = get(operations, "finding_sessions");
  if (findings.is_object()) {
    for (const auto& [type, sample] : findings.items()) {
      traced.row({escape(type), cell(get(sample, "conversations")), sessions_cell(sample)});
    }
  }
  if (!traced.empty()) {
    md += "### Conversations behind the figures\n\n" + traced.str();
  }
  Table slow({"Session", ">Slowest reply ms"});
  const json& slowest = get(operations, "slowest");
  if (slowest.is_array()) {
    for (const json& c : slowest) {
      slow.row({code(get(c, "session_id")), cell(get(c, "latency_ms"))});
    }
  }
  if (!slow.empty()) {
    md += "### Slowest conversations\n\n" + slow.str();
  }
}

void render_rules(const json& report, const std::map<std::string, uint64_t>* cpu_ns,
                  std::string& md) {
  const json& rules = get(report, "rules");
  md += "## Rules\n\n### Cost per rule\n\n";
  std::vector<std::string> headers = {"Rule", ">Calls", ">Matches"};
  if (cpu_ns != nullptr) {
    headers.push_back(">CPU ms");
  }
  headers.push_back(">Budget trips");
  headers.push_back("Quarantined");
  Table cost(headers);
  const json& costs = get(rules, "cost");
  if (costs.is_array()) {
    for (const json& c : costs) {
      std::vector<std::string> cells = {code(get(c, "rule_id")), cell(get(c, "calls")),
                                        cell(get(c, "matches"))};
      if (cpu_ns != nullptr) {
        auto it = cpu_ns->find(text(get(c, "rule_id")));
        // ns / 1e6 = ms: the micro-unit formatter prints it with up to six decimals.
        cells.push_back(it == cpu_ns->end() ? "-"
                                            : micros_to_decimal(static_cast<int64_t>(
                                                  std::min<uint64_t>(it->second, INT64_MAX))));
      }
      cells.push_back(cell(get(c, "budget_trips")));
      cells.push_back(get(c, "quarantined").is_boolean() && get(c, "quarantined").get<bool>()
                          ? "**yes**"
                          : "no");
      cost.row(cells);
    }
  }
  md += cost.empty() ? "No rules ran.\n\n" : cost.str();

  md += "### Rule errors\n\n";
  Table errors({"Rule", "Kind", "Location", ">Count", "First message"});
  const json& list = get(rules, "errors");
  if (list.is_array()) {
    for (const json& e : list) {
      std::string where = text(get(e, "file"));
      if (count(get(e, "line")) > 0) {
        where += ":" + text(get(e, "line"));
      }
      errors.row({code(get(e, "rule_id")), code(get(e, "kind")), code(json(where)),
                  cell(get(e, "count")), cell(get(e, "message"))});
    }
  }
  md += errors.empty() ? "No rule errors.\n\n" : errors.str();
}

void render_data_quality(const json& report, std::string& md) {
  const json& dq = get(report, "data_quality");
  md += "## Data quality\n\n";
  md += Table({"", ">Count"})
            .row({"Records read", cell(get(dq, "records_read"))})
            .row({"Messages accepted", cell(get(dq, "messages_accepted"))})
            .row({"Rejected", cell(get(dq, "rejected"))})
            .row({"Duplicates dropped", cell(get(dq, "duplicates_dropped"))})
            .row({"Excluded by period", cell(get(dq, "excluded_by_period"))})
            .str();
  Table reasons({"Reject reason", ">Count"});
  for (const auto& [name, n] : by_count(get(dq, "rejects_by_reason"))) {
    reasons.row({code(name), std::to_string(n)});
  }
  if (!reasons.empty()) {
    md += reasons.str();
  }
}

void render_provenance(const json& report, std::string& md) {
  const json& p = get(report, "provenance");
  md += "## Provenance\n\n";
  if (get(p, "demo_keys").is_boolean() && get(p, "demo_keys").get<bool>()) {
    md +=
        "> **Warning:** this report was signed with a DEMO key. Its signature proves nothing "
        "about who made it; use `convaudit keygen` keys for real reports.\n\n";
  }
  Table facts({"", "Value"});
  facts.row({"Engine version", cell(get(p, "engine_version"))})
      .row({"Report schema", cell(get(report, "schema"))})
      .row({"Signing key id", code(get(p, "signing_key_id"))})
      .row({"Pseudonym key id", code(get(p, "pseudonym_key_id"))})
      .row({"Vault key id", code(get(p, "vault_key_id"))});
  if (get(p, "previous_report_sha256").is_string()) {
    facts.row({"Previous report SHA-256", code(get(p, "previous_report_sha256"))});
  }
  md += facts.str();

  Table parameters({"Parameter", "Value"});
  const json& params = get(p, "parameters");
  if (params.is_object()) {
    for (const auto& [key, value] : params.items()) {
      parameters.row({escape(key), code(value)});
    }
  }
  if (!parameters.empty()) {
    md += "### Parameters\n\n" + parameters.str();
  }

  md += "### Inputs\n\n";
  Table inputs({"Path", "SHA-256", ">Bytes"});
  const json& input_list = get(p, "inputs");
  if (input_list.is_array()) {
    for (const json& input : input_list) {
      inputs.row(
          {code(get(input, "path")), code(get(input, "sha256")), cell(get(input, "size_bytes"))});
    }
  }
  md += inputs.empty() ? "No inputs recorded.\n\n" : inputs.str();

  md += "### Rule files\n\n";
  Table files({"File", "SHA-256"});
  const json& file_list = get(p, "rule_files");
  if (file_list.is_array()) {
    for (const json& file : file_list) {
      files.row({code(get(file, "name")), code(get(file, "sha256"))});
    }
  }
  md += files.empty() ? "No rule files recorded.\n\n" : files.str();

  const json& rule_list = get(p, "rules");
  Table rules({"Rule", "Version", "Kind", "File"});
  if (rule_list.is_array()) {
    for (const json& rule : rule_list) {
      rules.row({code(get(rule, "id")), cell(get(rule, "version")), cell(get(rule, "kind")),
                 code(get(rule, "file"))});
    }
  }
  if (!rules.empty()) {
    md += "### Rules that ran\n\n" + rules.str();
  }
}

std::string render(const json& report, const std::map<std::string, uint64_t>* cpu_ns) {
  std::string md = "# convaudit report: " + escape(period_label(report)) + "\n\n";
  md += "Generated by convaudit " + escape(text(get(report, "provenance", "engine_version"))) +
        " from " + std::to_string(get(report, "provenance", "inputs").size()) +
        " input file(s). The signed record is report.json; this page is a rendering of it.\n\n";
  if (get(report, "provenance", "demo_keys").is_boolean() &&
      get(report, "provenance", "demo_keys").get<bool>()) {
    md += "> **Warning:** signed with a DEMO key (see Provenance).\n\n";
  }
  render_summary(report, md);
  render_security(report, md);
  render_quality(report, md);
  render_business(report, md);
  render_operations(report, md);
  render_rules(report, cpu_ns, md);
  render_data_quality(report, md);
  render_provenance(report, md);
  while (md.size() >= 2 && md[md.size() - 1] == '\n' && md[md.size() - 2] == '\n') {
    md.pop_back();
  }
  return md;
}

}  // namespace

std::string render_markdown(const json& report) {
  return render(report, nullptr);
}

std::string render_markdown(const json& report, const std::vector<rulehost::RuleCost>& rule_costs) {
  std::map<std::string, uint64_t> cpu_ns;
  for (const rulehost::RuleCost& cost : rule_costs) {
    cpu_ns[cost.rule_id] += cost.cpu_ns;
  }
  return render(report, &cpu_ns);
}

std::string render_summary_text(const json& report) {
  const json& summary = get(report, "summary");
  const json& period = get(summary, "period");
  std::string out;
  out += "period:        " + period_label(report);
  if (get(period, "first_message").is_string()) {
    out += " (messages " + text(get(period, "first_message")) + " to " +
           text(get(period, "last_message")) + ")";
  }
  out += "\n";
  out += "conversations: " + text(get(summary, "conversations")) + " (" +
         text(get(summary, "flagged_conversations")) +
         " flagged), messages: " + text(get(summary, "messages")) + "\n";
  out += "findings:      " + text(get(summary, "total_findings"));
  std::string parts;
  for (std::string_view s : kSeveritiesHighFirst) {
    uint64_t n = count(get(summary, "findings_by_severity", s));
    if (n > 0) {
      parts += (parts.empty() ? "" : ", ") + std::string(s) + " " + std::to_string(n);
    }
  }
  if (!parts.empty()) {
    out += " (" + parts + "; highest " + text(get(summary, "highest_severity")) + ")";
  }
  out += "\n";
  const json& incidents = get(report, "security", "incidents");
  out += "security:      " + text(get(incidents, "total")) + " incidents (" +
         text(get(incidents, "blocked")) + " blocked, " + text(get(incidents, "unblocked")) +
         " not blocked)\n";
  const json& quality = get(report, "quality");
  out += "quality:       mean " + text(get(quality, "mean")) + " / 10 over " +
         text(get(quality, "scored_conversations")) + " scored conversations\n";
  const json& business = get(report, "business");
  out += "business:      " + text(get(business, "upsells")) + " upsells (USD " +
         text(get(business, "upsell_revenue_usd")) + "), " +
         text(get(business, "churn_prevented")) + " churn prevented, " +
         text(get(business, "churned")) + " churned (USD " +
         text(get(business, "revenue_at_risk_usd")) + " at risk)\n";
  const json& all = get(report, "operations", "all");
  out += "operations:    latency p50 " + text(get(all, "latency_p50_ms")) + " ms, p95 " +
         text(get(all, "latency_p95_ms")) + " ms, " + text(get(all, "errors")) + " errors, " +
         text(get(all, "tokens")) + " tokens, USD " + text(get(all, "cost_usd")) + "\n";
  const json& dq = get(report, "data_quality");
  out += "data quality:  " + text(get(dq, "records_read")) + " records read, " +
         text(get(dq, "rejected")) + " rejected, " + text(get(dq, "duplicates_dropped")) +
         " duplicates dropped, " + text(get(dq, "excluded_by_period")) + " outside the period\n";
  const json& errors = get(report, "rules", "errors");
  if (errors.is_array() && !errors.empty()) {
    uint64_t total = 0;
    for (const json& e : errors) {
      total += count(get(e, "count"));
    }
    out += "rule errors:   " + std::to_string(total) + " (" + std::to_string(errors.size()) +
           " distinct; see report.md)\n";
  }
  return out;
}

}  // namespace convaudit::reports
