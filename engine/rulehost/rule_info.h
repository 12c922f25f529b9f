#pragma once
// What a rule file declares about each rule (the typed metadata schema; see docs/rule-api.md).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/core/error.h"
#include "engine/core/message.h"
#include "engine/core/severity.h"

namespace convaudit::rulehost {

// detector | scorer | metric | signature
enum class RuleKind { kDetector, kScorer, kMetric, kSignature };
std::string_view rule_kind_name(RuleKind kind);
std::optional<RuleKind> parse_rule_kind(std::string_view text);

// One message of an embedded example. `metadata` is a JSON object.
struct ExampleMessage {
  std::string role = "user";
  std::string text;
  nlohmann::json metadata = nlohmann::json::object();
};

// One embedded example: a message, or a short conversation, the rule must fire on (`expect` =
// true) or must not fire on (false). "Fire" means: emits at least one finding, score or metric.
//   Lua: { text = "...", role = "user", metadata = {...}, expect = true }
//     or { conversation = { {role = "user", text = "..."}, {role = "assistant", ...} },
//          expect = false }
struct RuleExample {
  std::vector<ExampleMessage> messages;
  bool expect = true;
  int64_t line = 0;  // line of the example in the rule file, when known
};

// Declared by rule{...} (detectors, scorers, metrics) or by signature{...} (kind kSignature: data
// only, no handlers; see signature_index.h).
struct RuleInfo {
  std::string id;       // dotted lower snake, e.g. security.prompt_injection.ignore_previous
  std::string version;  // e.g. "1.0.0"
  RuleKind kind = RuleKind::kDetector;
  std::string category;  // e.g. "security", "quality", "business", "operations"
  Severity severity = Severity::kInfo;
  std::string description;
  std::vector<std::string> references;
  std::vector<std::string> tags;
  // `examples` (must fire) then `negatives` (must not; expect = false). A plain string is a
  // one-message example: the text of a user message (for a signature, of its first role).
  std::vector<RuleExample> examples;
  // Signatures only.
  std::vector<std::string> patterns;  // RE2 syntax; a message hits when any pattern matches
  // Roles looked at. signature{}: default user and tool. rule{}: on_message runs only for these
  // roles; empty = every role.
  std::vector<core::Role> roles;
  std::string type;                   // finding type; defaults to the id
  bool has_on_message = false;
  bool has_on_conversation = false;
  SourceLocation where;  // file (as the pack names it, e.g. builtin/security/x.lua) and line
};

// The rule{} / signature{} metadata schema: one table drives validation, `rules check` and
// docs/rule-api.md.
enum class FieldType { kString, kStringList, kExampleList, kFunction };
// Which declaration accepts a field: both, rule{} only or signature{} only.
enum class FieldScope { kAll, kRule, kSignature };
std::string_view field_scope_name(FieldScope scope);  // "rule, signature", "rule", "signature"
std::string_view field_type_name(FieldType type);     // "string", "list of strings", ...

struct RuleField {
  std::string_view name;
  FieldType type = FieldType::kString;
  // Required for every rule. `severity` is required for detectors only, which rule_set
  // enforces on its own (see help).
  bool required = false;
  std::string_view help;
  // Required applies within the scope: `patterns` is required in every signature{}.
  FieldScope scope = FieldScope::kAll;
};

// Every field rule{} or signature{} accepts, in documentation order. A key not listed here, or
// listed for the other declaration only, is a named warning.
const std::vector<RuleField>& rule_fields();
// The field named `name`, or nullptr.
const RuleField* find_rule_field(std::string_view name);
// Whether `field` belongs in a declaration of `kind` (signature{} for kSignature, else rule{}).
bool field_applies(const RuleField& field, RuleKind kind);

// Dotted lower snake with at least two parts: ^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$
bool is_valid_rule_id(std::string_view id);

}  // namespace convaudit::rulehost
