// Declare mode: rule{...} and signature{...} read one declaration against the schema in
// rule_info.h and record it (or its problems) in VmState::declarations; disable{...} records
// rule ids a later pack switches off. Lua values are read with raw accesses only, so
// no rule code runs while a declaration is read.

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

#include "engine/rulehost/internal/lua_vm_state.h"

namespace convaudit::rulehost::internal {

namespace {

constexpr int kMaxJsonDepth = 32;

enum class Problem { kError, kWarning };

// Records a schema problem of the declaration being read. Calls no Lua API.
void add_problem(VmState* vm, Problem problem, const DeclaredRule& rule, std::string_view field,
                 std::string_view text) noexcept {
  Error error;
  error.code = ErrorCode::kRuleSchema;
  error.where = rule.info.where;
  error.where.rule_id = rule.info.id;
  if (!field.empty()) {
    error.message.append("field '").append(field).append("': ");
  }
  error.message.append(text);
  (problem == Problem::kError ? vm->declarations->errors : vm->declarations->warnings)
      .push_back(std::move(error));
}

std::string_view view_of(lua_State* lua, int index) {
  size_t size = 0;
  const char* text = lua_tolstring(lua, index, &size);
  return {text, size};
}

// Pushes table[name] without metamethods and returns its type.
int raw_field(lua_State* lua, int table, std::string_view name) {
  lua_pushlstring(lua, name.data(), name.size());
  return lua_rawget(lua, table);
}

// Lua value -> JSON, into `out` (owned outside this call). Uses only API calls that cannot
// raise. false when the value has no JSON form (function, userdata, too deep).
bool lua_to_json(lua_State* lua, int index, nlohmann::json& out, int depth) noexcept {
  switch (lua_type(lua, index)) {
    case LUA_TNIL:
      out = nullptr;
      return true;
    case LUA_TBOOLEAN:
      out = lua_toboolean(lua, index) != 0;
      return true;
    case LUA_TNUMBER:
      if (lua_isinteger(lua, index) != 0) {
        out = static_cast<int64_t>(lua_tointeger(lua, index));
      } else {
        out = static_cast<double>(lua_tonumber(lua, index));
      }
      return true;
    case LUA_TSTRING:
      out = std::string(view_of(lua, index));
      return true;
    case LUA_TTABLE:
      break;
    default:
      return false;
  }
  if (depth > kMaxJsonDepth || lua_checkstack(lua, 3) == 0) {
    return false;
  }
  const size_t length = lua_rawlen(lua, index);
  size_t keys = 0;
  bool string_keys = true;
  lua_pushnil(lua);
  while (lua_next(lua, index) != 0) {
    ++keys;
    string_keys = string_keys && lua_type(lua, -2) == LUA_TSTRING;
    lua_pop(lua, 1);
  }
  if (length > 0 && keys == length) {
    out = nlohmann::json::array();
    for (size_t i = 1; i <= length; ++i) {
      lua_rawgeti(lua, index, static_cast<lua_Integer>(i));
      const bool ok = lua_to_json(lua, lua_gettop(lua), out.emplace_back(), depth + 1);
      lua_pop(lua, 1);
      if (!ok) {
        return false;
      }
    }
    return true;
  }
  if (!string_keys) {
    return false;
  }
  out = nlohmann::json::object();
  lua_pushnil(lua);
  while (lua_next(lua, index) != 0) {
    nlohmann::json& slot = out[std::string(view_of(lua, -2))];
    if (!lua_to_json(lua, lua_gettop(lua), slot, depth + 1)) {
      lua_pop(lua, 2);
      return false;
    }
    lua_pop(lua, 1);
  }
  return true;
}

// Warns about every key of the table at `table` that `known` does not list.
template <class Known>
void warn_unknown_keys(lua_State* lua, VmState* vm, const DeclaredRule& rule, int table,
                       std::string_view where, Known known) {
  lua_pushnil(lua);
  while (lua_next(lua, table) != 0) {
    lua_pop(lua, 1);
    if (lua_type(lua, -1) != LUA_TSTRING) {
      add_problem(vm, Problem::kWarning, rule, where, "non-string key ignored");
    } else if (!known(view_of(lua, -1))) {
      vm->scratch.assign("unknown key '").append(view_of(lua, -1)).append("' ignored");
      add_problem(vm, Problem::kWarning, rule, where, vm->scratch);
    }
  }
}

// The example message in the table at `table` (text, role, metadata).
void read_example_message(lua_State* lua, VmState* vm, const DeclaredRule& rule, int table,
                          ExampleMessage& message) {
  if (raw_field(lua, table, "text") == LUA_TSTRING) {
    message.text = view_of(lua, -1);
  } else {
    add_problem(vm, Problem::kError, rule, "examples", "each example message needs text = \"...\"");
  }
  lua_pop(lua, 1);
  const int role_type = raw_field(lua, table, "role");
  if (role_type == LUA_TSTRING) {
    const std::optional<core::Role> role = core::parse_role(view_of(lua, -1));
    if (role) {
      message.role = std::string(core::role_name(*role));
    } else {
      add_problem(vm, Problem::kError, rule, "examples", "unknown role in an example");
    }
  } else if (role_type != LUA_TNIL) {
    add_problem(vm, Problem::kError, rule, "examples", "role must be a string");
  }
  lua_pop(lua, 1);
  const int metadata_type = raw_field(lua, table, "metadata");
  if (metadata_type == LUA_TTABLE) {
    if (!lua_to_json(lua, lua_gettop(lua), message.metadata, 0) || !message.metadata.is_object()) {
      if (!message.metadata.is_object()) {
        message.metadata = nlohmann::json::object();
      }
      add_problem(vm, Problem::kError, rule, "examples",
                  "metadata must be a table of strings, numbers, booleans and tables");
    }
  } else if (metadata_type != LUA_TNIL) {
    add_problem(vm, Problem::kError, rule, "examples", "metadata must be a table");
  }
  lua_pop(lua, 1);
}

bool is_example_key(std::string_view key) {
  return key == "text" || key == "role" || key == "metadata" || key == "conversation" ||
         key == "expect";
}

void read_example(lua_State* lua, VmState* vm, DeclaredRule& rule, int table) {
  warn_unknown_keys(lua, vm, rule, table, "examples", is_example_key);
  RuleExample& example = rule.info.examples.emplace_back();
  example.line = rule.info.where.line;
  const int expect_type = raw_field(lua, table, "expect");
  if (expect_type == LUA_TBOOLEAN) {
    example.expect = lua_toboolean(lua, -1) != 0;
  } else if (expect_type != LUA_TNIL) {
    add_problem(vm, Problem::kError, rule, "examples", "expect must be true or false");
  }
  lua_pop(lua, 1);
  const int conversation_type = raw_field(lua, table, "conversation");
  if (conversation_type == LUA_TTABLE) {
    const int conversation = lua_gettop(lua);
    const size_t count = lua_rawlen(lua, conversation);
    if (count == 0) {
      add_problem(vm, Problem::kError, rule, "examples", "conversation needs at least a message");
    }
    for (size_t i = 1; i <= count; ++i) {
      if (lua_rawgeti(lua, conversation, static_cast<lua_Integer>(i)) == LUA_TTABLE) {
        read_example_message(lua, vm, rule, lua_gettop(lua), example.messages.emplace_back());
      } else {
        add_problem(vm, Problem::kError, rule, "examples",
                    "each conversation message must be a table");
      }
      lua_pop(lua, 1);
    }
  } else if (conversation_type == LUA_TNIL) {
    read_example_message(lua, vm, rule, table, example.messages.emplace_back());
  } else {
    add_problem(vm, Problem::kError, rule, "examples", "conversation must be a list of messages");
  }
  lua_pop(lua, 1);
}

// The list of strings at `value` into `list`; a non-string item is an error of `field`.
void read_string_list(lua_State* lua, VmState* vm, DeclaredRule& rule, int value,
                      std::string_view field, std::vector<std::string>& list) {
  const size_t count = lua_rawlen(lua, value);
  for (size_t i = 1; i <= count; ++i) {
    if (lua_rawgeti(lua, value, static_cast<lua_Integer>(i)) == LUA_TSTRING) {
      list.emplace_back(view_of(lua, -1));
    } else {
      add_problem(vm, Problem::kError, rule, field, "must be a list of strings");
    }
    lua_pop(lua, 1);
  }
}

// examples / negatives: each item a table (see read_example) or a string, the text of one
// message of the rule's first role (user when the rule names none).
void read_examples(lua_State* lua, VmState* vm, DeclaredRule& rule, int value,
                   std::string_view field) {
  const bool negatives = field == "negatives";
  const size_t count = lua_rawlen(lua, value);
  for (size_t i = 1; i <= count; ++i) {
    const int type = lua_rawgeti(lua, value, static_cast<lua_Integer>(i));
    if (type == LUA_TTABLE) {
      const size_t before = rule.info.examples.size();
      if (negatives) {
        lua_pushliteral(lua, "expect");
        if (lua_rawget(lua, -2) != LUA_TNIL) {
          add_problem(vm, Problem::kError, rule, field, "negatives take no expect (always false)");
        }
        lua_pop(lua, 1);
      }
      read_example(lua, vm, rule, lua_gettop(lua));
      if (negatives && rule.info.examples.size() > before) {
        rule.info.examples.back().expect = false;
      }
    } else if (type == LUA_TSTRING) {
      RuleExample& example = rule.info.examples.emplace_back();
      example.line = rule.info.where.line;
      example.expect = !negatives;
      ExampleMessage& message = example.messages.emplace_back();
      message.text = view_of(lua, -1);
      if (!rule.info.roles.empty()) {
        message.role = std::string(core::role_name(rule.info.roles.front()));
      }
    } else {
      add_problem(vm, Problem::kError, rule, field, "each example must be a string or a table");
    }
    lua_pop(lua, 1);
  }
}

// Reads the value on top of the stack as `field` into `rule`.
void read_field(lua_State* lua, VmState* vm, DeclaredRule& rule, const RuleField& field) {
  const int value = lua_gettop(lua);
  RuleInfo& info = rule.info;
  const std::string_view name = field.name;
  if (name == "id") {
    info.id = view_of(lua, value);
    info.where.rule_id = info.id;
    if (!is_valid_rule_id(info.id)) {
      add_problem(vm, Problem::kError, rule, name,
                  "must be dotted lower snake, e.g. security.prompt_injection.ignore_previous");
    }
  } else if (name == "version") {
    info.version = view_of(lua, value);
    if (info.version.empty()) {
      add_problem(vm, Problem::kError, rule, name, "must not be empty");
    }
  } else if (name == "kind") {
    const std::optional<RuleKind> kind = parse_rule_kind(view_of(lua, value));
    if (kind && *kind != RuleKind::kSignature) {
      info.kind = *kind;
    } else {
      add_problem(vm, Problem::kError, rule, name, "must be detector, scorer or metric");
    }
  } else if (name == "category") {
    info.category = view_of(lua, value);
    if (info.category.empty()) {
      add_problem(vm, Problem::kError, rule, name, "must not be empty");
    }
  } else if (name == "severity") {
    const std::optional<Severity> severity = parse_severity(view_of(lua, value));
    if (severity) {
      info.severity = *severity;
    } else {
      add_problem(vm, Problem::kError, rule, name, "must be info, low, medium, high or critical");
    }
  } else if (name == "description") {
    info.description = view_of(lua, value);
    if (info.description.empty()) {
      add_problem(vm, Problem::kError, rule, name, "must not be empty");
    }
  } else if (name == "type") {
    info.type = view_of(lua, value);
    if (info.type.empty()) {
      add_problem(vm, Problem::kError, rule, name, "must not be empty");
    }
  } else if (name == "references" || name == "tags") {
    read_string_list(lua, vm, rule, value, name, name == "tags" ? info.tags : info.references);
  } else if (name == "patterns") {
    read_string_list(lua, vm, rule, value, name, info.patterns);
    if (info.patterns.empty()) {
      add_problem(vm, Problem::kError, rule, name, "needs at least one pattern");
    }
    for (const std::string& pattern : info.patterns) {
      if (pattern.empty()) {
        add_problem(vm, Problem::kError, rule, name, "an empty pattern would match everything");
        break;
      }
    }
  } else if (name == "roles") {
    read_string_list(lua, vm, rule, value, name, vm->scratch_list);
    for (const std::string& text : vm->scratch_list) {
      const std::optional<core::Role> role = core::parse_role(text);
      if (!role) {
        vm->scratch.assign("unknown role '").append(text).append("'");
        add_problem(vm, Problem::kError, rule, name, vm->scratch);
      } else if (std::find(info.roles.begin(), info.roles.end(), *role) == info.roles.end()) {
        info.roles.push_back(*role);
      }
    }
    if (vm->scratch_list.empty()) {
      add_problem(vm, Problem::kError, rule, name, "needs at least one role");
    }
    vm->scratch_list.clear();
  } else if (name == "examples" || name == "negatives") {
    read_examples(lua, vm, rule, value, name);
  } else if (name == "on_message" || name == "on_conversation") {
    lua_pushvalue(lua, value);
    const int ref = luaL_ref(lua, LUA_REGISTRYINDEX);
    if (name == "on_message") {
      rule.on_message = ref;
      info.has_on_message = true;
    } else {
      rule.on_conversation = ref;
      info.has_on_conversation = true;
    }
  }
}

int lua_type_of(FieldType type) {
  switch (type) {
    case FieldType::kString:
      return LUA_TSTRING;
    case FieldType::kStringList:
    case FieldType::kExampleList:
      return LUA_TTABLE;
    case FieldType::kFunction:
      return LUA_TFUNCTION;
  }
  return LUA_TNIL;
}

}  // namespace

namespace {

int64_t caller_line(lua_State* lua) {
  lua_Debug caller;
  if (lua_getstack(lua, 1, &caller) != 0 && lua_getinfo(lua, "l", &caller) != 0) {
    return caller.currentline;
  }
  return 0;
}

// rule{...} (kind from `kind`, default detector) or signature{...} (kind kSignature).
int declare(lua_State* lua, bool signature) noexcept {
  VmState* vm = vm_of(lua);
  const char* what = signature ? "signature{}" : "rule{}";
  if (!vm->declare_mode || vm->declarations == nullptr) {
    return luaL_error(lua, "%s can only be called while the rule file loads", what);
  }
  luaL_checktype(lua, 1, LUA_TTABLE);
  lua_settop(lua, 1);
  const int64_t line = caller_line(lua);
  const size_t errors_before = vm->declarations->errors.size();
  DeclaredRule& rule = vm->declarations->rules.emplace_back();
  rule.info.where.file = vm->file->name;
  rule.info.where.line = line;
  if (signature) {
    rule.info.kind = RuleKind::kSignature;
  }

  // The id first, so every later problem names the rule.
  if (raw_field(lua, 1, "id") == LUA_TSTRING) {
    rule.info.id = view_of(lua, -1);
    rule.info.where.rule_id = rule.info.id;
  }
  lua_pop(lua, 1);
  const RuleKind declared = rule.info.kind;
  lua_pushnil(lua);
  while (lua_next(lua, 1) != 0) {
    lua_pop(lua, 1);
    if (lua_type(lua, -1) != LUA_TSTRING) {
      add_problem(vm, Problem::kWarning, rule, "", "non-string key ignored");
      continue;
    }
    const RuleField* field = find_rule_field(view_of(lua, -1));
    if (field == nullptr) {
      vm->scratch.assign("unknown key '").append(view_of(lua, -1)).append("' ignored");
      add_problem(vm, Problem::kWarning, rule, "", vm->scratch);
    } else if (!field_applies(*field, declared)) {
      vm->scratch.assign("key '").append(view_of(lua, -1)).append("' is not used by ");
      vm->scratch.append(what).append(" (only by ").append(field_scope_name(field->scope));
      vm->scratch.append("{}): ignored");
      add_problem(vm, Problem::kWarning, rule, "", vm->scratch);
    }
  }
  bool has_severity = false;
  for (const RuleField& field : rule_fields()) {
    if (!field_applies(field, declared)) {
      continue;
    }
    const int type = raw_field(lua, 1, field.name);
    has_severity = has_severity || (field.name == "severity" && type != LUA_TNIL);
    if (type == LUA_TNIL) {
      if (field.required) {
        add_problem(vm, Problem::kError, rule, field.name, "required field is missing");
      }
    } else if (type != lua_type_of(field.type)) {
      vm->scratch.assign("must be a ").append(field_type_name(field.type));
      add_problem(vm, Problem::kError, rule, field.name, vm->scratch);
    } else {
      read_field(lua, vm, rule, field);
    }
    lua_pop(lua, 1);
  }
  if (signature) {
    if (!has_severity) {
      add_problem(vm, Problem::kError, rule, "severity", "required for signatures");
    }
    if (rule.info.roles.empty()) {
      rule.info.roles = {core::Role::kUser, core::Role::kTool};
    }
  } else {
    if (!has_severity && rule.info.kind == RuleKind::kDetector) {
      add_problem(vm, Problem::kError, rule, "severity", "required for detectors");
    }
    if (!rule.info.has_on_message && !rule.info.has_on_conversation) {
      add_problem(vm, Problem::kError, rule, "", "needs on_message or on_conversation");
    }
  }
  rule.valid = vm->declarations->errors.size() == errors_before;
  return 0;
}

}  // namespace

int lua_rule(lua_State* lua) noexcept {
  return declare(lua, false);
}

int lua_signature(lua_State* lua) noexcept {
  return declare(lua, true);
}

int lua_disable(lua_State* lua) noexcept {
  VmState* vm = vm_of(lua);
  if (!vm->declare_mode || vm->declarations == nullptr) {
    return luaL_error(lua, "disable{} can only be called while the rule file loads");
  }
  luaL_checktype(lua, 1, LUA_TTABLE);
  lua_settop(lua, 1);
  const int64_t line = caller_line(lua);
  const size_t count = lua_rawlen(lua, 1);
  for (size_t i = 1; i <= count; ++i) {
    const bool is_string = lua_rawgeti(lua, 1, static_cast<lua_Integer>(i)) == LUA_TSTRING;
    SourceLocation where{vm->file->name, line, 0, {}};
    if (is_string) {
      where.rule_id = view_of(lua, -1);
      vm->declarations->disabled.push_back(std::move(where));
    } else {
      vm->declarations->errors.push_back(
          Error{ErrorCode::kRuleSchema, "disable{}: each item must be a rule id string", where});
    }
    lua_pop(lua, 1);
  }
  if (count == 0) {
    vm->declarations->warnings.push_back(Error{
        ErrorCode::kRuleSchema, "disable{}: no rule ids given", {vm->file->name, line, 0, {}}});
  }
  return 0;
}

}  // namespace convaudit::rulehost::internal
