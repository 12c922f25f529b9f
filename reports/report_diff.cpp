#include "reports/report_diff.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string_view>
#include <utility>

namespace convaudit::reports {
namespace {

using nlohmann::json;

constexpr std::string_view kSchema = "convaudit.report/v1";
constexpr const char* kSeverities[] = {"info", "low", "medium", "high", "critical"};

using Keys = std::vector<std::string_view>;

const json& null_json() {
  static const json kNull;
  return kNull;
}

// Walks object keys; any missing key or non-object on the way gives null. Never throws.
const json& at(const json& document, const Keys& keys) {
  const json* node = &document;
  for (std::string_view key : keys) {
    if (!node->is_object()) {
      return null_json();
    }
    auto it = node->find(key);
    if (it == node->end()) {
      return null_json();
    }
    node = &*it;
  }
  return *node;
}

std::string pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string pointer_of(const Keys& keys) {
  std::string out;
  for (std::string_view key : keys) {
    out += '/';
    out += pointer_token(key);
  }
  return out;
}

// Text of a figure: integers in decimal, strings as they are, anything else as compact JSON.
std::string value_text(const json& value) {
  if (value.is_string()) {
    return value.get<std::string>();
  }
  if (value.is_null()) {
    return "";
  }
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// A decimal as an integer count of 10^-6 units plus its number of fraction digits. Accepts
// "-12.5", "3", "0.000001" (at most 6 fraction digits, at most 12 integer digits).
struct Decimal {
  int64_t micros = 0;
  int fraction_digits = 0;
};

std::optional<Decimal> parse_decimal(std::string_view text) {
  Decimal d;
  bool negative = false;
  size_t i = 0;
  if (i < text.size() && text[i] == '-') {
    negative = true;
    ++i;
  }
  int64_t whole = 0;
  size_t whole_digits = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    whole = whole * 10 + (text[i] - '0');
    ++i;
    if (++whole_digits > 12) {
      return std::nullopt;
    }
  }
  if (whole_digits == 0) {
    return std::nullopt;
  }
  int64_t fraction = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (++d.fraction_digits > 6) {
        return std::nullopt;
      }
      fraction = fraction * 10 + (text[i] - '0');
      ++i;
    }
    if (d.fraction_digits == 0) {
      return std::nullopt;
    }
  }
  if (i != text.size()) {
    return std::nullopt;
  }
  for (int k = d.fraction_digits; k < 6; ++k) {
    fraction *= 10;
  }
  d.micros = whole * 1'000'000 + fraction;
  if (negative) {
    d.micros = -d.micros;
  }
  return d;
}

int64_t power_of_ten(int exponent) {
  int64_t value = 1;
  for (int i = 0; i < exponent; ++i) {
    value *= 10;
  }
  return value;
}

std::string format_signed_decimal(int64_t micros, int fraction_digits) {
  std::string sign = micros > 0 ? "+" : (micros < 0 ? "-" : "");
  uint64_t magnitude = micros < 0 ? static_cast<uint64_t>(-(micros + 1)) + 1 : micros;
  std::string out = sign + std::to_string(magnitude / 1'000'000);
  if (fraction_digits > 0) {
    std::string fraction = std::to_string(magnitude % 1'000'000);
    fraction.insert(0, 6 - fraction.size(), '0');
    out += '.';
    out += fraction.substr(0, static_cast<size_t>(fraction_digits));
  }
  return out;
}

enum class Kind { kCount, kDecimal, kName };

class Collector {
 public:
  Collector(const json& old_report, const json& new_report) : old_(old_report), new_(new_report) {}

  void section(std::string name, std::string title) {
    sections_.push_back({std::move(name), std::move(title), {}});
  }

  // A figure at `keys` in both reports.
  void figure(const Keys& keys, std::string label, Kind kind) {
    add(pointer_of(keys), std::move(label), at(old_, keys), at(new_, keys), kind);
  }

  // A figure whose values were computed (sums over arrays).
  void computed(std::string pointer, std::string label, const json& old_value,
                const json& new_value, Kind kind) {
    add(std::move(pointer), std::move(label), old_value, new_value, kind);
  }

  std::vector<DiffSection> take() { return std::move(sections_); }

 private:
  void add(std::string pointer, std::string label, const json& old_value, const json& new_value,
           Kind kind) {
    FigureChange change;
    change.pointer = std::move(pointer);
    change.label = std::move(label);
    std::string default_text = kind == Kind::kName ? "" : "0";
    change.old_value = old_value.is_null() ? default_text : value_text(old_value);
    change.new_value = new_value.is_null() ? default_text : value_text(new_value);
    if (kind != Kind::kName) {
      auto a = parse_decimal(change.old_value);
      auto b = parse_decimal(change.new_value);
      if (a && b) {
        int digits = std::max(a->fraction_digits, b->fraction_digits);
        change.is_integer = kind == Kind::kCount && digits == 0;
        // Money trims trailing zeros as the report does; tenths keep their one digit.
        int64_t delta = b->micros - a->micros;
        while (digits > 1 && delta % 1'000'000 != 0 &&
               (delta / power_of_ten(6 - digits)) % 10 == 0) {
          --digits;
        }
        if (digits > 1 && delta % 1'000'000 == 0) {
          digits = 1;
        }
        change.delta = format_signed_decimal(delta, delta == 0 ? 0 : digits);
      }
    }
    sections_.back().figures.push_back(std::move(change));
  }

  const json& old_;
  const json& new_;
  std::vector<DiffSection> sections_;
};

// The keys of the object at `keys` in either report, sorted byte-wise.
std::set<std::string> union_keys(const json& a, const json& b, const Keys& keys) {
  std::set<std::string> out;
  for (const json* doc : {&a, &b}) {
    const json& node = at(*doc, keys);
    if (node.is_object()) {
      for (auto it = node.begin(); it != node.end(); ++it) {
        out.insert(it.key());
      }
    }
  }
  return out;
}

int64_t count_of(const json& value) {
  return value.is_number_integer() ? value.get<int64_t>() : 0;
}

// (rule_id, kind) -> count, over rules.errors.
std::map<std::pair<std::string, std::string>, int64_t> rule_error_counts(const json& report) {
  std::map<std::pair<std::string, std::string>, int64_t> out;
  const json& errors = at(report, {"rules", "errors"});
  if (errors.is_array()) {
    for (const json& error : errors) {
      auto key =
          std::make_pair(value_text(at(error, {"rule_id"})), value_text(at(error, {"kind"})));
      out[key] += count_of(at(error, {"count"}));
    }
  }
  return out;
}

int64_t quarantined_rules(const json& report) {
  int64_t n = 0;
  const json& cost = at(report, {"rules", "cost"});
  if (cost.is_array()) {
    for (const json& rule : cost) {
      n += at(rule, {"quarantined"}) == json(true) ? 1 : 0;
    }
  }
  return n;
}

ReportSide side_of(const json& report) {
  ReportSide side;
  const json& parameters = at(report, {"provenance", "parameters"});
  if (const json& period = at(parameters, {"period"}); period.is_string()) {
    side.period = period.get<std::string>();
  } else {
    std::string since = value_text(at(parameters, {"since"}));
    std::string until = value_text(at(parameters, {"until"}));
    if (!since.empty() || !until.empty()) {
      side.period = (since.empty() ? "..." : since) + " .. " + (until.empty() ? "..." : until);
    }
  }
  side.engine_version = value_text(at(report, {"provenance", "engine_version"}));
  side.first_message = value_text(at(report, {"summary", "period", "first_message"}));
  side.last_message = value_text(at(report, {"summary", "period", "last_message"}));
  return side;
}

void add_summary(Collector& c, const json& a, const json& b) {
  c.section("summary", "Summary");
  c.figure({"summary", "conversations"}, "conversations", Kind::kCount);
  c.figure({"summary", "messages"}, "messages", Kind::kCount);
  c.figure({"summary", "flagged_conversations"}, "flagged conversations", Kind::kCount);
  c.figure({"summary", "total_findings"}, "findings", Kind::kCount);
  for (const char* severity : kSeverities) {
    c.figure({"summary", "findings_by_severity", severity}, std::string("findings ") + severity,
             Kind::kCount);
  }
  for (const std::string& category : union_keys(a, b, {"summary", "findings_by_category"})) {
    c.figure({"summary", "findings_by_category", category}, category + " findings", Kind::kCount);
  }
  c.figure({"summary", "highest_severity"}, "highest severity", Kind::kName);
}

void add_security(Collector& c, const json& a, const json& b) {
  c.section("security", "Security incidents");
  c.figure({"security", "incidents", "total"}, "security incidents", Kind::kCount);
  c.figure({"security", "incidents", "blocked"}, "incidents blocked", Kind::kCount);
  c.figure({"security", "incidents", "unblocked"}, "incidents not blocked", Kind::kCount);
  for (const char* severity : kSeverities) {
    c.figure({"security", "incidents", "by_severity", severity},
             std::string("incidents ") + severity, Kind::kCount);
  }
  for (const std::string& type : union_keys(a, b, {"security", "by_type"})) {
    c.figure({"security", "by_type", type, "total"}, type + " incidents", Kind::kCount);
    c.figure({"security", "by_type", type, "blocked"}, type + " blocked", Kind::kCount);
    c.figure({"security", "by_type", type, "unblocked"}, type + " not blocked", Kind::kCount);
    for (const char* severity : kSeverities) {
      if (!at(a, {"security", "by_type", type, "by_severity", severity}).is_null() ||
          !at(b, {"security", "by_type", type, "by_severity", severity}).is_null()) {
        c.figure({"security", "by_type", type, "by_severity", severity}, type + " " + severity,
                 Kind::kCount);
      }
    }
  }
}

void add_quality(Collector& c, const json& a, const json& b) {
  c.section("quality", "Quality");
  c.figure({"quality", "scored_conversations"}, "scored conversations", Kind::kCount);
  c.figure({"quality", "mean"}, "quality mean", Kind::kDecimal);
  const json& old_histogram = at(a, {"quality", "histogram"});
  const json& new_histogram = at(b, {"quality", "histogram"});
  size_t buckets =
      std::max<size_t>(11, std::max(old_histogram.is_array() ? old_histogram.size() : 0,
                                    new_histogram.is_array() ? new_histogram.size() : 0));
  for (size_t i = 0; i < buckets; ++i) {
    auto bucket = [i](const json& histogram) -> const json& {
      return histogram.is_array() && i < histogram.size() ? histogram[i] : null_json();
    };
    std::string label =
        i == 10 ? "scores 10" : "scores " + std::to_string(i) + " to <" + std::to_string(i + 1);
    c.computed("/quality/histogram/" + std::to_string(i), label, bucket(old_histogram),
               bucket(new_histogram), Kind::kCount);
  }
  for (const std::string& issue : union_keys(a, b, {"quality", "issues"})) {
    c.figure({"quality", "issues", issue}, "issue " + issue, Kind::kCount);
  }
}

void add_business(Collector& c, const json& a, const json& b) {
  c.section("business", "Business impact");
  c.figure({"business", "upsells"}, "upsells", Kind::kCount);
  c.figure({"business", "upsell_revenue_usd"}, "upsell revenue usd", Kind::kDecimal);
  c.figure({"business", "churn_prevented"}, "churn prevented", Kind::kCount);
  c.figure({"business", "churned"}, "churned", Kind::kCount);
  c.figure({"business", "revenue_at_risk_usd"}, "revenue at risk usd", Kind::kDecimal);
  for (const std::string& metric : union_keys(a, b, {"business", "metrics"})) {
    c.figure({"business", "metrics", metric}, "metric " + metric, Kind::kDecimal);
  }
}

void add_slice(Collector& c, const Keys& base, const std::string& name) {
  struct Field {
    const char* key;
    const char* label;
    Kind kind;
  };
  static constexpr Field kFields[] = {
      {"messages", "messages", Kind::kCount},
      {"assistant_messages", "assistant messages", Kind::kCount},
      {"errors", "errors", Kind::kCount},
      {"latency_p50_ms", "latency p50 ms", Kind::kCount},
      {"latency_p95_ms", "latency p95 ms", Kind::kCount},
      {"latency_p99_ms", "latency p99 ms", Kind::kCount},
      {"tokens", "tokens", Kind::kCount},
      {"cost_usd", "cost usd", Kind::kDecimal},
  };
  for (const Field& field : kFields) {
    Keys keys(base);
    keys.push_back(field.key);
    c.figure(keys, name + " " + field.label, field.kind);
  }
}

void add_operations(Collector& c, const json& a, const json& b) {
  c.section("operations", "Operations");
  add_slice(c, {"operations", "all"}, "all messages:");
  const std::pair<const char*, const char*> dimensions[] = {
      {"by_model", "model"}, {"by_prompt_version", "prompt version"}, {"by_channel", "channel"}};
  for (const auto& [key, label] : dimensions) {
    for (const std::string& value : union_keys(a, b, {"operations", key})) {
      add_slice(c, {"operations", key, value}, std::string(label) + " " + value + ":");
    }
  }
}

void add_rules(Collector& c, const json& a, const json& b) {
  c.section("rules", "Rule errors");
  auto old_errors = rule_error_counts(a);
  auto new_errors = rule_error_counts(b);
  int64_t old_total = 0;
  int64_t new_total = 0;
  for (const auto& [key, count] : old_errors) {
    old_total += count;
  }
  for (const auto& [key, count] : new_errors) {
    new_total += count;
  }
  c.computed("/rules/errors", "rule errors", json(old_total), json(new_total), Kind::kCount);
  std::set<std::pair<std::string, std::string>> keys;
  for (const auto& [key, count] : old_errors) {
    keys.insert(key);
  }
  for (const auto& [key, count] : new_errors) {
    keys.insert(key);
  }
  for (const auto& key : keys) {
    auto count = [&key](const auto& counts) {
      auto it = counts.find(key);
      return json(it == counts.end() ? int64_t{0} : it->second);
    };
    c.computed("/rules/errors", key.first + " " + key.second, count(old_errors), count(new_errors),
               Kind::kCount);
  }
  c.computed("/rules/cost", "quarantined rules", json(quarantined_rules(a)),
             json(quarantined_rules(b)), Kind::kCount);
}

void add_data_quality(Collector& c, const json& a, const json& b) {
  c.section("data_quality", "Data quality");
  c.figure({"data_quality", "records_read"}, "records read", Kind::kCount);
  c.figure({"data_quality", "messages_accepted"}, "messages accepted", Kind::kCount);
  c.figure({"data_quality", "rejected"}, "rejected", Kind::kCount);
  for (const std::string& reason : union_keys(a, b, {"data_quality", "rejects_by_reason"})) {
    c.figure({"data_quality", "rejects_by_reason", reason}, "rejects " + reason, Kind::kCount);
  }
  c.figure({"data_quality", "duplicates_dropped"}, "duplicates dropped", Kind::kCount);
  c.figure({"data_quality", "excluded_by_period"}, "excluded by period", Kind::kCount);
}

Status check_report(const json& report, const char* which) {
  if (!report.is_object()) {
    return fail(ErrorCode::kBadField, std::string(which) + " report is not a JSON object");
  }
  const json& schema = at(report, {"schema"});
  if (!schema.is_string() || schema.get<std::string>() != kSchema) {
    return fail(ErrorCode::kBadField, std::string(which) + " report is not a " +
                                          std::string(kSchema) + " document (schema " +
                                          (schema.is_null() ? "missing" : value_text(schema)) +
                                          ")");
  }
  return ok_status();
}

std::string side_text(const ReportSide& side) {
  std::string out = side.period.empty() ? "(no period)" : side.period;
  if (!side.first_message.empty()) {
    out += " [" + side.first_message + " .. " + side.last_message + "]";
  }
  if (!side.engine_version.empty()) {
    out += " engine " + side.engine_version;
  }
  return out;
}

json side_json(const ReportSide& side) {
  return json{{"period", side.period},
              {"engine_version", side.engine_version},
              {"first_message", side.first_message},
              {"last_message", side.last_message}};
}

}  // namespace

size_t ReportDiff::changed_count() const {
  size_t n = 0;
  for (const DiffSection& section : sections) {
    n += static_cast<size_t>(std::count_if(section.figures.begin(), section.figures.end(),
                                           [](const FigureChange& f) { return f.changed(); }));
  }
  return n;
}

Result<ReportDiff> diff_reports(const json& old_report, const json& new_report) {
  if (auto st = check_report(old_report, "old"); !st) {
    return fail(st.error());
  }
  if (auto st = check_report(new_report, "new"); !st) {
    return fail(st.error());
  }
  ReportDiff diff;
  diff.old_side = side_of(old_report);
  diff.new_side = side_of(new_report);
  Collector c(old_report, new_report);
  add_summary(c, old_report, new_report);
  add_security(c, old_report, new_report);
  add_quality(c, old_report, new_report);
  add_business(c, old_report, new_report);
  add_operations(c, old_report, new_report);
  add_rules(c, old_report, new_report);
  add_data_quality(c, old_report, new_report);
  diff.sections = c.take();
  return diff;
}

std::string render_diff_text(const ReportDiff& diff, bool all) {
  std::string out = "old: " + side_text(diff.old_side) + "\n";
  out += "new: " + side_text(diff.new_side) + "\n";
  out += std::to_string(diff.changed_count()) + " figures changed\n";
  for (const DiffSection& section : diff.sections) {
    out += "\n" + section.title + "\n";
    size_t width = 0;
    for (const FigureChange& f : section.figures) {
      if (all || f.changed()) {
        width = std::max(width, f.label.size());
      }
    }
    width = std::min<size_t>(width, 56);
    bool any = false;
    for (const FigureChange& f : section.figures) {
      if (!all && !f.changed()) {
        continue;
      }
      any = true;
      std::string label = f.label;
      if (label.size() < width) {
        label.append(width - label.size(), ' ');
      }
      std::string old_text = f.old_value.empty() ? "-" : f.old_value;
      std::string new_text = f.new_value.empty() ? "-" : f.new_value;
      out += "  " + label + "  ";
      if (f.changed()) {
        out += old_text + " -> " + new_text;
        if (f.delta) {
          out += "  (" + *f.delta + ")";
        }
      } else {
        out += new_text + "  (=)";
      }
      out += "\n";
    }
    if (!any) {
      out += "  (no change)\n";
    }
  }
  return out;
}

json diff_to_json(const ReportDiff& diff, bool all) {
  json sections = json::array();
  for (const DiffSection& section : diff.sections) {
    json figures = json::array();
    for (const FigureChange& f : section.figures) {
      if (!all && !f.changed()) {
        continue;
      }
      json figure{{"pointer", f.pointer}, {"label", f.label}};
      if (f.is_integer) {
        // Both parsed as integers of at most 12 digits: exact as int64.
        figure["old"] = parse_decimal(f.old_value)->micros / 1'000'000;
        figure["new"] = parse_decimal(f.new_value)->micros / 1'000'000;
        figure["delta"] = figure["new"].get<int64_t>() - figure["old"].get<int64_t>();
      } else {
        figure["old"] = f.old_value;
        figure["new"] = f.new_value;
        figure["delta"] = f.delta ? json(*f.delta) : json(nullptr);
      }
      figures.push_back(std::move(figure));
    }
    sections.push_back(
        json{{"name", section.name}, {"title", section.title}, {"figures", std::move(figures)}});
  }
  return json{{"schema", "convaudit.diff/v1"},
              {"old", side_json(diff.old_side)},
              {"new", side_json(diff.new_side)},
              {"changed", diff.changed_count()},
              {"sections", std::move(sections)}};
}

}  // namespace convaudit::reports
