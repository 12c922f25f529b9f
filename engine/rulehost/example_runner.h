#pragma once
// Example runner: checks the examples embedded in rules and signatures (`examples` must fire,
// `negatives` must not), for rule authors and `convaudit rules test`.
//
// Each example becomes a small conversation (session "example", one second between messages),
// goes through `redact` (so rules see what they see in a real run: tokens, not PII), and is run
// by a fresh RuleRunner holding only that rule, so examples cannot leak state into each other
// (the whole signature set still feeds msg.signatures). The example passes when the rule fires
// (at least one finding, score or metric) exactly when `expect` says so, and did not fail. For a
// signature that did not fire, `other_signatures` names the signatures that hit instead.
//
//   auto results = run_examples(rules, [&](core::Conversation c) {
//     return redactor.redact(std::move(c), mappings);
//   });

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/message.h"
#include "engine/core/result.h"
#include "engine/rulehost/rule_set.h"

#include "redaction/redacted_conversation.h"

namespace convaudit::rulehost {

struct ExampleResult {
  std::string rule_id;
  size_t index = 0;      // 0-based position in the rule's examples
  SourceLocation where;  // the rule file and the example's line (the rule's line if unknown)
  bool expected = true;  // the example's `expect`
  bool fired = false;
  // What the rule emitted: "finding:<type>@<message index>:<severity>", "score:<name>=<value>",
  // "metric:<name>=<value>".
  std::vector<std::string> what_fired;
  std::string error;  // a rule failure during the example (format_error text), empty if none
  bool passed = false;
  // The example's first message as the rule saw it (redacted), at most 80 bytes: names it.
  std::string text;
  // Other signatures of the set that hit the example: "<signature id>@<message index>".
  std::vector<std::string> other_signatures;
};

using RedactFunction = std::function<redaction::RedactedConversation(core::Conversation)>;

// Runs every example of every active rule, in rule id then example order. Error only when a
// runner cannot be created.
Result<std::vector<ExampleResult>> run_examples(const std::shared_ptr<const RuleSet>& rules,
                                                const RedactFunction& redact);

}  // namespace convaudit::rulehost
