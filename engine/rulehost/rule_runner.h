#pragma once
// RuleRunner: evaluates a RuleSet over redacted conversations. One per worker thread (it owns a
// Lua state); not thread-safe. Rules see only redacted text.
//
// For each conversation: first the signatures (RuleSet::signatures()): each message whose role
// some signature scans is matched ONCE against the whole set, and every active signature that
// hits emits a Finding (its category, type, severity; rule_id = the signature id; excerpt = a
// window of the redacted text around the first match). Then every active Lua rule's
// on_message(msg, ctx) for each message, then its on_conversation(conv, ctx).
//
// Detectors see the signature hits in the message view: `msg.signatures` is a read-only list of
// the ids (ascending) of the signatures that hit that message, e.g.
//   for _, id in ipairs(msg.signatures) do if id == "security.signature.dan_persona" then ... end
//   end
// (also in on_conversation through conv.messages[i].signatures). Every signature of the set
// feeds msg.signatures, even in a runner made for a subset of rule ids.
//
// Costs: a signature's calls are the messages it scanned, its matches the findings it emitted,
// and its cpu_ns a share of the set's matching time.
//
// A handler that errors, exceeds its instruction or memory budget or
// calls a blocked function is stopped, logged to the RuleErrorLog with file and line, and the
// other rules go on; a rule that trips a budget `quarantine_after` times is not called again. A
// handler that errors, exceeds its instruction or memory budget or calls a blocked function is
// stopped, logged to the RuleErrorLog with file and line, and the other rules go on; a rule that
// trips a budget `quarantine_after` times is not called again.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/result.h"
#include "engine/rulehost/rule_error_log.h"
#include "engine/rulehost/rule_output.h"
#include "engine/rulehost/rule_set.h"

#include "redaction/redacted_conversation.h"

namespace convaudit::rulehost {

struct RuleCost {
  std::string rule_id;
  uint64_t calls = 0;
  uint64_t matches = 0;  // findings + scores + metrics produced
  uint64_t cpu_ns = 0;
  uint64_t budget_trips = 0;
  bool quarantined = false;
};

class RuleRunner {
 public:
  static Result<std::unique_ptr<RuleRunner>> create(std::shared_ptr<const RuleSet> rules);
  // Only the rules whose ids are listed (e.g. to run one rule's examples); ids that are not
  // active in `rules` are ignored.
  static Result<std::unique_ptr<RuleRunner>> create(std::shared_ptr<const RuleSet> rules,
                                                    const std::vector<std::string>& rule_ids);
  ~RuleRunner();

  ConversationResult run(const redaction::RedactedConversation& conversation);

  const RuleErrorLog& errors() const;
  std::vector<RuleCost> costs() const;  // sorted by rule id

 private:
  struct Impl;
  explicit RuleRunner(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace convaudit::rulehost
