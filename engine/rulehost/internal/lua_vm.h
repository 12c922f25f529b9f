#pragma once
// LuaVm: one sandboxed Lua state. The only door to the Lua C API: lua_vm*.cpp own every Lua call
// and this header exposes C++ types only. One per thread; not thread-safe.
//
// Sandbox (see engine/rulehost/README.md and docs/rule-api.md):
//   - memory: a byte cap through a custom allocator (limits.memory_bytes_per_state);
//   - cpu: an instruction budget per protected call through a count hook, plus a wall-clock
//     guard (limits.wall_ms_per_call) checked in the same hook;
//   - libraries: base (filtered), string (no find/match/gmatch/gsub/dump; rep capped), table,
//     math, utf8, and `re` (RE2 via engine/match). io, os, debug, package, coroutine, load*,
//     dofile, require of files, collectgarbage, rawset are stubs that raise "blocked call: <name>";
//   - text chunks only, chunk name "@<file name>", a fresh _ENV per file.
//
// Failure kinds of a call: kRuleCpuBudget and kRuleBlockedCall and kRuleMemoryBudget cannot be
// caught by the rule's own pcall/xpcall (the sandbox versions re-raise them); anything else is
// kRuleRuntime. Each failure carries the rule file and the line where it was raised.
//
// Two modes, as in redis functions: load() runs a file's top level, where `rule{...}` and
// `signature{...}` declare rules and `disable{...}` switches off earlier packs' rules; call() runs
// one declared handler with read-only views and a `ctx` that records into a ConversationResult.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/error.h"
#include "engine/core/message.h"
#include "engine/core/result.h"
#include "engine/rulehost/rule_info.h"
#include "engine/rulehost/rule_output.h"
#include "engine/rulehost/rule_pack_loader.h"
#include "engine/rulehost/rule_set.h"

#include "redaction/redacted_conversation.h"

namespace convaudit::rulehost::internal {

// A handler kept alive in the state; 0 means "none". Valid only in the LuaVm that made it.
using HandlerRef = int;

struct DeclaredRule {
  RuleInfo info;
  HandlerRef on_message = 0;
  HandlerRef on_conversation = 0;
  bool valid = true;  // false when the declaration had a schema error
};

// What one file declared. Schema problems are listed here; the file itself ran.
struct FileDeclarations {
  std::vector<DeclaredRule> rules;
  // disable{...}: each id, with the file and line of the call (where.rule_id = the id).
  std::vector<SourceLocation> disabled;
  std::vector<Error> errors;
  std::vector<Error> warnings;
};

// Why a call (or a file's top level) stopped.
struct CallFailure {
  ErrorCode kind = ErrorCode::kRuleRuntime;
  std::string message;
  SourceLocation where;  // file and line where it was raised (the rule's own line if unknown)
};

struct VmState;

class LuaVm {
 public:
  // Error kInternal when the state cannot be created within the memory budget.
  static Result<std::unique_ptr<LuaVm>> create(const RuleLimits& limits);
  ~LuaVm();
  LuaVm(const LuaVm&) = delete;
  LuaVm& operator=(const LuaVm&) = delete;

  // Compiles `file` as text (chunk "@name") and runs its top level in declare mode under the
  // call budgets. Error kRuleSyntax (with line) when it does not compile or is bytecode; a
  // failing top level is an Error with the failure's kind.
  Result<FileDeclarations> load(const RuleSourceFile& file);

  // Sets the conversation the next call()s see. Both must outlive end_conversation().
  // `signature_hits`, when given, has one entry per message: the ids of the signatures that hit
  // it (msg.signatures in the views).
  void begin_conversation(const core::Conversation& conversation,
                          const std::vector<std::vector<redaction::PiiMention>>& pii,
                          const std::vector<std::vector<std::string>>* signature_hits = nullptr);
  void end_conversation();

  // Runs `handler` of `rule`: on_message for message `message_index`, or on_conversation when
  // `message_index` is -1. On success appends what the rule recorded to `out`; on failure `out`
  // is left as it was and the failure is returned.
  std::optional<CallFailure> call(HandlerRef handler, const RuleInfo& rule, int64_t message_index,
                                  ConversationResult& out);

  // Full garbage collection (after a memory-budget trip).
  void collect_garbage();
  uint64_t memory_used_bytes() const;

 private:
  explicit LuaVm(std::unique_ptr<VmState> state);
  std::unique_ptr<VmState> state_;
};

}  // namespace convaudit::rulehost::internal
