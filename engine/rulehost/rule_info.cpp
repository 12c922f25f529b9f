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

std::string_view field_scope_name(FieldScope scope) {
  switch (scope) {
    case FieldScope::kAll:
      return "rule, signature";
    case FieldScope::kRule:
      return "rule";
    case FieldScope::kSignature:
      return "signature";
  }
  return "rule, signature";
}

bool field_applies(const RuleField& field, RuleKind kind) {
  switch (field.scope) {
    case FieldScope::kAll:
      return true;
    case FieldScope::kRule:
      return kind != RuleKind::kSignature;
    case FieldScope::kSignature:
      return kind == RuleKind::kSignature;
  }
  return true;
}

const std::vector<RuleField>& rule_fields() {
  static const std::vector<RuleField> fields = {
      {"id", FieldType::kString, true,
       "Unique rule id, dotted lower snake: security.prompt_injection.ignore_previous",
       FieldScope::kAll},
      {"version", FieldType::kString, true, "Rule version, e.g. \"1.0.0\"", FieldScope::kAll},
      {"kind", FieldType::kString, false,
       "detector (default) | scorer | metric (signature{} declares signatures)", FieldScope::kRule},
      {"category", FieldType::kString, true,
       "security | quality | business | operations | compliance | ...", FieldScope::kAll},
      {"severity", FieldType::kString, false,
       "info | low | medium | high | critical; required for detectors and signatures (others "
       "default info)",
       FieldScope::kAll},
      {"type", FieldType::kString, false,
       "Finding type of a signature's findings, e.g. jailbreak (default: the id)",
       FieldScope::kSignature},
      {"description", FieldType::kString, true, "What the rule looks for, one sentence",
       FieldScope::kAll},
      {"references", FieldType::kStringList, false, "Links or documents behind the rule",
       FieldScope::kAll},
      {"tags", FieldType::kStringList, false, "Free-form labels", FieldScope::kAll},
      {"patterns", FieldType::kStringList, true,
       "RE2 patterns (linear time; (?i) for case-insensitive); the message hits when any matches",
       FieldScope::kSignature},
      {"roles", FieldType::kStringList, false,
       "Roles whose messages are looked at: user, assistant, system, tool, other. signature{}: "
       "default user and tool. rule{}: on_message is called only for these roles (default: "
       "every role), which saves a call per message",
       FieldScope::kAll},
      {"examples", FieldType::kExampleList, false,
       "Must fire: \"text of a user message\", or { text = ..., role = \"user\", metadata = "
       "{...}, expect = true } or { conversation = { {role = ..., text = ...}, ... }, expect = "
       "false }",
       FieldScope::kAll},
      {"negatives", FieldType::kExampleList, false,
       "Must not fire: examples as above, without expect", FieldScope::kAll},
      {"on_message", FieldType::kFunction, false,
       "function(msg, ctx), called per message (msg.signatures: ids of the signatures that hit "
       "it)",
       FieldScope::kRule},
      {"on_conversation", FieldType::kFunction, false,
       "function(conv, ctx), called once per conversation (at least one handler is required)",
       FieldScope::kRule},
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
