#pragma once
// The state shared by the lua_vm*.cpp files (the only files allowed to include <lua.hpp>).
//
// The one rule every lua_CFunction here follows: Lua errors are longjmps, so no automatic C++
// object with a non-trivial destructor may be alive across a Lua API call that can raise. C++
// results (strings, regex matches, declarations) are written into members of VmState, which
// outlives every call, and pushed from there; temporaries live in blocks that call no Lua API.

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <lua.hpp>

#include "engine/match/regex.h"
#include "engine/rulehost/internal/lua_vm.h"

namespace convaudit::rulehost::internal {

// Failures the rule's own pcall may not swallow.
enum class Fatal { kNone, kCpu, kMemory, kBlocked };

struct LuaWhere {
  std::string file;  // the rule file name (chunk name without '@')
  int64_t line = 0;
};

struct VmState {
  lua_State* lua = nullptr;
  RuleLimits limits;

  // Memory budget (the allocator's books).
  uint64_t used_bytes = 0;
  bool alloc_refused = false;  // an allocation was refused during the current protected call
  LuaWhere alloc_where;

  // Instruction budget and wall-clock guard, armed for one protected call.
  bool armed = false;
  uint64_t instructions = 0;
  int hook_count = 1;
  bool wall_clock_tripped = false;
  uint64_t deadline_ticks = 0;  // cpu_ticks() after which the call has run out of wall time

  // Classification of the current protected call.
  Fatal fatal = Fatal::kNone;
  LuaWhere fatal_where;
  LuaWhere error_where;  // where the last error was raised (set by the message handler)
  bool syntax_error = false;
  std::string last_message;

  // Declare mode (LuaVm::load).
  bool declare_mode = false;
  FileDeclarations* declarations = nullptr;
  const RuleSourceFile* file = nullptr;

  // Run mode (LuaVm::call).
  const core::Conversation* conversation = nullptr;
  const std::vector<std::vector<redaction::PiiMention>>* pii = nullptr;
  const std::vector<std::vector<std::string>>* signature_hits = nullptr;  // per message, or null
  int conversation_view = LUA_NOREF;  // registry refs, built lazily per conversation
  int message_views = LUA_NOREF;
  const RuleInfo* rule = nullptr;
  int64_t message_index = -1;
  ConversationResult* out = nullptr;

  // Made once by the sandbox builder.
  int sandbox_template = LUA_NOREF;  // the globals each file's _ENV copies
  int ctx_view = LUA_NOREF;
  int re_module = LUA_NOREF;
  int empty_view = LUA_NOREF;  // one read-only empty table: msg.pii and msg.signatures when empty
  int lazy_message_meta = LUA_NOREF;  // metatable of message views' tables: builds lazy fields

  // Scratch space for lua_CFunctions (see the rule at the top).
  std::string scratch;
  std::vector<std::string> scratch_list;
  std::optional<match::Regex::Match> scratch_match;
  // A compiled pattern. A pattern that is plain ASCII text (no metacharacter, escaped
  // punctuation allowed) also keeps that text: RE2 matches it byte for byte, so re.* search it
  // with std::string_view::find instead of a regex call (same spans, a fraction of the cost).
  // A pattern that is one character class ("[^\p{L}\p{N}]+", "[ ._-]") also keeps which ASCII
  // bytes the class matches (asked of RE2 itself, one byte at a time): on ASCII text re.gsub
  // replaces its runs (or single bytes) in one pass instead of one regex call per match.
  struct CachedPattern {
    std::unique_ptr<match::Regex> regex;
    std::optional<std::string> literal;
    std::optional<std::array<bool, 128>> ascii_class;
    bool class_repeats = false;  // "[...]+": a match is a whole run of class bytes
  };
  std::unordered_map<std::string, CachedPattern> regex_cache;
  // In front of regex_cache: the compiled pattern for each Lua pattern string seen, by the
  // string's address (a rule's pattern constant is one Lua string, so its address repeats call
  // after call). Each string object with a slot is pinned (a value in the registry table
  // `pinned_patterns`), so it stays alive and its address cannot be reused by another string:
  // a hit needs no byte comparison (patterns are kilobytes long). A hash map rather than a small
  // direct-mapped table: two hot patterns whose addresses collided there made every call copy
  // and hash the pattern.
  std::unordered_map<const char*, const CachedPattern*> regex_slots;
  int pinned_patterns = LUA_NOREF;
  size_t pinned_bytes = 0;
};

inline VmState* vm_of(lua_State* lua) noexcept {
  void* ud = nullptr;
  lua_getallocf(lua, &ud);
  return static_cast<VmState*>(ud);
}

// lua_vm.cpp
// The first Lua frame at or above `level` that belongs to a rule file; false if none.
bool locate(lua_State* lua, int level, LuaWhere& out) noexcept;
// Marks the call as failed by a blocked call to `name` and raises "file:line: blocked call: name".
int raise_blocked(lua_State* lua, const char* name) noexcept;
// Raises vm->scratch as an error message with the caller's position.
int raise_scratch(lua_State* lua) noexcept;
// Replaces the table on top of the stack by a read-only proxy of it.
void make_readonly(lua_State* lua) noexcept;

// lua_vm_declare.cpp: rule{...}, signature{...} and disable{...} (declare mode).
int lua_rule(lua_State* lua) noexcept;
int lua_signature(lua_State* lua) noexcept;
int lua_disable(lua_State* lua) noexcept;

// lua_vm_views.cpp: run-time views, ctx and the re module.
void ensure_views(lua_State* lua, VmState* vm) noexcept;
void release_views(lua_State* lua, VmState* vm) noexcept;
// Before pairs() walks a view's table (at `table`): builds a message view's lazy fields, so the
// walk sees every field. Does nothing for other tables. Raises on a view kept from an earlier
// conversation.
void build_lazy_fields(lua_State* lua, int table);
void push_ctx_module(lua_State* lua) noexcept;  // the ctx table (not yet read-only)
void push_re_module(lua_State* lua) noexcept;   // the re table (not yet read-only)

}  // namespace convaudit::rulehost::internal
