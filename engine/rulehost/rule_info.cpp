#include "engine/rulehost/rule_info.h"

namespace convaudit::rulehost {

std::string_view rule_kind_name(RuleKind kind) {
  switch (kind) {
    case RuleKind::kDetector:
      return "detector";
    case RuleKind::kScorer:
      return "scorer";
    case RuleKind::kMetric:
      return "metric";
    case RuleKind::kSignature:
      return "signature";
  }
  return "detector";
}

std::optional<RuleKind> parse_rule_kind(std::string_view text) {
  if (text == "detector") {
    return RuleKind::kDetector;
  }
  if (text == "scorer") {
    return RuleKind::kScorer;
  }
  if (text == "metric") {
    return RuleKind::kMetric;
  }
  if (text == "signature") {
    return RuleKind::kSignature;
  }
  return std::nullopt;
}

std::string_view field_type_name(FieldType type) {
  switch (type) {
    case FieldType::kString:
      return "string";
    case FieldType::kStringList:
      return "list of strings";
    case FieldType::kExampleList:
      return "list of examples";
    case FieldType::kFunction:
      return "function";
  }
  return "string";
}

const std::vector<RuleField>& rule_fields() {
  static const std::vector<RuleField> fields = {
      {"id", FieldType::kString, true,
       "Unique rule id, dotted lower snake: security.prompt_injection.ignore_previous"},
      {"version", FieldType::kString, true, "Rule version, e.g. \"1.0.0\""},
      {"kind", FieldType::kString, false, "detector (default) | scorer | metric"},
      {"category", FieldType::kString, true,
       "security | quality | business | operations | compliance | ..."},
      {"severity", FieldType::kString, false,
       "info | low | medium | high | critical; required for detectors (others default info)"},
      {"description", FieldType::kString, true, "What the rule looks for, one sentence"},
      {"references", FieldType::kStringList, false, "Links or documents behind the rule"},
      {"tags", FieldType::kStringList, false, "Free-form labels"},
      {"examples", FieldType::kExampleList, false,
       "{ text = ..., role = \"user\", metadata = {...}, expect = true } or "
       "{ conversation = { {role = ..., text = ...}, ... }, expect = false }"},
      {"on_message", FieldType::kFunction, false, "function(msg, ctx), called per message"},
      {"on_conversation", FieldType::kFunction, false,
       "function(conv, ctx), called once per conversation (at least one handler is required)"},
  };
  return fields;
}

const RuleField* find_rule_field(std::string_view name) {
  for (const RuleField& field : rule_fields()) {
    if (field.name == name) {
      return &field;
    }
  }
  return nullptr;
}

bool is_valid_rule_id(std::string_view id) {
  auto is_lower = [](char c) { return c >= 'a' && c <= 'z'; };
  auto is_part_char = [&](char c) { return is_lower(c) || (c >= '0' && c <= '9') || c == '_'; };
  if (id.empty() || !is_lower(id.front())) {
    return false;
  }
  size_t dots = 0;
  bool part_empty = false;
  for (char c : id) {
    if (c == '.') {
      if (part_empty) {
        return false;
      }
      ++dots;
      part_empty = true;
    } else if (is_part_char(c)) {
      part_empty = false;
    } else {
      return false;
    }
  }
  return dots > 0 && !part_empty;
}

}  // namespace convaudit::rulehost
