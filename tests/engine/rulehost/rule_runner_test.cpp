#include "engine/rulehost/rule_runner.h"

#include <catch2/catch.hpp>

#include "rule_fixture.h"
#include "tests/support/conversation_builder.h"

namespace convaudit::rulehost {

using convaudit::testing::ConversationBuilder;
using testing::describe;
using testing::rule_file;

namespace {

std::unique_ptr<RuleRunner> runner_for(std::vector<RuleSourceFile> files) {
  auto runner = RuleRunner::create(testing::load_rules(std::move(files)));
  REQUIRE(runner);
  return std::move(*runner);
}

}  // namespace

TEST_CASE("findings take their defaults from the rule and the message", "[rulehost][runner]") {
  auto runner = runner_for({rule_file("d.lua", R"(
rule { id = "security.d", version = "1", category = "security", severity = "medium",
  description = "d",
  on_message = function(msg, ctx)
    if msg.role == "user" then ctx:finding{} end
  end,
})")});
  testing::TestRedactor redact;
  const std::string long_text = std::string(199, 'a') + "\xC3\xA9" + "tail";  // é at 199..200
  const ConversationResult result = runner->run(
      redact(ConversationBuilder("s1").user("hi").assistant("x").user(long_text).build()));
  CHECK(describe(result) ==
        std::vector<std::string>{"security.d@msg0:medium", "security.d@msg2:medium"});
  const Finding& first = result.findings[0];
  CHECK(first.session_id == "s1");
  CHECK(first.category == "security");
  CHECK(first.type == "security.d");
  CHECK(first.excerpt == "hi");
  CHECK(result.findings[1].excerpt == std::string(199, 'a'));  // cut before the split character
}

TEST_CASE("ctx records overrides, scores and metrics", "[rulehost][runner]") {
  auto runner = runner_for({rule_file("o.lua", R"(
rule { id = "business.o", version = "1", category = "business", severity = "low",
  description = "o",
  on_conversation = function(conv, ctx)
    ctx:finding{ type = "refund", severity = "critical", excerpt = "custom", message_index = 1 }
    ctx:finding{ type = "whole" }
    ctx:score("quality", 7.5, "brief answers")
    ctx:metric("revenue_usd", #conv.messages * 10)
  end,
})")});
  testing::TestRedactor redact;
  const ConversationResult result =
      runner->run(redact(ConversationBuilder("s2").user("a").assistant("b").build()));
  CHECK(describe(result) == std::vector<std::string>{"business.o@msg1:critical",
                                                     "business.o@conv:low",
                                                     "business.o:score:quality=7.500000",
                                                     "business.o:metric:revenue_usd=20.000000"});
  CHECK(result.findings[0].type == "refund");
  CHECK(result.findings[0].excerpt == "custom");
  CHECK(result.findings[1].excerpt.empty());
  CHECK(result.scores[0].explanation == "brief answers");
  const std::vector<RuleCost> costs = runner->costs();
  REQUIRE(costs.size() == 1);
  CHECK(costs[0].calls == 1);
  CHECK(costs[0].matches == 4);
}

TEST_CASE("message views carry every field the rule API promises", "[rulehost][runner]") {
  auto runner = runner_for({rule_file("v.lua", R"(
rule { id = "test.views", version = "1", category = "quality", severity = "info",
  description = "checks views",
  on_message = function(msg, ctx)
    local m = msg.metadata
    local keys = 0
    for k, v in pairs(m) do keys = keys + 1 end
    local ok = msg.role == "assistant" and msg.index == 1 and msg.session_id == "s3"
      and msg.timestamp == "2026-07-14T09:30:00Z" and msg.timestamp_ms == 1784021400000
      and m.model == "m1" and math.type(m.tokens) == "integer" and m.tokens == 42
      and m.cost == 0.5 and m.flag == true and m.none == nil and m.nested.deep.x == "y"
      and #m.list == 3 and m.list[2] == "b" and keys == 6
      and #msg.pii == 1 and msg.pii[1].type == "EMAIL"
      and re.test(msg.text, "^mail <EMAIL_[0-9a-f]+>$") and msg.pii[1].token == re.match(msg.text, "<[^>]+>")
    if ok then ctx:finding{ type = "ok" } end
  end,
})")});
  testing::TestRedactor redact;
  const nlohmann::json metadata = {
      {"model", "m1"},          {"tokens", 42},    {"cost", 0.5},
      {"flag", true},           {"none", nullptr}, {"nested", {{"deep", {{"x", "y"}}}}},
      {"list", {"a", "b", "c"}}};
  const ConversationResult result =
      runner->run(redact(ConversationBuilder("s3", 1'784'021'400'000'000'000 - 1'000'000'000)
                             .user("first")
                             .assistant("mail alice@example.com", metadata)
                             .build()));
  CHECK(describe(result) == std::vector<std::string>{"test.views@msg1:info"});
  CHECK(runner->errors().failures().empty());
}

TEST_CASE("pairs over a message view lists every field, read or not", "[rulehost][runner]") {
  // Some fields (timestamp, metadata, pii, signatures) are built on first read: pairs() before
  // any read must still list all nine, with their values.
  auto runner = runner_for({rule_file("p.lua", R"(
rule { id = "test.pairs", version = "1", category = "quality", kind = "metric",
  description = "walks a view",
  on_message = function(msg, ctx)
    local names = {}
    for k, v in pairs(msg) do
      if v ~= nil then names[#names + 1] = k end
    end
    table.sort(names)
    ctx:metric(table.concat(names, ","), 1)
    local seen = {}
    for k, v in pairs(msg) do seen[k] = v end
    ctx:metric("model=" .. seen.metadata.model .. " ts=" .. seen.timestamp, 1)
  end,
})")});
  testing::TestRedactor redact;
  const ConversationResult result = runner->run(redact(
      ConversationBuilder("s8", 1'784'021'400'000'000'000).user("hi", {{"model", "m2"}}).build()));
  REQUIRE(result.metrics.size() == 2);
  CHECK(result.metrics[0].name ==
        "index,metadata,pii,role,session_id,signatures,text,timestamp,timestamp_ms");
  CHECK(result.metrics[1].name == "model=m2 ts=2026-07-14T09:30:00Z");
}

TEST_CASE("a message view kept past its conversation fails clearly", "[rulehost][runner]") {
  // A view's late-built fields come from the conversation being audited: one stashed in a
  // file-level variable and read in the next conversation is an error, never another
  // conversation's data.
  auto runner = runner_for({rule_file("k.lua", R"(
local kept = nil
rule { id = "test.keep", version = "1", category = "quality", kind = "metric",
  description = "keeps a view",
  on_message = function(msg, ctx)
    if kept == nil then
      kept = msg
    else
      ctx:metric("kept text " .. kept.text, 1)
      ctx:metric("kept model " .. tostring(kept.metadata.model), 1)
    end
  end,
})")});
  testing::TestRedactor redact;
  const ConversationResult first =
      runner->run(redact(ConversationBuilder("s9").user("one", {{"model", "first"}}).build()));
  CHECK(first.metrics.empty());
  const ConversationResult second =
      runner->run(redact(ConversationBuilder("s10").user("two", {{"model", "second"}}).build()));
  CHECK(second.metrics.empty());  // the failed call records nothing
  REQUIRE(runner->errors().failures().size() == 1);
  CHECK(runner->errors().failures()[0].message.find("message view used after its conversation") !=
        std::string::npos);
}

TEST_CASE("conversation views list the messages in order", "[rulehost][runner]") {
  auto runner = runner_for({rule_file("c.lua", R"(
rule { id = "test.conv", version = "1", category = "quality", kind = "metric",
  description = "counts",
  on_conversation = function(conv, ctx)
    local roles = {}
    for i, m in ipairs(conv.messages) do roles[#roles + 1] = m.role .. m.index end
    ctx:metric(conv.session_id .. ":" .. table.concat(roles, ","), #conv.messages)
  end,
})")});
  testing::TestRedactor redact;
  const ConversationResult result =
      runner->run(redact(ConversationBuilder("s4").user("a").assistant("b").user("c").build()));
  REQUIRE(result.metrics.size() == 1);
  CHECK(result.metrics[0].name == "s4:user0,assistant1,user2");
  CHECK(result.metrics[0].value == 3);
}

TEST_CASE("re helpers work on text and report bad patterns", "[rulehost][runner]") {
  auto runner = runner_for({rule_file("r.lua", R"lua(
rule { id = "test.re", version = "1", category = "quality", kind = "metric",
  description = "re",
  on_message = function(msg, ctx)
    local s, e = re.find("say Hello there", "(?i)hello")
    local a, b = re.match("k=v", "(\\w)=(\\w)")
    local g, n = re.gsub("a1b22", "\\d+", "#")
    local parts = re.split("a, b,c", ",\\s*")
    local ok = re.test("abc", "b") and not re.test("abc", "z") and s == 5 and e == 9
      and a == "k" and b == "v" and g == "a#b#" and n == 2 and #parts == 3 and parts[3] == "c"
      and re.count("aXbXc", "X") == 2 and re.match("abc", "b") == "b" and re.find("abc", "z") == nil
    ctx:metric("ok", ok and 1 or 0)
    if msg.text == "bad" then re.test("x", "(") end
  end,
})lua")});
  testing::TestRedactor redact;
  const ConversationResult result =
      runner->run(redact(ConversationBuilder("s5").user("fine").user("bad").build()));
  CHECK(describe(result) == std::vector<std::string>{"test.re:metric:ok=1.000000"});
  const std::vector<RuleFailure> failures = runner->errors().failures();
  REQUIRE(failures.size() == 1);
  CHECK(failures[0].kind == ErrorCode::kRuleRuntime);
  CHECK(failures[0].where.line == 13);
  CHECK(failures[0].message.find("(") != std::string::npos);
}

TEST_CASE("re answers the same on the plain-text and character-class fast paths",
          "[rulehost][runner]") {
  // Plain-text patterns (" ", "\\$") and one-class patterns ("[^a-z]+") are searched without a
  // regex call; wrapped in "(?:...)" the same pattern goes through RE2. Every function must give
  // the same answer either way, on ASCII and non-ASCII text, at the edges and with NUL bytes.
  auto runner = runner_for({rule_file("fast.lua", R"lua(
local TEXTS = { "", " ", "a b  c ", "  lead", "trail  ", "x$y$$z$", "a|b||", "abab aba",
  "naïve café, ok!", "line\nbreak\t tab\r\n", "\0nul\0 \0", "UPPER lower 123 !?", "...",
  "日本語 テキスト", "é", "a\255b" }
local PATTERNS = { " ", "\\$", "\\|", "ab", "[^a-z]+", "[ ._\\-*]", "[^\\p{L}\\p{N}]+",
  "[A-Z]+", "[\\s]+", "[^\\x00-\\x7F]", "[0-9]" }
local function split(text, pattern)
  return table.concat(re.split(text, pattern), "|") .. "#" .. #re.split(text, pattern)
end
local function split_set(text, pattern)
  local set, n = re.split_set(text, pattern)
  local keys = {}
  for key, value in pairs(set) do keys[#keys + 1] = key .. "=" .. tostring(value) end
  table.sort(keys)
  return table.concat(keys, "|") .. "#" .. n
end
local function answers(text, pattern)
  local g1, n1 = re.gsub(text, pattern, "_")
  local g2, n2 = re.gsub(text, pattern, "")
  local f1, f2 = re.find(text, pattern)
  local f3, f4 = re.find(text, pattern, 3)
  return table.concat({ tostring(re.test(text, pattern)), tostring(f1), tostring(f2),
    tostring(f3), tostring(f4), tostring(re.match(text, pattern)), re.count(text, pattern),
    g1, n1, g2, n2, split(text, pattern), split_set(text, pattern) }, "\1")
end
rule { id = "test.fast", version = "1", category = "quality", kind = "metric",
  description = "fast paths",
  on_message = function(msg, ctx)
    local wrong, compared = 0, 0
    for _, text in ipairs(TEXTS) do
      for _, pattern in ipairs(PATTERNS) do
        compared = compared + 1
        if answers(text, pattern) ~= answers(text, "(?:" .. pattern .. ")") then
          wrong = wrong + 1
        end
      end
    end
    ctx:metric("wrong", wrong)
    ctx:metric("compared", compared)
  end,
})lua")});
  testing::TestRedactor redact;
  const ConversationResult result =
      runner->run(redact(ConversationBuilder("s8").user("go").build()));
  CHECK(describe(result) == std::vector<std::string>{"test.fast:metric:wrong=0.000000",
                                                     "test.fast:metric:compared=176.000000"});
  CHECK(runner->errors().failures().empty());
}

TEST_CASE("re.split_set gives the distinct pieces and their number", "[rulehost][runner]") {
  auto runner = runner_for({rule_file("s.lua", R"lua(
rule { id = "test.set", version = "1", category = "quality", kind = "metric",
  description = "split_set",
  on_message = function(msg, ctx)
    local words, n = re.split_set("to be or not to be", " ")
    local parts, m = re.split_set("a, b,,a", ",\\s*")
    local none, k = re.split_set("", " ")
    local ok = n == 4 and words.to and words.be and words["or"] and words["not"] and
      words[""] == nil and m == 3 and parts.a and parts.b and parts[""] and k == 1 and none[""]
    ctx:metric("ok", ok and 1 or 0)
  end,
})lua")});
  testing::TestRedactor redact;
  const ConversationResult result =
      runner->run(redact(ConversationBuilder("s10").user("go").build()));
  CHECK(describe(result) == std::vector<std::string>{"test.set:metric:ok=1.000000"});
  CHECK(runner->errors().failures().empty());
}

TEST_CASE("messages without PII or signature hits share one empty read-only list",
          "[rulehost][runner]") {
  auto runner = runner_for({rule_file("e.lua", R"lua(
rule { id = "test.empty", version = "1", category = "quality", kind = "metric",
  description = "empty lists",
  on_conversation = function(conv, ctx)
    local a, b = conv.messages[1], conv.messages[2]
    local empty = #a.pii == 0 and #a.signatures == 0 and next(a.pii) == nil and
      a.pii[1] == nil and #b.pii == 1 and b.pii[1].type ~= nil
    local n = 0
    for _ in pairs(a.signatures) do n = n + 1 end
    local ok = pcall(function() a.pii[1] = "x" end)
    local ok2 = pcall(function() a.signatures.x = 1 end)
    ctx:metric("empty", (empty and n == 0 and not ok and not ok2 and a.pii[1] == nil and
      a.signatures.x == nil) and 1 or 0)
  end,
})lua")});
  testing::TestRedactor redact;
  const ConversationResult result = runner->run(
      redact(ConversationBuilder("s9").user("hello").assistant("mail alice@example.com").build()));
  CHECK(describe(result) == std::vector<std::string>{"test.empty:metric:empty=1.000000"});
  CHECK(runner->errors().failures().empty());
}

TEST_CASE("patterns built at run time each get their own regex, past the cache size",
          "[rulehost][runner]") {
  // Thousands of short-lived pattern strings of one length, short (interned) and long (over 40
  // bytes, one Lua string per concatenation): Lua frees and reuses their memory, so a pattern
  // cache keyed by address must keep each string alive while it has a slot; and more distinct
  // patterns than the cache holds must keep giving right answers after it is emptied.
  auto runner = runner_for({rule_file("p.lua", R"lua(
rule { id = "test.patterns", version = "1", category = "quality", kind = "metric",
  description = "dynamic patterns",
  on_message = function(msg, ctx)
    local wrong = 0
    for i = 1, 3000 do
      local digit = tostring(i % 10)
      if re.test("x" .. digit, "^x" .. digit .. "$") ~= true then wrong = wrong + 1 end
      if re.test("x" .. digit, "^x" .. tostring((i + 1) % 10) .. "$") ~= false then
        wrong = wrong + 1
      end
      local exact = "^n" .. i .. "$"
      if not re.test("n" .. i, exact) or re.test("n" .. (i + 1), exact) then wrong = wrong + 1 end
      local text, n = re.gsub("n" .. i, exact, "hit")
      if text ~= "hit" or n ~= 1 then wrong = wrong + 1 end
      local same, none = re.gsub("m" .. i, exact, "hit")
      if same ~= "m" .. i or none ~= 0 then wrong = wrong + 1 end
      local long = "^n" .. i .. "$|^" .. string.rep("z", 48) .. "$"
      if not re.test("n" .. i, long) or re.test("n" .. (i + 1), long) then wrong = wrong + 1 end
    end
    ctx:metric("wrong", wrong)
  end,
})lua")});
  testing::TestRedactor redact;
  const ConversationResult result =
      runner->run(redact(ConversationBuilder("s7").user("go").build()));
  CHECK(describe(result) == std::vector<std::string>{"test.patterns:metric:wrong=0.000000"});
  CHECK(runner->errors().failures().empty());
}

TEST_CASE("long patterns rebuilt with the same text on every call keep their own regex",
          "[rulehost][runner]") {
  // Each call concatenates the same long patterns again: new string objects with the text of
  // ones seen before. Those objects die after the call and their memory is reused for other
  // patterns' strings in the next; a slot keyed by address must never answer for them.
  auto runner = runner_for({rule_file("r.lua", R"lua(
local WORDS = {}
for i = 1, 60 do WORDS[i] = "w" .. i .. "x" end
rule { id = "test.rebuilt", version = "1", category = "quality", kind = "metric",
  description = "rebuilt patterns",
  on_message = function(msg, ctx)
    local wrong = 0
    for round = 1, 6 do
      local order = {}
      for i = 1, #WORDS do order[i] = WORDS[(i * 7 + round * 13) % #WORDS + 1] end
      for _, w in ipairs(order) do
        local pattern = "^(?:" .. w .. ")$|^" .. string.rep("z", 40) .. "$"
        if not re.test(w, pattern) then wrong = wrong + 1 end
        if re.test(w .. "y", pattern) then wrong = wrong + 1 end
      end
    end
    ctx:metric("wrong", wrong)
  end,
})lua")});
  testing::TestRedactor redact;
  for (int call = 0; call < 4; ++call) {
    const ConversationResult result =
        runner->run(redact(ConversationBuilder("s" + std::to_string(call)).user("go").build()));
    CHECK(describe(result) == std::vector<std::string>{"test.rebuilt:metric:wrong=0.000000"});
  }
  CHECK(runner->errors().failures().empty());
}

TEST_CASE("a failed call records nothing, the next call does", "[rulehost][runner]") {
  auto runner = runner_for({rule_file("f.lua", R"(
rule { id = "test.half", version = "1", category = "quality", severity = "low",
  description = "half",
  on_message = function(msg, ctx)
    ctx:finding{ type = "before" }
    if msg.text == "boom" then error("boom") end
  end,
})")});
  testing::TestRedactor redact;
  const ConversationResult result =
      runner->run(redact(ConversationBuilder("s6").user("boom").user("ok").build()));
  CHECK(describe(result) == std::vector<std::string>{"test.half@msg1:low"});
  REQUIRE(runner->errors().failures().size() == 1);
  CHECK(runner->errors().failures()[0].where.line == 6);
  CHECK(runner->errors().failures()[0].where.rule_id == "test.half");
}

TEST_CASE("bad ctx arguments are runtime errors", "[rulehost][runner]") {
  auto runner = runner_for({rule_file("b.lua", R"(
rule { id = "test.bad_ctx", version = "1", category = "quality", severity = "low",
  description = "bad",
  on_message = function(msg, ctx)
    if msg.index == 0 then ctx:finding{ severity = "urgent" } end
    if msg.index == 1 then ctx:finding{ message_index = 99 } end
    if msg.index == 2 then ctx:score("x", 0/0) end
  end,
})")});
  testing::TestRedactor redact;
  const ConversationResult result =
      runner->run(redact(ConversationBuilder("s7").user("a").user("b").user("c").build()));
  CHECK(result.findings.empty());
  CHECK(result.scores.empty());
  REQUIRE(runner->errors().failures().size() == 1);
  CHECK(runner->errors().failures()[0].kind == ErrorCode::kRuleRuntime);
  CHECK(runner->errors().failures()[0].count == 3);
}

TEST_CASE("rule{} is not available at run time", "[rulehost][runner]") {
  auto runner = runner_for({rule_file("late.lua", R"(
rule { id = "test.late", version = "1", category = "quality", severity = "low",
  description = "late",
  on_message = function(msg, ctx)
    rule { id = "test.sneaky" }
  end,
})")});
  testing::TestRedactor redact;
  (void)runner->run(redact(ConversationBuilder("s8").user("a").build()));
  REQUIRE(runner->errors().failures().size() == 1);
  CHECK(runner->errors().failures()[0].kind == ErrorCode::kRuleRuntime);
  CHECK(runner->errors().failures()[0].where.line == 5);
}

TEST_CASE("a runner can be limited to some rules", "[rulehost][runner]") {
  auto rules = testing::load_rules({testing::canary_file(), rule_file("o.lua", R"(
rule { id = "test.other", version = "1", category = "quality", severity = "low",
  description = "other", on_message = function(msg, ctx) ctx:finding{} end })")});
  auto runner = RuleRunner::create(rules, {"test.other"});
  REQUIRE(runner);
  testing::TestRedactor redact;
  const ConversationResult result =
      (*runner)->run(redact(ConversationBuilder("s9").user("a").build()));
  CHECK(describe(result) == std::vector<std::string>{"test.other@msg0:low"});
  CHECK((*runner)->costs().size() == 1);
}

}  // namespace convaudit::rulehost

namespace convaudit::rulehost {

TEST_CASE("the runner calls the handler of the overriding pack", "[rulehost][runner]") {
  auto runner = runner_for({
      rule_file("builtin/x.lua", R"(
rule { id = "security.x", version = "1", category = "security", severity = "low",
  description = "builtin", on_message = function(msg, ctx) ctx:finding{ type = "builtin" } end })",
                0),
      rule_file("user/x.lua", R"(
rule { id = "security.x", version = "2", category = "security", severity = "high",
  description = "user", on_message = function(msg, ctx) ctx:finding{ type = "user" } end })",
                1),
  });
  testing::TestRedactor redact;
  const ConversationResult result = runner->run(redact(ConversationBuilder("o").user("a").build()));
  REQUIRE(result.findings.size() == 1);
  CHECK(result.findings[0].type == "user");
  CHECK(result.findings[0].severity == Severity::kHigh);
}

TEST_CASE("rule{ roles = ... } calls on_message only for those roles", "[rulehost][runner]") {
  auto runner = runner_for({rule_file("r.lua", R"(
rule { id = "quality.assistant_only", version = "1", category = "quality", severity = "low",
  description = "d", roles = { "assistant" },
  on_message = function(msg, ctx) ctx:finding{ type = "seen_" .. msg.role } end,
})")});
  testing::TestRedactor redact;
  const ConversationResult result = runner->run(
      redact(ConversationBuilder("s").user("a").assistant("b").user("c").assistant("d").build()));
  REQUIRE(result.findings.size() == 2);
  CHECK(result.findings[0].type == "seen_assistant");
  CHECK(result.findings[0].message_index == 1);
  CHECK(result.findings[1].message_index == 3);
  const std::vector<RuleCost> costs = runner->costs();
  const RuleCost* cost = testing::cost_of(costs, "quality.assistant_only");
  REQUIRE(cost != nullptr);
  CHECK(cost->calls == 2);
}

}  // namespace convaudit::rulehost
