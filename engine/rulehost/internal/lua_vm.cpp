#include "engine/rulehost/internal/lua_vm.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "engine/core/check.h"
#include "engine/rulehost/internal/cpu_clock.h"
#include "engine/rulehost/internal/lua_vm_state.h"

namespace convaudit::rulehost::internal {

namespace {

constexpr int kHookCount = 10'000;    // instructions between two budget checks
constexpr int kTrippedHookCount = 1;  // after a trip: raise again at every instruction
constexpr size_t kMaxRepBytes = size_t{1} << 20;
constexpr size_t kMaxMessageBytes = 512;

// ---- memory budget ------------------------------------------------------------------------

void note_refused(VmState* vm) noexcept {
  vm->alloc_refused = true;
  if (vm->armed && vm->lua != nullptr) {
    // Walking the CallInfo list allocates nothing, so this is safe inside the allocator.
    vm->alloc_where.file.clear();
    vm->alloc_where.line = 0;
    locate(vm->lua, 0, vm->alloc_where);
  }
}

void* budget_alloc(void* ud, void* ptr, size_t old_size, size_t new_size) noexcept {
  auto* vm = static_cast<VmState*>(ud);
  const size_t old_bytes = ptr != nullptr ? old_size : 0;
  if (new_size == 0) {
    std::free(ptr);
    vm->used_bytes -= old_bytes;
    return nullptr;
  }
  if (new_size > old_bytes &&
      vm->used_bytes - old_bytes + new_size > vm->limits.memory_bytes_per_state) {
    note_refused(vm);
    return nullptr;
  }
  void* block = std::realloc(ptr, new_size);
  if (block == nullptr) {
    if (new_size <= old_bytes) {
      return ptr;  // Lua assumes shrinking never fails; keep the old block
    }
    note_refused(vm);
    return nullptr;
  }
  vm->used_bytes = vm->used_bytes - old_bytes + new_size;
  return block;
}

// ---- cpu budget ---------------------------------------------------------------------------

void budget_hook(lua_State* lua, lua_Debug* event) noexcept;

// Records the first failure the rule may not survive and, while a call is running, makes the
// hook fire at every instruction from now on.
void trip(lua_State* lua, VmState* vm, Fatal kind) noexcept {
  if (vm->fatal == Fatal::kNone) {
    vm->fatal = kind;
    vm->fatal_where.file.clear();
    vm->fatal_where.line = 0;
    locate(lua, 0, vm->fatal_where);
  }
  if (vm->armed && vm->hook_count != kTrippedHookCount) {
    vm->hook_count = kTrippedHookCount;
    lua_sethook(lua, budget_hook, LUA_MASKCOUNT, kTrippedHookCount);
  }
}

// The count hook. Once the call has failed in a way the rule may not survive (cpu, memory,
// blocked call), it raises at every instruction, so code that catches the error without the
// sandbox pcall (a __close handler, an xpcall message handler) cannot make progress either.
void budget_hook(lua_State* lua, lua_Debug* /*event*/) noexcept {
  VmState* vm = vm_of(lua);
  if (!vm->armed) {
    return;
  }
  if (vm->fatal == Fatal::kNone) {
    vm->instructions += static_cast<uint64_t>(vm->hook_count);
    const bool over_instructions = vm->instructions > vm->limits.instructions_per_call;
    if (!over_instructions && cpu_ticks() <= vm->deadline_ticks) {
      return;
    }
    vm->wall_clock_tripped = !over_instructions;
  }
  trip(lua, vm, Fatal::kCpu);
  lua_pushfstring(lua, "%s:%d: aborted: %s", vm->fatal_where.file.c_str(),
                  static_cast<int>(vm->fatal_where.line),
                  vm->fatal == Fatal::kCpu ? "cpu budget exceeded" : "rule already failed");
  lua_error(lua);
}

void arm(VmState& vm) noexcept {
  vm.armed = true;
  vm.instructions = 0;
  vm.wall_clock_tripped = false;
  vm.deadline_ticks =
      cpu_ticks() + std::max<uint64_t>(vm.limits.wall_ms_per_call, 1) * cpu_ticks_per_ms();
  vm.hook_count = static_cast<int>(
      std::clamp<uint64_t>(vm.limits.instructions_per_call, 1, static_cast<uint64_t>(kHookCount)));
  lua_sethook(vm.lua, budget_hook, LUA_MASKCOUNT, vm.hook_count);
}

void disarm(VmState& vm) noexcept {
  vm.armed = false;
  lua_sethook(vm.lua, nullptr, 0, 0);
}

// ---- protected entry ----------------------------------------------------------------------

// Message handler of every protected call: remembers where the error was raised and makes
// sure the error object is a string, without running any rule code (no __tostring).
int message_handler(lua_State* lua) noexcept {
  VmState* vm = vm_of(lua);
  vm->error_where.file.clear();
  vm->error_where.line = 0;
  locate(lua, 1, vm->error_where);
  if (lua_type(lua, 1) != LUA_TSTRING) {
    lua_pushfstring(lua, "(error object is a %s value)", luaL_typename(lua, 1));
  }
  return 1;
}

void clear_where(LuaWhere& where) {
  where.file.clear();
  where.line = 0;
}

// The only way C++ enters Lua: pcall `entry(arg)` with the message handler.
int run_protected(VmState& vm, lua_CFunction entry, void* arg, bool with_budget) {
  lua_State* lua = vm.lua;
  const int base = lua_gettop(lua);
  vm.fatal = Fatal::kNone;
  vm.alloc_refused = false;
  vm.syntax_error = false;
  clear_where(vm.fatal_where);
  clear_where(vm.error_where);
  clear_where(vm.alloc_where);
  vm.last_message.clear();
  lua_pushcfunction(lua, message_handler);
  lua_pushcfunction(lua, entry);
  lua_pushlightuserdata(lua, arg);
  if (with_budget) {
    arm(vm);
  }
  const int status = lua_pcall(lua, 1, 0, base + 1);
  if (with_budget) {
    disarm(vm);
  }
  if (status != LUA_OK) {
    if (lua_type(lua, -1) == LUA_TSTRING) {
      size_t size = 0;
      const char* text = lua_tolstring(lua, -1, &size);
      vm.last_message.assign(text, std::min(size, kMaxMessageBytes));
    } else {
      vm.last_message = "(error object is not a string)";
    }
    lua_pop(lua, 1);
  }
  lua_pop(lua, 1);  // the message handler
  CONVAUDIT_CHECK(lua_gettop(lua) == base);
  return status;
}

bool is_memory_failure(const VmState& vm, int status) {
  return vm.fatal == Fatal::kMemory || status == LUA_ERRMEM ||
         (vm.alloc_refused && vm.last_message.find("not enough memory") != std::string::npos);
}

// Lua prefixes messages with "chunk:line: " (the chunk name cut to LUA_IDSIZE, "..." first).
// The failure's `where` carries the location, so the prefix is dropped from the message.
std::string without_location(const std::string& message, const std::string& file) {
  for (size_t colon = message.find(':'); colon != std::string::npos;
       colon = message.find(':', colon + 1)) {
    size_t end = colon + 1;
    while (end < message.size() && message[end] >= '0' && message[end] <= '9') {
      ++end;
    }
    if (end == colon + 1 || message.compare(end, 2, ": ") != 0) {
      continue;
    }
    const std::string_view chunk(message.data(), colon);
    const bool same_file =
        chunk == file ||
        (chunk.substr(0, 3) == "..." && file.size() >= chunk.size() - 3 &&
         std::string_view(file).substr(file.size() - (chunk.size() - 3)) == chunk.substr(3));
    return same_file ? message.substr(end + 2) : message;
  }
  return message;
}

CallFailure classify(const VmState& vm, int status, const SourceLocation& fallback) {
  CallFailure failure;
  const LuaWhere* where = &vm.error_where;
  if (vm.fatal == Fatal::kCpu) {
    failure.kind = ErrorCode::kRuleCpuBudget;
    failure.message = vm.wall_clock_tripped
                          ? "cpu budget exceeded: over " +
                                std::to_string(vm.limits.wall_ms_per_call) + " ms in one call"
                          : "cpu budget exceeded: over " +
                                std::to_string(vm.limits.instructions_per_call) +
                                " instructions in one call";
    where = &vm.fatal_where;
  } else if (is_memory_failure(vm, status)) {
    failure.kind = ErrorCode::kRuleMemoryBudget;
    failure.message = "memory budget exceeded: the rule state may use " +
                      std::to_string(vm.limits.memory_bytes_per_state) + " bytes";
    where = &vm.alloc_where;
  } else if (vm.fatal == Fatal::kBlocked) {
    failure.kind = ErrorCode::kRuleBlockedCall;
    failure.message = without_location(vm.last_message, vm.fatal_where.file);
    where = &vm.fatal_where;
  } else {
    failure.kind = ErrorCode::kRuleRuntime;
    failure.message = without_location(vm.last_message, vm.error_where.file);
  }
  failure.where = fallback;
  if (!where->file.empty()) {
    failure.where.file = where->file;
    failure.where.line = where->line;
  }
  return failure;
}

// "name:12: message" -> 12 (the first ":<digits>:" in the message), 0 if none.
int64_t line_of_message(std::string_view message) {
  for (size_t colon = message.find(':'); colon != std::string_view::npos;
       colon = message.find(':', colon + 1)) {
    size_t end = colon + 1;
    int64_t line = 0;
    while (end < message.size() && message[end] >= '0' && message[end] <= '9') {
      line = line * 10 + (message[end] - '0');
      ++end;
    }
    if (end > colon + 1 && end < message.size() && message[end] == ':') {
      return line;
    }
  }
  return 0;
}

// ---- sandbox: replaced and blocked functions ----------------------------------------------

int blocked_function(lua_State* lua) noexcept {
  return raise_blocked(lua, lua_tostring(lua, lua_upvalueindex(1)));
}

// __index/__newindex of the blocked library tables (os, io, ...): any access is a blocked call.
int blocked_access(lua_State* lua) noexcept {
  const char* library = lua_tostring(lua, lua_upvalueindex(1));
  if (lua_type(lua, 2) == LUA_TSTRING) {
    lua_pushfstring(lua, "%s.%s", library, lua_tostring(lua, 2));
  } else {
    lua_pushfstring(lua, "%s[?]", library);
  }
  return raise_blocked(lua, lua_tostring(lua, -1));
}

int no_op(lua_State* /*lua*/) noexcept {
  return 0;
}

// pcall/xpcall that re-raise the failures a rule may not survive (see budget_hook).
int reraise_if_fatal(lua_State* lua, int status) noexcept {
  VmState* vm = vm_of(lua);
  if (status == LUA_ERRMEM ||
      (status != LUA_OK && vm->alloc_refused && lua_type(lua, -1) == LUA_TSTRING &&
       std::strstr(lua_tostring(lua, -1), "not enough memory") != nullptr)) {
    trip(lua, vm, Fatal::kMemory);
  }
  if (vm->fatal != Fatal::kNone) {
    return lua_error(lua);
  }
  return 0;
}

int sandbox_pcall(lua_State* lua) noexcept {
  luaL_checkany(lua, 1);
  const int status = lua_pcall(lua, lua_gettop(lua) - 1, LUA_MULTRET, 0);
  reraise_if_fatal(lua, status);
  lua_pushboolean(lua, status == LUA_OK);
  lua_insert(lua, 1);
  if (status != LUA_OK) {
    lua_settop(lua, 2);  // false, message
  }
  return lua_gettop(lua);
}

// The message handler xpcall really installs. An error raised from the count hook reaches the
// message handler while Lua still has hooks disabled (luaG_errormsg runs it before unwinding),
// so a looping user handler could never be stopped: once the call has failed for good, the
// user's handler is skipped.
int guarded_message_handler(lua_State* lua) noexcept {
  if (vm_of(lua)->fatal != Fatal::kNone) {
    return 1;
  }
  lua_pushvalue(lua, lua_upvalueindex(1));
  lua_insert(lua, 1);
  lua_call(lua, lua_gettop(lua) - 1, 1);
  return 1;
}

int sandbox_xpcall(lua_State* lua) noexcept {
  const int arguments = lua_gettop(lua);
  luaL_checktype(lua, 2, LUA_TFUNCTION);
  lua_pushvalue(lua, 2);
  lua_pushcclosure(lua, guarded_message_handler, 1);
  lua_replace(lua, 2);
  lua_pushboolean(lua, 1);
  lua_pushvalue(lua, 1);
  lua_rotate(lua, 3, 2);  // f, handler, true, f, args...
  const int status = lua_pcall(lua, arguments - 2, LUA_MULTRET, 2);
  reraise_if_fatal(lua, status);
  if (status != LUA_OK) {
    lua_pushboolean(lua, 0);
    lua_pushvalue(lua, -2);
    return 2;
  }
  return lua_gettop(lua) - 2;
}

int sandbox_setmetatable(lua_State* lua) noexcept {
  const int type = lua_type(lua, 2);
  luaL_checktype(lua, 1, LUA_TTABLE);
  luaL_argexpected(lua, type == LUA_TNIL || type == LUA_TTABLE, 2, "nil or table");
  if (type == LUA_TTABLE) {
    lua_pushliteral(lua, "__gc");
    const bool has_gc = lua_rawget(lua, 2) != LUA_TNIL;
    lua_pop(lua, 1);
    if (has_gc) {
      return raise_blocked(lua, "setmetatable with __gc");
    }
  }
  if (luaL_getmetafield(lua, 1, "__metatable") != LUA_TNIL) {
    return luaL_error(lua, "cannot change a protected metatable");
  }
  lua_settop(lua, 2);
  lua_setmetatable(lua, 1);
  return 1;
}

int sandbox_require(lua_State* lua) noexcept {
  const char* name = luaL_checkstring(lua, 1);
  if (std::strcmp(name, "convaudit.re") == 0) {
    lua_rawgeti(lua, LUA_REGISTRYINDEX, vm_of(lua)->re_module);
    return 1;
  }
  lua_pushfstring(lua, "require(\"%s\")", name);
  return raise_blocked(lua, lua_tostring(lua, -1));
}

// string.rep with a 1 MiB cap on the result.
int capped_string_rep(lua_State* lua) noexcept {
  size_t size = 0;
  size_t separator_size = 0;
  const char* text = luaL_checklstring(lua, 1, &size);
  const lua_Integer count = luaL_checkinteger(lua, 2);
  const char* separator = luaL_optlstring(lua, 3, "", &separator_size);
  if (count <= 0 || (size == 0 && separator_size == 0)) {
    lua_pushliteral(lua, "");
    return 1;
  }
  const uint64_t times = static_cast<uint64_t>(count);
  const uint64_t unit = static_cast<uint64_t>(size) + separator_size;
  if (times > (kMaxRepBytes + separator_size) / unit) {
    return luaL_error(lua, "string.rep: result larger than 1 MiB");
  }
  const size_t total = static_cast<size_t>(times * unit - separator_size);
  luaL_Buffer buffer;
  char* out = luaL_buffinitsize(lua, &buffer, total);
  for (uint64_t i = 0; i < times; ++i) {
    std::memcpy(out, text, size);
    out += size;
    if (i + 1 < times && separator_size > 0) {
      std::memcpy(out, separator, separator_size);
      out += separator_size;
    }
  }
  luaL_pushresultsize(&buffer, total);
  return 1;
}

void set_function(lua_State* lua, int table, const char* name, lua_CFunction fn) {
  lua_pushcfunction(lua, fn);
  lua_setfield(lua, table, name);
}

void set_blocked(lua_State* lua, int table, const char* name, const char* shown) {
  lua_pushstring(lua, shown);
  lua_pushcclosure(lua, blocked_function, 1);
  lua_setfield(lua, table, name);
}

void set_blocked_library(lua_State* lua, int table, const char* name) {
  lua_createtable(lua, 0, 0);
  lua_createtable(lua, 0, 3);
  lua_pushstring(lua, name);
  lua_pushcclosure(lua, blocked_access, 1);
  lua_pushvalue(lua, -1);
  lua_setfield(lua, -3, "__index");
  lua_setfield(lua, -2, "__newindex");
  lua_pushliteral(lua, "blocked");
  lua_setfield(lua, -2, "__metatable");
  lua_setmetatable(lua, -2);
  lua_setfield(lua, table, name);
}

void copy_field(lua_State* lua, int from, int to, const char* name) {
  lua_getfield(lua, from, name);
  lua_setfield(lua, to, name);
}

// Builds the template of every file's globals. Runs once per state, in protected mode.
int entry_build_sandbox(lua_State* lua) noexcept {
  VmState* vm = vm_of(lua);
  luaL_requiref(lua, LUA_GNAME, luaopen_base, 0);
  const int base = lua_gettop(lua);
  luaL_requiref(lua, LUA_STRLIBNAME, luaopen_string, 0);
  const int string = lua_gettop(lua);
  luaL_requiref(lua, LUA_TABLIBNAME, luaopen_table, 0);
  const int table = lua_gettop(lua);
  luaL_requiref(lua, LUA_MATHLIBNAME, luaopen_math, 0);
  const int math = lua_gettop(lua);
  luaL_requiref(lua, LUA_UTF8LIBNAME, luaopen_utf8, 0);
  const int utf8 = lua_gettop(lua);

  lua_createtable(lua, 0, 48);
  const int env = lua_gettop(lua);
  for (const char* name :
       {"assert", "error", "ipairs", "next", "pairs", "select", "tonumber", "tostring", "type",
        "rawequal", "rawlen", "rawget", "getmetatable", "_VERSION"}) {
    copy_field(lua, base, env, name);
  }
  set_function(lua, env, "pcall", sandbox_pcall);
  set_function(lua, env, "xpcall", sandbox_xpcall);
  set_function(lua, env, "setmetatable", sandbox_setmetatable);
  set_function(lua, env, "require", sandbox_require);
  set_function(lua, env, "print", no_op);
  for (const char* name : {"load", "loadfile", "dofile", "loadstring", "collectgarbage", "rawset",
                           "warn", "setfenv", "getfenv", "module"}) {
    set_blocked(lua, env, name, name);
  }
  set_function(lua, env, "rule", lua_rule);
  set_function(lua, env, "signature", lua_signature);
  set_function(lua, env, "disable", lua_disable);

  // string: no Lua patterns (not linear time: use re.*), no dump, rep capped.
  for (const char* name : {"find", "match", "gmatch", "gsub"}) {
    lua_pushfstring(lua, "string.%s (use re.%s)", name,
                    std::strcmp(name, "gmatch") == 0 ? "split" : name);
    lua_pushcclosure(lua, blocked_function, 1);
    lua_setfield(lua, string, name);
  }
  set_blocked(lua, string, "dump", "string.dump");
  set_blocked(lua, string, "pack", "string.pack");
  set_blocked(lua, string, "unpack", "string.unpack");
  set_blocked(lua, string, "packsize", "string.packsize");
  set_function(lua, string, "rep", capped_string_rep);
  // math.random is deterministic per state; reseeding is blocked.
  lua_getfield(lua, math, "randomseed");
  lua_pushinteger(lua, 20260714);
  lua_call(lua, 1, 0);
  set_blocked(lua, math, "randomseed", "math.randomseed");

  // Read-only library tables, so one file cannot change what another sees.
  lua_pushvalue(lua, string);
  make_readonly(lua);
  lua_pushliteral(lua, "");
  lua_getmetatable(lua, -1);  // the string metatable: its __index becomes the read-only copy
  lua_pushvalue(lua, -3);
  lua_setfield(lua, -2, "__index");
  lua_pushliteral(lua, "string");
  lua_setfield(lua, -2, "__metatable");
  lua_pop(lua, 2);
  lua_setfield(lua, env, "string");
  const std::pair<int, const char*> libraries[] = {
      {table, "table"}, {math, "math"}, {utf8, "utf8"}};
  for (const auto& [index, name] : libraries) {
    lua_pushvalue(lua, index);
    make_readonly(lua);
    lua_setfield(lua, env, name);
  }
  push_re_module(lua);
  make_readonly(lua);
  lua_pushvalue(lua, -1);
  vm->re_module = luaL_ref(lua, LUA_REGISTRYINDEX);
  lua_setfield(lua, env, "re");
  for (const char* name : {"os", "io", "debug", "package", "coroutine"}) {
    set_blocked_library(lua, env, name);
  }

  push_ctx_module(lua);
  make_readonly(lua);
  vm->ctx_view = luaL_ref(lua, LUA_REGISTRYINDEX);
  lua_createtable(lua, 0, 0);
  make_readonly(lua);
  vm->empty_view = luaL_ref(lua, LUA_REGISTRYINDEX);
  lua_pushvalue(lua, env);
  vm->sandbox_template = luaL_ref(lua, LUA_REGISTRYINDEX);
  return 0;
}

// A fresh _ENV for one file: a copy of the template, with _G pointing to itself.
void push_file_env(lua_State* lua, VmState* vm) {
  lua_createtable(lua, 0, 48);
  lua_rawgeti(lua, LUA_REGISTRYINDEX, vm->sandbox_template);
  lua_pushnil(lua);
  while (lua_next(lua, -2) != 0) {
    lua_pushvalue(lua, -2);
    lua_insert(lua, -2);
    lua_rawset(lua, -5);
  }
  lua_pop(lua, 1);
  lua_pushvalue(lua, -1);
  lua_setfield(lua, -2, "_G");
}

int entry_load(lua_State* lua) noexcept {
  VmState* vm = vm_of(lua);
  const auto* file = static_cast<const RuleSourceFile*>(lua_touserdata(lua, 1));
  lua_pushliteral(lua, "@");
  lua_pushlstring(lua, file->name.data(), file->name.size());
  lua_concat(lua, 2);
  const int status =
      luaL_loadbufferx(lua, file->content.data(), file->content.size(), lua_tostring(lua, -1), "t");
  if (status != LUA_OK) {
    if (status == LUA_ERRMEM) {
      trip(lua, vm, Fatal::kMemory);
    } else {
      vm->syntax_error = true;
    }
    return lua_error(lua);
  }
  push_file_env(lua, vm);
  if (lua_setupvalue(lua, -2, 1) == nullptr) {
    lua_pop(lua, 1);
  }
  lua_call(lua, 0, 0);
  return 0;
}

struct CallRequest {
  HandlerRef handler = 0;
  int64_t message_index = -1;
};

int entry_call(lua_State* lua) noexcept {
  VmState* vm = vm_of(lua);
  const auto* request = static_cast<const CallRequest*>(lua_touserdata(lua, 1));
  ensure_views(lua, vm);
  lua_rawgeti(lua, LUA_REGISTRYINDEX, request->handler);
  if (request->message_index >= 0) {
    lua_rawgeti(lua, LUA_REGISTRYINDEX, vm->message_views);
    lua_rawgeti(lua, -1, request->message_index + 1);
    lua_remove(lua, -2);
  } else {
    lua_rawgeti(lua, LUA_REGISTRYINDEX, vm->conversation_view);
  }
  lua_rawgeti(lua, LUA_REGISTRYINDEX, vm->ctx_view);
  lua_call(lua, 2, 0);
  return 0;
}

int entry_release_views(lua_State* lua) noexcept {
  release_views(lua, vm_of(lua));
  return 0;
}

int entry_collect(lua_State* lua) noexcept {
  lua_gc(lua, LUA_GCCOLLECT);
  return 0;
}

int panic(lua_State* lua) noexcept {
  std::fprintf(stderr, "convaudit: unprotected Lua error: %s\n", lua_tostring(lua, -1));
  std::abort();
}

}  // namespace

// ---- shared helpers (lua_vm_state.h) ------------------------------------------------------

bool locate(lua_State* lua, int level, LuaWhere& out) noexcept {
  lua_Debug info;
  while (lua_getstack(lua, level, &info) != 0) {
    if (lua_getinfo(lua, "Sl", &info) != 0 && info.currentline > 0 && info.source != nullptr &&
        info.source[0] == '@') {
      out.file.assign(info.source + 1);
      out.line = info.currentline;
      return true;
    }
    ++level;
  }
  return false;
}

int raise_blocked(lua_State* lua, const char* name) noexcept {
  VmState* vm = vm_of(lua);
  trip(lua, vm, Fatal::kBlocked);
  if (vm->fatal_where.file.empty()) {
    lua_pushfstring(lua, "blocked call: %s", name);
  } else {
    lua_pushfstring(lua, "%s:%d: blocked call: %s", vm->fatal_where.file.c_str(),
                    static_cast<int>(vm->fatal_where.line), name);
  }
  return lua_error(lua);
}

int raise_scratch(lua_State* lua) noexcept {
  luaL_where(lua, 1);
  lua_pushlstring(lua, vm_of(lua)->scratch.data(), vm_of(lua)->scratch.size());
  lua_concat(lua, 2);
  return lua_error(lua);
}

namespace {

int readonly_newindex(lua_State* lua) noexcept {
  return luaL_error(lua, "read-only: rule views and libraries cannot be changed");
}

// Pushes the table a proxy stands for (its metatable's __index).
void push_proxied(lua_State* lua, int proxy) {
  if (lua_getmetatable(lua, proxy) == 0) {
    lua_pushnil(lua);
    return;
  }
  lua_pushliteral(lua, "__index");
  lua_rawget(lua, -2);
  lua_remove(lua, -2);
}

int readonly_len(lua_State* lua) noexcept {
  push_proxied(lua, 1);
  lua_pushinteger(lua, lua_istable(lua, -1) ? static_cast<lua_Integer>(lua_rawlen(lua, -1)) : 0);
  return 1;
}

int readonly_next(lua_State* lua) noexcept {
  lua_settop(lua, 2);
  push_proxied(lua, 1);
  if (!lua_istable(lua, 3)) {
    return 0;
  }
  lua_pushvalue(lua, 2);
  if (lua_next(lua, 3) != 0) {
    return 2;
  }
  lua_pushnil(lua);
  return 1;
}

int readonly_pairs(lua_State* lua) noexcept {
  push_proxied(lua, 1);
  if (lua_istable(lua, -1)) {
    build_lazy_fields(lua, -1);
  }
  lua_pop(lua, 1);
  lua_pushcfunction(lua, readonly_next);
  lua_pushvalue(lua, 1);
  lua_pushnil(lua);
  return 3;
}

}  // namespace

void make_readonly(lua_State* lua) noexcept {
  lua_createtable(lua, 0, 0);
  lua_createtable(lua, 0, 5);
  lua_pushvalue(lua, -3);
  lua_setfield(lua, -2, "__index");
  lua_pushcfunction(lua, readonly_newindex);
  lua_setfield(lua, -2, "__newindex");
  lua_pushcfunction(lua, readonly_len);
  lua_setfield(lua, -2, "__len");
  lua_pushcfunction(lua, readonly_pairs);
  lua_setfield(lua, -2, "__pairs");
  lua_pushliteral(lua, "read-only");
  lua_setfield(lua, -2, "__metatable");
  lua_setmetatable(lua, -2);
  lua_replace(lua, -2);
}

// ---- LuaVm --------------------------------------------------------------------------------

LuaVm::LuaVm(std::unique_ptr<VmState> state) : state_(std::move(state)) {}

LuaVm::~LuaVm() {
  if (state_ != nullptr && state_->lua != nullptr) {
    lua_close(state_->lua);
  }
}

Result<std::unique_ptr<LuaVm>> LuaVm::create(const RuleLimits& limits) {
  auto state = std::make_unique<VmState>();
  state->limits = limits;
  lua_State* lua = lua_newstate(budget_alloc, state.get());
  if (lua == nullptr) {
    return fail(ErrorCode::kInternal, "cannot create a Lua state within the memory budget");
  }
  state->lua = lua;
  lua_atpanic(lua, panic);
  if (run_protected(*state, entry_build_sandbox, nullptr, false) != LUA_OK) {
    std::string message = "cannot build the rule sandbox: " + state->last_message;
    lua_close(lua);
    return fail(ErrorCode::kInternal, std::move(message));
  }
  return std::unique_ptr<LuaVm>(new LuaVm(std::move(state)));
}

Result<FileDeclarations> LuaVm::load(const RuleSourceFile& file) {
  VmState& vm = *state_;
  FileDeclarations declarations;
  vm.declarations = &declarations;
  vm.file = &file;
  vm.declare_mode = true;
  const int status = run_protected(vm, entry_load, const_cast<RuleSourceFile*>(&file), true);
  vm.declarations = nullptr;
  vm.file = nullptr;
  vm.declare_mode = false;
  if (status == LUA_OK) {
    return declarations;
  }
  if (vm.syntax_error) {
    return fail(ErrorCode::kRuleSyntax, without_location(vm.last_message, file.name),
                {file.name, line_of_message(vm.last_message)});
  }
  CallFailure failure = classify(vm, status, {file.name});
  return fail(failure.kind, std::move(failure.message), std::move(failure.where));
}

void LuaVm::begin_conversation(const core::Conversation& conversation,
                               const std::vector<std::vector<redaction::PiiMention>>& pii,
                               const std::vector<std::vector<std::string>>* signature_hits) {
  end_conversation();
  state_->conversation = &conversation;
  state_->pii = &pii;
  state_->signature_hits = signature_hits;
}

void LuaVm::end_conversation() {
  VmState& vm = *state_;
  if (vm.conversation_view != LUA_NOREF || vm.message_views != LUA_NOREF) {
    (void)run_protected(vm, entry_release_views, nullptr, false);
  }
  vm.conversation = nullptr;
  vm.pii = nullptr;
  vm.signature_hits = nullptr;
}

std::optional<CallFailure> LuaVm::call(HandlerRef handler, const RuleInfo& rule,
                                       int64_t message_index, ConversationResult& out) {
  VmState& vm = *state_;
  CONVAUDIT_CHECK(vm.conversation != nullptr && handler > 0);
  CONVAUDIT_CHECK(message_index < static_cast<int64_t>(vm.conversation->messages.size()));
  const size_t findings = out.findings.size();
  const size_t scores = out.scores.size();
  const size_t metrics = out.metrics.size();
  vm.rule = &rule;
  vm.message_index = message_index;
  vm.out = &out;
  CallRequest request{handler, message_index};
  const int status = run_protected(vm, entry_call, &request, true);
  vm.rule = nullptr;
  vm.out = nullptr;
  if (status == LUA_OK) {
    return std::nullopt;
  }
  out.findings.resize(findings);
  out.scores.resize(scores);
  out.metrics.resize(metrics);
  SourceLocation fallback = rule.where;
  fallback.rule_id = rule.id;
  return classify(vm, status, fallback);
}

void LuaVm::collect_garbage() {
  (void)run_protected(*state_, entry_collect, nullptr, false);
}

uint64_t LuaVm::memory_used_bytes() const {
  return state_->used_bytes;
}

}  // namespace convaudit::rulehost::internal
