#pragma once
// RuleSet: the declared, layered, checked rules of one or more packs.
//
// Phases: RuleSet::load(files) runs each file in a sandbox in declare mode (a file can only call
// rule{...} and signature{...}), validates metadata against the schema, applies layering (a rule
// from a later pack replaces the same id from an earlier pack; `disable = {...}` in a later pack
// removes ids), and is then immutable and safe to share between worker threads. Each worker
// makes its own RuleRunner from it.
//
// Load problems are diagnostics (file:line, code, rule id): errors make load() fail (syntax,
// schema, duplicate id within one pack, bad pattern); warnings (unknown key) do not.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/error.h"
#include "engine/core/result.h"
#include "engine/rulehost/rule_info.h"
#include "engine/rulehost/rule_pack_loader.h"

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

  const std::vector<RuleInfo>& rules() const { return rules_; }  // active, sorted by id
  const std::vector<RuleSourceFile>& files() const { return files_; }
  const RuleLimits& limits() const { return limits_; }

 private:
  RuleSet() = default;
  std::vector<RuleInfo> rules_;
  std::vector<RuleSourceFile> files_;
  RuleLimits limits_;
};

}  // namespace convaudit::rulehost
