// Run mode: the read-only conversation and message views (C++ -> Lua, one function per type),
// the ctx recorder (Lua -> C++) and the re module (RE2 through engine/match).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>

#include "engine/core/timestamp.h"
#include "engine/rulehost/internal/lua_vm_state.h"

namespace convaudit::rulehost::internal {

namespace {

constexpr int kMaxJsonDepth = 32;
constexpr size_t kExcerptBytes = 200;
constexpr size_t kMaxCachedPatterns = 1024;
constexpr size_t kMaxPatternAddresses = 4 * kMaxCachedPatterns;
constexpr size_t kMaxPinnedBytes = 4 << 20;  // pattern strings kept alive for their slots

// The longest prefix of `text` of at most `limit` bytes that does not split a UTF-8 sequence.
std::string_view utf8_prefix(std::string_view text, size_t limit) {
  if (text.size() <= limit) {
    return text;
  }
  size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return text.substr(0, cut);
}

void push_view(lua_State* lua, std::string_view text) {
  lua_pushlstring(lua, text.data(), text.size());
}

// JSON -> Lua, as read-only tables. JSON null becomes nil (the key is absent).
void push_json(lua_State* lua, const nlohmann::json& value, int depth) {
  switch (value.type()) {
    case nlohmann::json::value_t::boolean:
      lua_pushboolean(lua, value.get<bool>());
      return;
    case nlohmann::json::value_t::number_integer:
      lua_pushinteger(lua, static_cast<lua_Integer>(value.get<int64_t>()));
      return;
    case nlohmann::json::value_t::number_unsigned: {
      const uint64_t number = value.get<uint64_t>();
      if (number <= static_cast<uint64_t>(std::numeric_limits<lua_Integer>::max())) {
        lua_pushinteger(lua, static_cast<lua_Integer>(number));
      } else {
        lua_pushnumber(lua, static_cast<lua_Number>(number));
      }
      return;
    }
    case nlohmann::json::value_t::number_float:
      lua_pushnumber(lua, static_cast<lua_Number>(value.get<double>()));
      return;
    case nlohmann::json::value_t::string:
      push_view(lua, value.get_ref<const std::string&>());
      return;
    case nlohmann::json::value_t::array:
    case nlohmann::json::value_t::object:
      break;
    default:
      lua_pushnil(lua);
      return;
  }
  if (depth > kMaxJsonDepth) {
    lua_pushnil(lua);
    return;
  }
  luaL_checkstack(lua, 4, "metadata nested too deeply");
  if (value.is_array()) {
    lua_createtable(lua, static_cast<int>(value.size()), 0);
    lua_Integer index = 0;
    for (const nlohmann::json& item : value) {
      ++index;
      if (!item.is_null()) {
        push_json(lua, item, depth + 1);
        lua_rawseti(lua, -2, index);
      }
    }
  } else {
    lua_createtable(lua, 0, static_cast<int>(value.size()));
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (!it.value().is_null()) {
        push_view(lua, it.key());
        push_json(lua, it.value(), depth + 1);
        lua_rawset(lua, -3);
      }
    }
  }
  make_readonly(lua);
}

// Fields of a message view built only when a rule first reads them (most rules read the text
// and role alone): they are stored in the view then, so each is built once per conversation.
enum LazyField : size_t { kTimestamp, kMetadata, kPii, kSignatures };
constexpr std::array<std::string_view, 4> kLazyMessageFields = {"timestamp", "metadata", "pii",
                                                                "signatures"};

// Pushes lazy field `field` of message `index`. No Lua errors but memory.
void push_lazy_field(lua_State* lua, VmState* vm, size_t index, size_t field) {
  const core::Message& message = vm->conversation->messages[index];
  if (field == kTimestamp) {
    vm->scratch = core::format_timestamp(message.timestamp_ns);
    push_view(lua, vm->scratch);
  } else if (field == kMetadata) {
    push_json(lua, message.metadata, 0);
  } else if (field == kPii) {
    // Most messages have no PII and hit no signature: they share one read-only empty table.
    if (vm->pii != nullptr && index < vm->pii->size() && !(*vm->pii)[index].empty()) {
      const std::vector<redaction::PiiMention>& mentions = (*vm->pii)[index];
      lua_createtable(lua, static_cast<int>(mentions.size()), 0);
      lua_Integer position = 0;
      for (const redaction::PiiMention& mention : mentions) {
        lua_createtable(lua, 0, 2);
        push_view(lua, redaction::pii_type_name(mention.type));
        lua_setfield(lua, -2, "type");
        push_view(lua, mention.token);
        lua_setfield(lua, -2, "token");
        make_readonly(lua);
        lua_rawseti(lua, -2, ++position);
      }
      make_readonly(lua);
    } else {
      lua_rawgeti(lua, LUA_REGISTRYINDEX, vm->empty_view);
    }
  } else if (vm->signature_hits != nullptr && index < vm->signature_hits->size() &&
             !(*vm->signature_hits)[index].empty()) {  // kSignatures
    const std::vector<std::string>& hits = (*vm->signature_hits)[index];
    lua_createtable(lua, static_cast<int>(hits.size()), 0);
    lua_Integer position = 0;
    for (const std::string& id : hits) {
      push_view(lua, id);
      lua_rawseti(lua, -2, ++position);
    }
    make_readonly(lua);
  } else {
    lua_rawgeti(lua, LUA_REGISTRYINDEX, vm->empty_view);
  }
}

// The message a view's table (at `table`) stands for, checked against the current
// conversation's views: a view kept from an earlier conversation cannot build its fields any more.
size_t view_message_index(lua_State* lua, VmState* vm, int table) {
  table = lua_absindex(lua, table);
  lua_pushliteral(lua, "index");
  lua_rawget(lua, table);
  const lua_Integer index = lua_tointeger(lua, -1);
  lua_pop(lua, 1);
  bool current = false;
  if (vm->conversation != nullptr && vm->message_views != LUA_NOREF && index >= 0 &&
      static_cast<size_t>(index) < vm->conversation->messages.size()) {
    lua_rawgeti(lua, LUA_REGISTRYINDEX, vm->message_views);
    lua_rawgeti(lua, -1, index + 1);
    if (lua_getmetatable(lua, -1) != 0) {
      lua_pushliteral(lua, "__index");
      lua_rawget(lua, -2);
      current = lua_rawequal(lua, -1, table) != 0;
      lua_pop(lua, 2);
    }
    lua_pop(lua, 2);
  }
  if (!current) {
    luaL_error(lua, "message view used after its conversation: keep the values, not the view");
  }
  return static_cast<size_t>(index);
}

// __index of a message view's table: builds a lazy field, stores it, returns it.
int lazy_message_field(lua_State* lua) noexcept {
  if (lua_type(lua, 2) != LUA_TSTRING) {
    return 0;
  }
  size_t size = 0;
  const char* key = lua_tolstring(lua, 2, &size);
  const auto found =
      std::find(kLazyMessageFields.begin(), kLazyMessageFields.end(), std::string_view(key, size));
  if (found == kLazyMessageFields.end()) {
    return 0;
  }
  VmState* vm = vm_of(lua);
  const size_t index = view_message_index(lua, vm, 1);
  push_lazy_field(lua, vm, index, static_cast<size_t>(found - kLazyMessageFields.begin()));
  lua_pushvalue(lua, 2);
  lua_pushvalue(lua, -2);
  lua_rawset(lua, 1);
  return 1;
}

// Message i -> its read-only view: text, role, index, session_id and timestamp_ms now, the rest
// on first read (lazy_message_field).
void push_message(lua_State* lua, VmState* vm, size_t index) {
  const core::Message& message = vm->conversation->messages[index];
  lua_createtable(lua, 0, 10);
  push_view(lua, message.text);
  lua_setfield(lua, -2, "text");
  push_view(lua, core::role_name(message.role));
  lua_setfield(lua, -2, "role");
  lua_pushinteger(lua, static_cast<lua_Integer>(index));
  lua_setfield(lua, -2, "index");
  push_view(lua, message.session_id);
  lua_setfield(lua, -2, "session_id");
  lua_pushinteger(lua, static_cast<lua_Integer>(message.timestamp_ns / 1'000'000));
  lua_setfield(lua, -2, "timestamp_ms");
  if (vm->lazy_message_meta == LUA_NOREF) {
    lua_createtable(lua, 0, 1);
    lua_pushcfunction(lua, lazy_message_field);
    lua_setfield(lua, -2, "__index");
    vm->lazy_message_meta = luaL_ref(lua, LUA_REGISTRYINDEX);
  }
  lua_rawgeti(lua, LUA_REGISTRYINDEX, vm->lazy_message_meta);
  lua_setmetatable(lua, -2);
  make_readonly(lua);
}

// ---- ctx ----------------------------------------------------------------------------------

VmState* recording_vm(lua_State* lua, const char* what) {
  VmState* vm = vm_of(lua);
  if (vm->out == nullptr || vm->rule == nullptr || vm->conversation == nullptr) {
    luaL_error(lua, "%s can only be used inside a handler", what);
  }
  return vm;
}

// table[name] as a string, or nullptr when absent; raises on another type. The value stays on
// the stack, so the pointer stays valid.
const char* optional_string(lua_State* lua, int table, const char* name, size_t* size) {
  lua_pushstring(lua, name);
  const int type = lua_rawget(lua, table);
  if (type == LUA_TNIL) {
    *size = 0;
    return nullptr;
  }
  if (type != LUA_TSTRING) {
    luaL_error(lua, "ctx:finding: field '%s' must be a string", name);
  }
  return lua_tolstring(lua, -1, size);
}

int ctx_finding(lua_State* lua) noexcept {
  VmState* vm = recording_vm(lua, "ctx:finding");
  luaL_checktype(lua, 2, LUA_TTABLE);
  size_t type_size = 0;
  size_t severity_size = 0;
  size_t excerpt_size = 0;
  const char* type = optional_string(lua, 2, "type", &type_size);
  const char* severity_text = optional_string(lua, 2, "severity", &severity_size);
  const char* excerpt = optional_string(lua, 2, "excerpt", &excerpt_size);
  const auto messages = static_cast<int64_t>(vm->conversation->messages.size());
  int64_t message_index = vm->message_index;
  lua_pushliteral(lua, "message_index");
  const int index_type = lua_rawget(lua, 2);
  if (index_type != LUA_TNIL) {
    if (lua_isinteger(lua, -1) == 0) {
      return luaL_error(lua, "ctx:finding: message_index must be an integer");
    }
    message_index = lua_tointeger(lua, -1);
    if (message_index < -1 || message_index >= messages) {
      return luaL_error(lua, "ctx:finding: message_index %d out of range",
                        static_cast<int>(message_index));
    }
  }
  Severity severity = vm->rule->severity;
  if (severity_text != nullptr) {
    const std::optional<Severity> parsed = parse_severity({severity_text, severity_size});
    if (!parsed) {
      return luaL_error(lua, "ctx:finding: bad severity '%s'", severity_text);
    }
    severity = *parsed;
  }
  // Everything is read: record it without another Lua call.
  Finding& finding = vm->out->findings.emplace_back();
  finding.session_id = vm->conversation->session_id;
  finding.message_index = message_index;
  finding.rule_id = vm->rule->id;
  finding.category = vm->rule->category;
  finding.type =
      type != nullptr ? std::string_view(type, type_size) : std::string_view(vm->rule->id);
  finding.severity = severity;
  if (excerpt != nullptr) {
    finding.excerpt = utf8_prefix({excerpt, excerpt_size}, kExcerptBytes);
  } else if (message_index >= 0) {
    finding.excerpt = utf8_prefix(
        vm->conversation->messages[static_cast<size_t>(message_index)].text, kExcerptBytes);
  }
  return 0;
}

lua_Number checked_value(lua_State* lua, const char* what) {
  const lua_Number value = luaL_checknumber(lua, 3);
  if (!std::isfinite(value)) {
    luaL_error(lua, "%s: value must be a finite number", what);
  }
  return value;
}

int ctx_score(lua_State* lua) noexcept {
  VmState* vm = recording_vm(lua, "ctx:score");
  size_t name_size = 0;
  size_t explanation_size = 0;
  const char* name = luaL_checklstring(lua, 2, &name_size);
  const lua_Number value = checked_value(lua, "ctx:score");
  const char* explanation = luaL_optlstring(lua, 4, "", &explanation_size);
  Score& score = vm->out->scores.emplace_back();
  score.session_id = vm->conversation->session_id;
  score.rule_id = vm->rule->id;
  score.name.assign(name, name_size);
  score.value = static_cast<double>(value);
  score.explanation.assign(explanation, explanation_size);
  return 0;
}

int ctx_metric(lua_State* lua) noexcept {
  VmState* vm = recording_vm(lua, "ctx:metric");
  size_t name_size = 0;
  const char* name = luaL_checklstring(lua, 2, &name_size);
  const lua_Number value = checked_value(lua, "ctx:metric");
  Metric& metric = vm->out->metrics.emplace_back();
  metric.session_id = vm->conversation->session_id;
  metric.rule_id = vm->rule->id;
  metric.name.assign(name, name_size);
  metric.value = static_cast<double>(value);
  return 0;
}

// ---- re -----------------------------------------------------------------------------------

// The plain text `pattern` stands for, when it is one: printable ASCII without a regex
// metacharacter, where a backslash may only escape punctuation ("\$" is "$"). RE2 (case
// sensitive, UTF-8) matches such a pattern byte for byte, and an ASCII byte is never part of a
// multi-byte sequence, so a byte search finds exactly the spans RE2 finds.
std::optional<std::string> literal_of(std::string_view pattern) {
  if (pattern.empty()) {
    return std::nullopt;
  }
  std::string literal;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c < 0x20 || c > 0x7E) {
      return std::nullopt;
    }
    if (c == '\\') {
      if (i + 1 == pattern.size()) {
        return std::nullopt;
      }
      c = pattern[++i];
      const bool punctuation = c >= 0x21 && c <= 0x7E && !(c >= '0' && c <= '9') &&
                               !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z');
      if (!punctuation) {
        return std::nullopt;
      }
    } else if (std::string_view(".+*?()|[]{}^$").find(c) != std::string_view::npos) {
      return std::nullopt;
    }
    literal.push_back(c);
  }
  return literal;
}

// Whether `pattern` is one character class, "[...]" or "[...]+", with no nested class: sets
// `repeats` for the "+". Conservative: anything unusual is not a class here.
bool is_single_class(std::string_view pattern, bool& repeats) {
  if (pattern.size() < 3 || pattern[0] != '[') {
    return false;
  }
  size_t i = 1;
  if (pattern[i] == '^') {
    ++i;
  }
  const size_t body = i;
  for (; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      if (i + 1 >= pattern.size() || pattern[i + 1] == 'Q' || pattern[i + 1] == 'E') {
        return false;
      }
      ++i;
    } else if (c == '[') {
      return false;
    } else if (c == ']') {
      break;
    }
  }
  if (i >= pattern.size() || i == body) {  // unclosed, or "[]..." (a literal ']' in RE2)
    return false;
  }
  const std::string_view rest = pattern.substr(i + 1);
  repeats = rest == "+";
  return rest.empty() || repeats;
}

// Which ASCII bytes the single-class pattern matches, asked of the compiled regex.
std::array<bool, 128> ascii_members(const match::Regex& regex) {
  std::array<bool, 128> members{};
  for (size_t byte = 0; byte < members.size(); ++byte) {
    const char c = static_cast<char>(byte);
    const auto found = regex.find(std::string_view(&c, 1), 0);
    members[byte] = found && found->span.begin == 0 && found->span.end == 1;
  }
  return members;
}

bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Forgets every slot and unpins their strings (Lua may then collect them). No Lua errors.
void clear_slots(lua_State* lua, VmState* vm) noexcept {
  vm->regex_slots.clear();
  luaL_unref(lua, LUA_REGISTRYINDEX, vm->pinned_patterns);
  vm->pinned_patterns = LUA_NOREF;
  vm->pinned_bytes = 0;
}

// The compiled form of `pattern`, compiled on first use; nullptr (message in vm->scratch) when it
// does not compile. No Lua errors.
const VmState::CachedPattern* compile_cached(lua_State* lua, VmState* vm,
                                             std::string_view pattern) noexcept {
  vm->scratch.assign(pattern);
  auto it = vm->regex_cache.find(vm->scratch);
  if (it != vm->regex_cache.end()) {
    return &it->second;
  }
  auto compiled = match::Regex::compile(pattern);
  if (!compiled) {
    vm->scratch.assign("re: bad pattern '").append(pattern).append("': ");
    vm->scratch.append(compiled.error().message);
    return nullptr;
  }
  if (vm->regex_cache.size() >= kMaxCachedPatterns) {
    clear_slots(lua, vm);  // slots point into the cache
    vm->regex_cache.clear();
  }
  VmState::CachedPattern entry;
  entry.regex = std::make_unique<match::Regex>(std::move(*compiled));
  entry.literal = literal_of(pattern);
  bool repeats = false;
  if (!entry.literal && is_single_class(pattern, repeats)) {
    entry.ascii_class = ascii_members(*entry.regex);
    entry.class_repeats = repeats;
  }
  return &vm->regex_cache.emplace(std::string(pattern), std::move(entry)).first->second;
}

// The compiled pattern for the Lua string at stack index `arg`. Raises on a bad pattern.
const VmState::CachedPattern* cached_pattern(lua_State* lua, int arg) {
  VmState* vm = vm_of(lua);
  size_t size = 0;
  const char* pattern = lua_tolstring(lua, arg, &size);
  auto slot = vm->regex_slots.find(pattern);
  if (slot != vm->regex_slots.end()) {
    return slot->second;
  }
  const VmState::CachedPattern* compiled = compile_cached(lua, vm, {pattern, size});
  if (compiled == nullptr) {
    raise_scratch(lua);
  }
  // Patterns built at run time leave many dead strings behind: past a bound, start over.
  if (vm->regex_slots.size() >= kMaxPatternAddresses || vm->pinned_bytes >= kMaxPinnedBytes) {
    clear_slots(lua, vm);
  }
  if (vm->pinned_patterns == LUA_NOREF) {
    lua_createtable(lua, 0, 64);
    vm->pinned_patterns = luaL_ref(lua, LUA_REGISTRYINDEX);
  }
  // The string object itself is kept, as a value: as a key, an equal long string already there
  // would be kept instead and this object (whose address the slot holds) could die.
  lua_rawgeti(lua, LUA_REGISTRYINDEX, vm->pinned_patterns);
  lua_pushvalue(lua, arg);
  lua_rawseti(lua, -2,
              static_cast<lua_Integer>(vm->regex_slots.size()) + 1);  // may raise (memory):
  lua_pop(lua, 1);  // the slot is only added once the pin holds
  vm->pinned_bytes += size;
  vm->regex_slots.emplace(pattern, compiled);
  return compiled;
}

struct ReArgs {
  std::string_view text;
  const match::Regex* regex = nullptr;
  const std::string* literal = nullptr;  // the pattern's plain text, when it is one
  const VmState::CachedPattern* compiled = nullptr;

  // The first match at or after `start`, as [begin, end); false if none. No Lua calls.
  bool find(VmState* vm, size_t start, size_t& begin, size_t& end) const noexcept {
    if (literal != nullptr) {
      const size_t at = start <= text.size() ? text.find(*literal, start) : std::string_view::npos;
      if (at == std::string_view::npos) {
        return false;
      }
      begin = at;
      end = at + literal->size();
      return true;
    }
    vm->scratch_match = regex->find(text, start);
    if (!vm->scratch_match) {
      return false;
    }
    begin = vm->scratch_match->span.begin;
    end = vm->scratch_match->span.end;
    return true;
  }
};

ReArgs check_re_args(lua_State* lua) {
  size_t text_size = 0;
  const char* text = luaL_checklstring(lua, 1, &text_size);
  luaL_checklstring(lua, 2, nullptr);
  const VmState::CachedPattern* compiled = cached_pattern(lua, 2);
  return ReArgs{{text, text_size},
                compiled->regex.get(),
                compiled->literal ? &*compiled->literal : nullptr,
                compiled};
}

// Non-overlapping matches of the pattern in `text`. No Lua calls.
size_t count_matches(VmState* vm, const ReArgs& args) noexcept {
  size_t count = 0;
  size_t start = 0;
  size_t begin = 0;
  size_t end = 0;
  while (start <= args.text.size() && args.find(vm, start, begin, end)) {
    ++count;
    start = end > begin ? end : end + 1;
  }
  vm->scratch_match.reset();
  return count;
}

int re_test(lua_State* lua) noexcept {
  const ReArgs args = check_re_args(lua);
  bool found = false;
  if (args.literal != nullptr) {
    found = args.text.find(*args.literal) != std::string_view::npos;
  } else if (args.compiled->ascii_class && is_ascii(args.text)) {
    const std::array<bool, 128>& members = *args.compiled->ascii_class;
    found = std::any_of(args.text.begin(), args.text.end(),
                        [&](char c) { return members[static_cast<unsigned char>(c)]; });
  } else {
    found = args.regex->search(args.text);
  }
  lua_pushboolean(lua, found ? 1 : 0);
  return 1;
}

int re_find(lua_State* lua) noexcept {
  const ReArgs args = check_re_args(lua);
  const auto size = static_cast<lua_Integer>(args.text.size());
  lua_Integer init = luaL_optinteger(lua, 3, 1);
  if (init < 0) {
    init = std::max<lua_Integer>(size + init + 1, 1);
  } else if (init == 0) {
    init = 1;
  }
  if (init > size + 1) {
    lua_pushnil(lua);
    return 1;
  }
  size_t begin = 0;
  size_t end = 0;
  if (!args.find(vm_of(lua), static_cast<size_t>(init - 1), begin, end)) {
    lua_pushnil(lua);
    return 1;
  }
  lua_pushinteger(lua, static_cast<lua_Integer>(begin) + 1);
  lua_pushinteger(lua, static_cast<lua_Integer>(end));
  return 2;
}

int re_match(lua_State* lua) noexcept {
  const ReArgs args = check_re_args(lua);
  VmState* vm = vm_of(lua);
  if (args.literal != nullptr) {  // no capture groups: the match itself
    size_t begin = 0;
    size_t end = 0;
    if (!args.find(vm, 0, begin, end)) {
      lua_pushnil(lua);
      return 1;
    }
    push_view(lua, args.text.substr(begin, end - begin));
    return 1;
  }
  vm->scratch_match = args.regex->find(args.text, 0);
  if (!vm->scratch_match) {
    lua_pushnil(lua);
    return 1;
  }
  if (args.regex->capture_count() == 0) {
    const match::MatchSpan span = vm->scratch_match->span;
    push_view(lua, args.text.substr(span.begin, span.end - span.begin));
    return 1;
  }
  const int groups = static_cast<int>(vm->scratch_match->groups.size());
  luaL_checkstack(lua, groups, "too many capture groups");
  for (int i = 0; i < groups; ++i) {
    push_view(lua, vm->scratch_match->groups[static_cast<size_t>(i)]);
  }
  return groups;
}

// replace_all for a plain-text pattern and a rewrite without '\' (so no \0..\9 references):
// every occurrence, left to right, into vm->scratch. Returns the number replaced. No Lua calls.
size_t replace_literal(VmState* vm, std::string_view text, const std::string& literal,
                       std::string_view rewrite) noexcept {
  vm->scratch.clear();
  size_t replaced = 0;
  size_t position = 0;
  for (size_t at = text.find(literal); at != std::string_view::npos;
       at = text.find(literal, position)) {
    vm->scratch.append(text.substr(position, at - position));
    vm->scratch.append(rewrite);
    position = at + literal.size();
    ++replaced;
  }
  vm->scratch.append(text.substr(position));
  return replaced;
}

// replace_all for a single-class pattern on ASCII text and a rewrite without '\': each run of
// class bytes ("[...]+") or each class byte ("[...]") replaced, into vm->scratch. Returns the
// number replaced. No Lua calls.
size_t replace_class(VmState* vm, std::string_view text, const VmState::CachedPattern& pattern,
                     std::string_view rewrite) noexcept {
  const std::array<bool, 128>& members = *pattern.ascii_class;
  vm->scratch.clear();
  size_t replaced = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (!members[static_cast<unsigned char>(text[i])]) {
      vm->scratch.push_back(text[i]);
      ++i;
      continue;
    }
    ++i;
    while (pattern.class_repeats && i < text.size() &&
           members[static_cast<unsigned char>(text[i])]) {
      ++i;
    }
    vm->scratch.append(rewrite);
    ++replaced;
  }
  return replaced;
}

int re_gsub(lua_State* lua) noexcept {
  const ReArgs args = check_re_args(lua);
  size_t replacement_size = 0;
  const char* replacement = luaL_checklstring(lua, 3, &replacement_size);
  VmState* vm = vm_of(lua);
  // The result is built outside Lua's allocator: bound it by the state's memory budget.
  const std::string_view rewrite(replacement, replacement_size);
  const uint64_t group_refs =
      static_cast<uint64_t>(std::count(rewrite.begin(), rewrite.end(), '\\'));
  const uint64_t per_match = replacement_size + group_refs * args.text.size();
  const uint64_t budget = vm->limits.memory_bytes_per_state;
  if (per_match > 0 && args.text.size() + (args.text.size() + 1) * per_match > budget &&
      args.text.size() + count_matches(vm, args) * per_match > budget) {
    return luaL_error(lua, "re.gsub: the result would exceed the memory budget");
  }
  if (args.compiled->ascii_class && group_refs == 0 && is_ascii(args.text)) {
    const size_t replaced = replace_class(vm, args.text, *args.compiled, rewrite);
    if (replaced == 0) {
      lua_pushvalue(lua, 1);
    } else {
      push_view(lua, vm->scratch);
    }
    lua_pushinteger(lua, static_cast<lua_Integer>(replaced));
    return 2;
  }
  const bool found = args.literal != nullptr
                         ? args.text.find(*args.literal) != std::string_view::npos
                         : args.regex->search(args.text);
  if (!found) {
    lua_pushvalue(lua, 1);  // nothing to replace: the subject itself, without a copy
    lua_pushinteger(lua, 0);
    return 2;
  }
  size_t replaced = 0;
  if (args.literal != nullptr && group_refs == 0) {
    replaced = replace_literal(vm, args.text, *args.literal, rewrite);
  } else {
    auto result = args.regex->replace_all(args.text, rewrite);
    vm->scratch = std::move(result.first);
    replaced = result.second;
  }
  push_view(lua, vm->scratch);
  lua_pushinteger(lua, static_cast<lua_Integer>(replaced));
  return 2;
}

// The pieces of args.text between matches, into vm->scratch_list. No Lua calls.
void split_into_scratch(VmState* vm, const ReArgs& args) noexcept {
  if (args.literal != nullptr) {
    vm->scratch_list.clear();
    size_t piece_start = 0;
    for (size_t at = args.text.find(*args.literal); at != std::string_view::npos;
         at = args.text.find(*args.literal, piece_start)) {
      vm->scratch_list.emplace_back(args.text.substr(piece_start, at - piece_start));
      piece_start = at + args.literal->size();
    }
    vm->scratch_list.emplace_back(args.text.substr(piece_start));
  } else {
    vm->scratch_list = args.regex->split(args.text);
  }
}

int re_split(lua_State* lua) noexcept {
  const ReArgs args = check_re_args(lua);
  VmState* vm = vm_of(lua);
  split_into_scratch(vm, args);
  lua_createtable(lua, static_cast<int>(vm->scratch_list.size()), 0);
  for (size_t i = 0; i < vm->scratch_list.size(); ++i) {
    push_view(lua, vm->scratch_list[i]);
    lua_rawseti(lua, -2, static_cast<lua_Integer>(i + 1));
  }
  return 1;
}

// re.split as a set: { piece = true } for each distinct piece, and the number of them.
int re_split_set(lua_State* lua) noexcept {
  const ReArgs args = check_re_args(lua);
  VmState* vm = vm_of(lua);
  split_into_scratch(vm, args);
  lua_createtable(lua, 0, static_cast<int>(vm->scratch_list.size()));
  lua_Integer distinct = 0;
  for (const std::string& piece : vm->scratch_list) {
    push_view(lua, piece);
    if (lua_rawget(lua, -2) == LUA_TNIL) {
      ++distinct;
      push_view(lua, piece);
      lua_pushboolean(lua, 1);
      lua_rawset(lua, -4);
    }
    lua_pop(lua, 1);
  }
  lua_pushinteger(lua, distinct);
  return 2;
}

int re_count(lua_State* lua) noexcept {
  const ReArgs args = check_re_args(lua);
  lua_pushinteger(lua, static_cast<lua_Integer>(count_matches(vm_of(lua), args)));
  return 1;
}

}  // namespace

void ensure_views(lua_State* lua, VmState* vm) noexcept {
  if (vm->conversation_view != LUA_NOREF && vm->message_views != LUA_NOREF) {
    return;
  }
  release_views(lua, vm);
  const core::Conversation& conversation = *vm->conversation;
  lua_createtable(lua, static_cast<int>(conversation.messages.size()), 0);
  for (size_t i = 0; i < conversation.messages.size(); ++i) {
    push_message(lua, vm, i);
    lua_rawseti(lua, -2, static_cast<lua_Integer>(i + 1));
  }
  lua_pushvalue(lua, -1);
  vm->message_views = luaL_ref(lua, LUA_REGISTRYINDEX);
  make_readonly(lua);
  lua_createtable(lua, 0, 2);
  lua_insert(lua, -2);
  lua_setfield(lua, -2, "messages");
  push_view(lua, conversation.session_id);
  lua_setfield(lua, -2, "session_id");
  make_readonly(lua);
  vm->conversation_view = luaL_ref(lua, LUA_REGISTRYINDEX);
}

void build_lazy_fields(lua_State* lua, int table) {
  table = lua_absindex(lua, table);
  if (lua_getmetatable(lua, table) == 0) {
    return;
  }
  VmState* vm = vm_of(lua);
  lua_rawgeti(lua, LUA_REGISTRYINDEX, vm->lazy_message_meta);
  const bool is_message = vm->lazy_message_meta != LUA_NOREF && lua_rawequal(lua, -1, -2) != 0;
  lua_pop(lua, 2);
  if (!is_message) {
    return;
  }
  const size_t index = view_message_index(lua, vm, table);
  for (size_t field = 0; field < kLazyMessageFields.size(); ++field) {
    push_view(lua, kLazyMessageFields[field]);
    if (lua_rawget(lua, table) == LUA_TNIL) {
      push_view(lua, kLazyMessageFields[field]);
      push_lazy_field(lua, vm, index, field);
      lua_rawset(lua, table);
    }
    lua_pop(lua, 1);
  }
}

void release_views(lua_State* lua, VmState* vm) noexcept {
  if (vm->conversation_view != LUA_NOREF) {
    luaL_unref(lua, LUA_REGISTRYINDEX, vm->conversation_view);
    vm->conversation_view = LUA_NOREF;
  }
  if (vm->message_views != LUA_NOREF) {
    luaL_unref(lua, LUA_REGISTRYINDEX, vm->message_views);
    vm->message_views = LUA_NOREF;
  }
}

void push_ctx_module(lua_State* lua) noexcept {
  lua_createtable(lua, 0, 3);
  lua_pushcfunction(lua, ctx_finding);
  lua_setfield(lua, -2, "finding");
  lua_pushcfunction(lua, ctx_score);
  lua_setfield(lua, -2, "score");
  lua_pushcfunction(lua, ctx_metric);
  lua_setfield(lua, -2, "metric");
}

void push_re_module(lua_State* lua) noexcept {
  const luaL_Reg functions[] = {
      {"test", re_test},   {"find", re_find},   {"match", re_match},         {"gsub", re_gsub},
      {"split", re_split}, {"count", re_count}, {"split_set", re_split_set}, {nullptr, nullptr}};
  luaL_newlib(lua, functions);
}

}  // namespace convaudit::rulehost::internal
