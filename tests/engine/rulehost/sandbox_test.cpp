// The adversarial suite: hostile rules must be stopped, classified and located, and must not
// stop the other rules.

#include <catch2/catch.hpp>

#include "engine/rulehost/rule_runner.h"

#include "rule_fixture.h"
#include "tests/support/conversation_builder.h"

namespace convaudit::rulehost {

using convaudit::testing::ConversationBuilder;
using testing::rule_file;

namespace {

// A detector whose on_message body starts at line 4 of hostile.lua.
std::string hostile(const std::string& body) {
  return "rule { id = \"hostile.rule\", version = \"1\", category = \"security\", severity = "
         "\"low\",\n"
         "  description = \"hostile\",\n"
         "  on_message = function(msg, ctx)\n" +
         body + "  end,\n}\n";
}

struct Outcome {
  ConversationResult result;
  std::vector<RuleFailure> failures;
  std::vector<RuleCost> costs;
};

Outcome run_hostile(const std::string& content, int messages = 2,
                    const RuleLimits& limits = testing::fast_limits()) {
  auto rules =
      testing::load_rules({testing::canary_file(), rule_file("hostile.lua", content)}, limits);
  auto runner = RuleRunner::create(rules);
  REQUIRE(runner);
  testing::TestRedactor redact;
  ConversationBuilder builder("h");
  for (int i = 0; i < messages; ++i) {
    builder.user("message " + std::to_string(i));
  }
  Outcome outcome;
  outcome.result = (*runner)->run(redact(builder.build()));
  outcome.failures = (*runner)->errors().failures();
  outcome.costs = (*runner)->costs();
  return outcome;
}

// The hostile rule was stopped with `kind` at hostile.lua:`line`, produced nothing, and the
// canary still fired on every message.
void check_contained(const Outcome& outcome, ErrorCode kind, int64_t line, int messages = 2) {
  REQUIRE(outcome.failures.size() == 1);
  const RuleFailure& failure = outcome.failures[0];
  CHECK(failure.rule_id == "hostile.rule");
  CHECK(error_code_name(failure.kind) == error_code_name(kind));
  CHECK(failure.where.file == "hostile.lua");
  CHECK(failure.where.line == line);
  CHECK(failure.where.rule_id == "hostile.rule");
  CHECK(testing::count_rule(outcome.result, "test.canary") == static_cast<size_t>(messages));
  CHECK(testing::count_rule(outcome.result, "hostile.rule") == 0);
}

void check_blocked(const std::string& body, int64_t line = 4) {
  const Outcome outcome = run_hostile(hostile(body));
  check_contained(outcome, ErrorCode::kRuleBlockedCall, line);
  CHECK(outcome.failures[0].message.find("blocked call") != std::string::npos);
}

}  // namespace

TEST_CASE("hostile: an endless loop trips the cpu budget, other rules go on",
          "[rulehost][sandbox]") {
  const Outcome outcome = run_hostile(hostile("    while true do end\n"));
  check_contained(outcome, ErrorCode::kRuleCpuBudget, 4);
  CHECK(outcome.failures[0].count == 2);
}

TEST_CASE("hostile: pcall cannot swallow the cpu budget", "[rulehost][sandbox]") {
  const Outcome outcome =
      run_hostile(hostile("    pcall(function()\n"
                          "      while true do end\n"
                          "    end)\n"
                          "    ctx:finding{ type = \"escaped\" }\n"));
  check_contained(outcome, ErrorCode::kRuleCpuBudget, 5);
}

TEST_CASE("hostile: pcall in an endless loop cannot outlast the cpu budget",
          "[rulehost][sandbox]") {
  const Outcome outcome =
      run_hostile(hostile("    while true do\n"
                          "      pcall(function() while true do end end)\n"
                          "    end\n"));
  check_contained(outcome, ErrorCode::kRuleCpuBudget, 5);
}

TEST_CASE("hostile: an xpcall handler that loops cannot outlast the cpu budget",
          "[rulehost][sandbox]") {
  const Outcome outcome = run_hostile(hostile(
      "    local ok = xpcall(function() while true do end end, function() while true do end end)\n"
      "    ctx:finding{ type = \"escaped\" }\n"));
  check_contained(outcome, ErrorCode::kRuleCpuBudget, 4);
}

TEST_CASE("hostile: a looping __close handler cannot outlast the cpu budget",
          "[rulehost][sandbox]") {
  const Outcome outcome = run_hostile(hostile(
      "    local guard <close> = setmetatable({}, { __close = function() while true do end end })\n"
      "    while true do end\n"));
  check_contained(outcome, ErrorCode::kRuleCpuBudget, 5);
}

TEST_CASE("hostile: a string-doubling memory bomb trips the memory budget", "[rulehost][sandbox]") {
  const Outcome outcome =
      run_hostile(hostile("    local s = \"x\"\n"
                          "    local keep = {}\n"
                          "    while true do\n"
                          "      s = s .. s\n"
                          "      keep[#keep + 1] = s\n"
                          "    end\n"));
  check_contained(outcome, ErrorCode::kRuleMemoryBudget, 7);
}

TEST_CASE("hostile: a table-growth memory bomb trips the memory budget", "[rulehost][sandbox]") {
  const Outcome outcome =
      run_hostile(hostile("    local t = {}\n"
                          "    for i = 1, 1000 do\n"
                          "      t[i] = string.rep(\"x\", 1 << 20) .. i\n"
                          "    end\n"));
  check_contained(outcome, ErrorCode::kRuleMemoryBudget, 6);
}

TEST_CASE("hostile: pcall cannot swallow the memory budget", "[rulehost][sandbox]") {
  const Outcome outcome =
      run_hostile(hostile("    pcall(function()\n"
                          "      local s = \"x\"; while true do s = s .. s end\n"
                          "    end)\n"
                          "    ctx:finding{ type = \"escaped\" }\n"));
  check_contained(outcome, ErrorCode::kRuleMemoryBudget, 5);
}

TEST_CASE("hostile: memory held in a global is recovered by a fresh state, then quarantine",
          "[rulehost][sandbox]") {
  const Outcome outcome = run_hostile(hostile("    hoard = {}\n"
                                              "    for i = 1, 1000 do\n"
                                              "      hoard[i] = string.rep(\"x\", 1 << 20) .. i\n"
                                              "    end\n"),
                                      5);
  check_contained(outcome, ErrorCode::kRuleMemoryBudget, 6, 5);
  CHECK(outcome.failures[0].count == 3);
  const RuleCost* cost = testing::cost_of(outcome.costs, "hostile.rule");
  REQUIRE(cost != nullptr);
  CHECK(cost->budget_trips == 3);
  CHECK(cost->quarantined);
  CHECK(cost->calls == 3);
}

TEST_CASE("hostile: os.execute is a blocked call", "[rulehost][sandbox]") {
  const Outcome outcome = run_hostile(hostile("    os.execute(\"touch /tmp/convaudit-pwned\")\n"));
  check_contained(outcome, ErrorCode::kRuleBlockedCall, 4);
  CHECK(outcome.failures[0].message == "blocked call: os.execute");
}

TEST_CASE("hostile: io.open is a blocked call", "[rulehost][sandbox]") {
  check_blocked("    local f = io.open(\"/etc/passwd\")\n");
}

TEST_CASE("hostile: require of a library is a blocked call", "[rulehost][sandbox]") {
  check_blocked("    local os = require(\"os\")\n");
}

TEST_CASE("hostile: load(string.dump(f)) is a blocked call", "[rulehost][sandbox]") {
  check_blocked("    local f = load(string.dump(function() end))\n");
}

TEST_CASE("hostile: load of text is a blocked call", "[rulehost][sandbox]") {
  check_blocked("    local f = load(\"return 1\")\n");
}

TEST_CASE("hostile: loadstring is a blocked call", "[rulehost][sandbox]") {
  check_blocked("    local f = loadstring(\"return 1\")\n");
}

TEST_CASE("hostile: dofile is a blocked call", "[rulehost][sandbox]") {
  check_blocked("    dofile(\"/etc/passwd\")\n");
}

TEST_CASE("hostile: debug.getinfo is a blocked call", "[rulehost][sandbox]") {
  check_blocked("    local info = debug.getinfo(1)\n");
}

TEST_CASE("hostile: string.dump is a blocked call", "[rulehost][sandbox]") {
  check_blocked("    local code = string.dump(function() end)\n");
}

TEST_CASE("hostile: string.dump in method form is a blocked call", "[rulehost][sandbox]") {
  check_blocked("    local code = (\"x\"):dump()\n");
  check_blocked("    local code = msg.text:dump(function() end)\n");
}

TEST_CASE("hostile: load of bytecode is a blocked call", "[rulehost][sandbox]") {
  check_blocked("    local f = load(\"\\27Lua\", \"=x\", \"b\")\n");
}

TEST_CASE("hostile: collectgarbage is a blocked call", "[rulehost][sandbox]") {
  check_blocked("    collectgarbage(\"collect\")\n");
  check_blocked("    local kb = collectgarbage(\"count\")\n");
}

TEST_CASE("hostile: coroutine.wrap and coroutine.resume are blocked calls", "[rulehost][sandbox]") {
  check_blocked("    local f = coroutine.wrap(function() end)\n");
  check_blocked("    coroutine.resume(nil)\n");
}

TEST_CASE("hostile: a __gc added to a metatable after setmetatable never runs",
          "[rulehost][sandbox]") {
  // The objects are collected (the weak table empties) but no finalizer runs: Lua marks an
  // object for finalization only if its metatable has __gc when it is set, which the sandbox's
  // setmetatable refuses.
  const Outcome outcome =
      run_hostile(hostile("    if msg.index == 0 then\n"
                          "      local weak = setmetatable({}, { __mode = \"k\" })\n"
                          "      for i = 1, 100 do\n"
                          "        local mt = {}\n"
                          "        local obj = setmetatable({}, mt)\n"
                          "        mt.__gc = function() gc_ran = true end\n"
                          "        weak[obj] = true\n"
                          "      end\n"
                          "      local junk = {}\n"
                          "      for i = 1, 8000 do junk[i % 50 + 1] = { i, tostring(i) .. "
                          "\"-padding-padding\" } end\n"
                          "      local left = 0\n"
                          "      for _ in pairs(weak) do left = left + 1 end\n"
                          "      if left < 100 then ctx:finding{ type = \"collected\" } end\n"
                          "    elseif gc_ran then\n"
                          "      ctx:finding{ type = \"gc_ran\" }\n"
                          "    end\n"),
                  3);
  CHECK(outcome.failures.empty());
  std::vector<std::string> types;
  for (const Finding& finding : outcome.result.findings) {
    if (finding.rule_id == "hostile.rule") {
      types.push_back(finding.type);
    }
  }
  CHECK(types == std::vector<std::string>{"collected"});
}

TEST_CASE("hostile: coroutine.create is a blocked call", "[rulehost][sandbox]") {
  check_blocked("    local co = coroutine.create(function() end)\n");
}

TEST_CASE("hostile: a metatable with __gc is refused", "[rulehost][sandbox]") {
  check_blocked("    setmetatable({}, { __gc = function() end })\n");
}

TEST_CASE("hostile: string.find with a pattern is a blocked call", "[rulehost][sandbox]") {
  check_blocked("    local at = string.find(msg.text, \"(.-)x\")\n");
  check_blocked("    local s = (\"abc\"):gsub(\"b\", \"c\")\n");
}

TEST_CASE("hostile: rawset on a view is a blocked call", "[rulehost][sandbox]") {
  check_blocked("    rawset(msg, \"text\", \"changed\")\n");
}

TEST_CASE("hostile: pcall cannot swallow a blocked call", "[rulehost][sandbox]") {
  const Outcome outcome =
      run_hostile(hostile("    local ok = pcall(function() return os.execute(\"id\") end)\n"
                          "    ctx:finding{ type = \"escaped\" }\n"));
  check_contained(outcome, ErrorCode::kRuleBlockedCall, 4);
}

TEST_CASE("hostile: the string metatable is locked", "[rulehost][sandbox]") {
  const Outcome outcome =
      run_hostile(hostile("    assert(getmetatable(\"\") == \"string\")\n"
                          "    getmetatable(\"\").__index = {}\n"));
  check_contained(outcome, ErrorCode::kRuleRuntime, 5);
}

TEST_CASE("hostile: string.rep is capped", "[rulehost][sandbox]") {
  const Outcome outcome = run_hostile(hostile("    local s = string.rep(\"x\", 1e10)\n"));
  check_contained(outcome, ErrorCode::kRuleRuntime, 4);
}

TEST_CASE("hostile: unbounded recursion is stopped", "[rulehost][sandbox]") {
  const Outcome outcome =
      run_hostile(hostile("    local function f(n) return 1 + f(n + 1) end\n"
                          "    f(1)\n"));
  // Lua's stack limit, the instruction budget or the memory budget, whichever comes first.
  REQUIRE_FALSE(outcome.failures.empty());
  for (const RuleFailure& failure : outcome.failures) {
    CHECK(failure.rule_id == "hostile.rule");
    CHECK((failure.kind == ErrorCode::kRuleRuntime || failure.kind == ErrorCode::kRuleCpuBudget ||
           failure.kind == ErrorCode::kRuleMemoryBudget));
    CHECK(failure.where.file == "hostile.lua");
  }
  CHECK(testing::count_rule(outcome.result, "test.canary") == 2);
}

TEST_CASE("hostile: a bytecode chunk is refused at load", "[rulehost][sandbox]") {
  const std::string bytecode("\x1bLuaT\x00\x19\x93\r\n\x1a\n\x04\x08\x08", 15);
  auto rules = RuleSet::load({rule_file("compiled.lua", bytecode)}, testing::fast_limits());
  REQUIRE_FALSE(rules);
  CHECK(rules.error().code == ErrorCode::kRuleSyntax);
  CHECK(rules.error().where.file == "compiled.lua");
}

TEST_CASE("hostile: a file whose top level never ends fails to load", "[rulehost][sandbox]") {
  auto rules = RuleSet::load({rule_file("spin.lua", "local x = 1\nwhile true do end\n")},
                             testing::fast_limits());
  REQUIRE_FALSE(rules);
  CHECK(rules.error().code == ErrorCode::kRuleCpuBudget);
  CHECK(rules.error().where.file == "spin.lua");
  CHECK(rules.error().where.line == 2);
}

TEST_CASE("hostile: a blocked call at load time fails the load", "[rulehost][sandbox]") {
  auto rules =
      RuleSet::load({rule_file("top.lua", "\nos.execute('id')\n")}, testing::fast_limits());
  REQUIRE_FALSE(rules);
  CHECK(rules.error().code == ErrorCode::kRuleBlockedCall);
  CHECK(rules.error().where.line == 2);
}

TEST_CASE("hostile: a rule failing on every call is reported once with its count",
          "[rulehost][sandbox]") {
  const Outcome outcome = run_hostile(hostile("    error(\"always\")\n"), 5);
  check_contained(outcome, ErrorCode::kRuleRuntime, 4, 5);
  CHECK(outcome.failures[0].count == 5);
  CHECK(outcome.failures[0].message == "always");  // the location is in `where`, not repeated
  const RuleCost* cost = testing::cost_of(outcome.costs, "hostile.rule");
  REQUIRE(cost != nullptr);
  CHECK(cost->calls == 5);
  CHECK_FALSE(cost->quarantined);  // errors are not budget trips
}

TEST_CASE("hostile: repeated budget trips quarantine the rule", "[rulehost][sandbox]") {
  const Outcome outcome = run_hostile(hostile("    while true do end\n"), 6);
  check_contained(outcome, ErrorCode::kRuleCpuBudget, 4, 6);
  CHECK(outcome.failures[0].count == 3);
  const RuleCost* cost = testing::cost_of(outcome.costs, "hostile.rule");
  REQUIRE(cost != nullptr);
  CHECK(cost->budget_trips == 3);
  CHECK(cost->calls == 3);
  CHECK(cost->quarantined);
  const RuleCost* canary = testing::cost_of(outcome.costs, "test.canary");
  REQUIRE(canary != nullptr);
  CHECK(canary->calls == 6);
  CHECK(canary->matches == 6);
}

TEST_CASE("hostile: a rule cannot see another file's globals", "[rulehost][sandbox]") {
  auto rules = testing::load_rules({
      rule_file("a.lua", R"(secret = "from a"
rule { id = "test.a", version = "1", category = "security", severity = "low", description = "a",
  on_message = function(msg, ctx) ctx:finding{ type = tostring(secret) } end })"),
      rule_file("b.lua", R"(
rule { id = "test.b", version = "1", category = "security", severity = "low", description = "b",
  on_message = function(msg, ctx)
    ctx:finding{ type = tostring(secret) .. "/" .. tostring(rawget(_G, "secret")) }
  end })"),
  });
  auto runner = RuleRunner::create(rules);
  REQUIRE(runner);
  testing::TestRedactor redact;
  const ConversationResult result =
      (*runner)->run(redact(ConversationBuilder("g").user("x").build()));
  REQUIRE(result.findings.size() == 2);
  CHECK(result.findings[0].type == "from a");
  CHECK(result.findings[1].type == "nil/nil");
}

TEST_CASE("hostile: shared library tables cannot be changed", "[rulehost][sandbox]") {
  auto rules = testing::load_rules({
      rule_file("a.lua", R"(
rule { id = "test.a", version = "1", category = "security", severity = "low", description = "a",
  on_message = function(msg, ctx)
    string.upper = function() return "pwned" end
  end })"),
      rule_file("b.lua", R"(
rule { id = "test.b", version = "1", category = "security", severity = "low", description = "b",
  on_message = function(msg, ctx) ctx:finding{ type = ("x"):upper() .. string.upper("y") } end })"),
  });
  auto runner = RuleRunner::create(rules);
  REQUIRE(runner);
  testing::TestRedactor redact;
  const ConversationResult result =
      (*runner)->run(redact(ConversationBuilder("g").user("x").build()));
  REQUIRE(result.findings.size() == 1);
  CHECK(result.findings[0].type == "XY");
  REQUIRE((*runner)->errors().failures().size() == 1);
  CHECK((*runner)->errors().failures()[0].kind == ErrorCode::kRuleRuntime);
  CHECK((*runner)->errors().failures()[0].where.line == 4);
}

TEST_CASE("hostile: message views are read-only", "[rulehost][sandbox]") {
  const Outcome outcome =
      run_hostile(hostile("    if msg.index == 0 then msg.text = \"changed\" end\n"
                          "    if msg.index == 1 then msg.metadata.x = 1 end\n"
                          "    if msg.index == 2 then table.insert(msg.pii, 1) end\n"
                          "    if msg.index == 3 then setmetatable(msg, nil) end\n"),
                  4);
  check_contained(outcome, ErrorCode::kRuleRuntime, 4, 4);
  CHECK(outcome.failures[0].count == 4);
  for (const Finding& finding : outcome.result.findings) {
    CHECK(finding.excerpt == "message " + std::to_string(finding.message_index));
  }
}

}  // namespace convaudit::rulehost
