#pragma once
// RuleSet: the declared, layered, checked rules of one or more packs.
//
// Phases: RuleSet::load(files) runs each file in a sandbox in declare mode (a file can only call
// rule{...}, signature{...} and disable{...}), validates metadata against the schema, applies
// layering (a rule from a later pack replaces the same id from an earlier pack;
// `disable{ "rule.id", ... }` in a pack removes those ids declared by earlier packs, before the
// pack's own rules are added, so the pack may also declare the id anew), compiles every active
// signature into one SignatureIndex, and is then immutable and safe to share between worker
// threads. Each worker makes its own RuleRunner from it.
//
// Load problems are diagnostics (file:line, code, rule id): errors make load() fail (syntax,
// schema, duplicate id within one pack, bad pattern: kBadPattern at the signature's file:line);
// warnings (unknown key, disabling an id no earlier pack declares) do not.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/error.h"
#include "engine/core/result.h"
#include "engine/rulehost/rule_info.h"
#include "engine/rulehost/rule_pack_loader.h"
#include "engine/rulehost/signature_index.h"

namespace convaudit::rulehost {

struct RuleLimits {
  uint64_t instructions_per_call = 20'000'000;  // Lua VM instructions per handler call
  uint64_t memory_bytes_per_state = 64ull << 20;
  uint64_t wall_ms_per_call = 2000;  // guard for time inside C functions
  int quarantine_after = 3;          // budget trips before a rule is switched off
};

struct LoadDiagnostics {
  std::vector<Error> errors;
  std::vector<Error> warnings;
};

class RuleSet {
 public:
  // Fails (first error) if any file has an error; `diagnostics`, when given, receives all.
  static Result<std::shared_ptr<const RuleSet>> load(std::vector<RuleSourceFile> files,
                                                     const RuleLimits& limits,
                                                     LoadDiagnostics* diagnostics = nullptr);

  // Active rules and signatures, sorted by id; disabled and overridden ones are not listed.
  const std::vector<RuleInfo>& rules() const { return rules_; }
  const std::vector<RuleSourceFile>& files() const { return files_; }
  const RuleLimits& limits() const { return limits_; }
  // The active signatures compiled into one matcher (empty when there are none).
  const SignatureIndex& signatures() const { return *signatures_; }
  // Rules switched off by disable{}: where.rule_id is the id, file:line the disable{} call.
  const std::vector<SourceLocation>& disabled() const { return disabled_; }

 private:
  RuleSet() = default;
  std::vector<RuleInfo> rules_;
  std::unique_ptr<const SignatureIndex> signatures_;
  std::vector<SourceLocation> disabled_;
  std::vector<RuleSourceFile> files_;
  RuleLimits limits_;
};

}  // namespace convaudit::rulehost
