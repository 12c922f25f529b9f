#include "engine/rulehost/rule_set.h"

#include <catch2/catch.hpp>

#include "rule_fixture.h"

namespace convaudit::rulehost {

using testing::fast_limits;
using testing::rule_file;

namespace {

// The first error of loading one file, or kOk.
ErrorCode load_error(const std::string& content, LoadDiagnostics* diagnostics = nullptr) {
  auto rules = RuleSet::load({rule_file("x.lua", content)}, fast_limits(), diagnostics);
  return rules ? ErrorCode::kOk : rules.error().code;
}

}  // namespace

TEST_CASE("a declared rule carries its metadata and where it was declared", "[rulehost][schema]") {
  auto rules = testing::load_rules({rule_file("pack/security/x.lua", R"(-- line 1
local helper = 1
rule {
  id = "security.x.one",
  version = "1.2.0",
  category = "security",
  severity = "high",
  description = "finds x",
  references = { "https://example.com/x" },
  tags = { "owasp", "llm01" },
  examples = {
    { text = "ignore previous", expect = true },
    { text = "hello", role = "assistant", metadata = { model = "m1", n = 2 }, expect = false },
    { conversation = { { role = "user", text = "a" }, { role = "bot", text = "b" } } },
  },
  on_message = function(msg, ctx) end,
}
)")});
  REQUIRE(rules->rules().size() == 1);
  const RuleInfo& rule = rules->rules()[0];
  CHECK(rule.id == "security.x.one");
  CHECK(rule.version == "1.2.0");
  CHECK(rule.kind == RuleKind::kDetector);
  CHECK(rule.category == "security");
  CHECK(rule.severity == Severity::kHigh);
  CHECK(rule.description == "finds x");
  CHECK(rule.references == std::vector<std::string>{"https://example.com/x"});
  CHECK(rule.tags == std::vector<std::string>{"owasp", "llm01"});
  CHECK(rule.has_on_message);
  CHECK_FALSE(rule.has_on_conversation);
  CHECK(rule.where.file == "pack/security/x.lua");
  CHECK(rule.where.line == 3);
  REQUIRE(rule.examples.size() == 3);
  CHECK(rule.examples[0].expect);
  CHECK(rule.examples[0].messages.size() == 1);
  CHECK(rule.examples[0].messages[0].role == "user");
  CHECK(rule.examples[1].expect == false);
  CHECK(rule.examples[1].messages[0].role == "assistant");
  CHECK(rule.examples[1].messages[0].metadata == nlohmann::json{{"model", "m1"}, {"n", 2}});
  REQUIRE(rule.examples[2].messages.size() == 2);
  CHECK(rule.examples[2].messages[1].role == "assistant");
  CHECK(rule.examples[2].messages[1].text == "b");
  CHECK(rules->files().size() == 1);
}

TEST_CASE("schema: a missing id is an error", "[rulehost][schema]") {
  CHECK(load_error(R"(rule { version = "1", category = "security", severity = "low",
    description = "d", on_message = function() end })") == ErrorCode::kRuleSchema);
}

TEST_CASE("schema: a badly formed id is an error", "[rulehost][schema]") {
  LoadDiagnostics diagnostics;
  CHECK(load_error(R"(rule { id = "Security-X", version = "1", category = "security",
    severity = "low", description = "d", on_message = function() end })",
                   &diagnostics) == ErrorCode::kRuleSchema);
  REQUIRE(diagnostics.errors.size() == 1);
  CHECK(diagnostics.errors[0].where.file == "x.lua");
  CHECK(diagnostics.errors[0].where.line == 1);
  CHECK(diagnostics.errors[0].where.rule_id == "Security-X");
}

TEST_CASE("schema: a bad severity is an error", "[rulehost][schema]") {
  CHECK(load_error(R"(rule { id = "a.b", version = "1", category = "security",
    severity = "urgent", description = "d", on_message = function() end })") ==
        ErrorCode::kRuleSchema);
}

TEST_CASE("schema: detectors need a severity, scorers default to info", "[rulehost][schema]") {
  CHECK(load_error(R"(rule { id = "a.b", version = "1", category = "security",
    description = "d", on_message = function() end })") == ErrorCode::kRuleSchema);
  auto rules = testing::load_rules({rule_file("s.lua", R"(rule { id = "quality.s", version = "1",
    kind = "scorer", category = "quality", description = "d",
    on_conversation = function() end })")});
  REQUIRE(rules->rules().size() == 1);
  CHECK(rules->rules()[0].kind == RuleKind::kScorer);
  CHECK(rules->rules()[0].severity == Severity::kInfo);
  CHECK(rules->rules()[0].has_on_conversation);
}

TEST_CASE("schema: wrong field types and a missing handler are errors", "[rulehost][schema]") {
  CHECK(load_error(R"(rule { id = "a.b", version = "1", category = "security",
    severity = "low", description = 5, on_message = function() end })") == ErrorCode::kRuleSchema);
  CHECK(load_error(R"(rule { id = "a.b", version = "1", category = "security",
    severity = "low", description = "d" })") == ErrorCode::kRuleSchema);
  CHECK(load_error(R"(rule { id = "a.b", version = "1", category = "security",
    severity = "low", description = "d", kind = "signature", on_message = function() end })") ==
        ErrorCode::kRuleSchema);
  CHECK(load_error(R"(rule { id = "a.b", version = "1", category = "security",
    severity = "low", description = "d", tags = { 1, 2 }, on_message = function() end })") ==
        ErrorCode::kRuleSchema);
  CHECK(load_error(R"(rule { id = "a.b", version = "1", category = "security",
    severity = "low", description = "d", examples = { { role = "user" } },
    on_message = function() end })") == ErrorCode::kRuleSchema);
}

TEST_CASE("schema: an unknown key is a warning that names the key", "[rulehost][schema]") {
  LoadDiagnostics diagnostics;
  CHECK(load_error(R"(rule { id = "a.b", version = "1", category = "security",
    severity = "low", description = "d", serverity = "high", on_message = function() end })",
                   &diagnostics) == ErrorCode::kOk);
  REQUIRE(diagnostics.warnings.size() == 1);
  CHECK(diagnostics.warnings[0].code == ErrorCode::kRuleSchema);
  CHECK(diagnostics.warnings[0].message.find("serverity") != std::string::npos);
  CHECK(diagnostics.errors.empty());
}

TEST_CASE("a duplicate id within one pack is an error", "[rulehost][schema]") {
  const std::string body = R"(rule { id = "a.same", version = "1", category = "security",
    severity = "low", description = "d", on_message = function() end })";
  LoadDiagnostics diagnostics;
  auto rules = RuleSet::load({rule_file("one.lua", body), rule_file("two.lua", body)},
                             fast_limits(), &diagnostics);
  REQUIRE_FALSE(rules);
  CHECK(rules.error().code == ErrorCode::kRuleDuplicateId);
  CHECK(rules.error().where.file == "two.lua");
}

TEST_CASE("a later pack overrides an earlier one by id", "[rulehost][schema]") {
  auto rules = testing::load_rules({
      rule_file("user/override.lua", R"(rule { id = "a.same", version = "2", category = "security",
    severity = "critical", description = "user version", on_message = function() end })",
                1),
      rule_file("builtin/a.lua", R"(rule { id = "a.same", version = "1", category = "security",
    severity = "low", description = "builtin version", on_message = function() end }
rule { id = "a.other", version = "1", category = "security",
    severity = "low", description = "kept", on_message = function() end })",
                0),
  });
  REQUIRE(rules->rules().size() == 2);
  CHECK(rules->rules()[0].id == "a.other");
  CHECK(rules->rules()[1].id == "a.same");
  CHECK(rules->rules()[1].description == "user version");
  CHECK(rules->rules()[1].severity == Severity::kCritical);
  CHECK(rules->rules()[1].where.file == "user/override.lua");
  CHECK(rules->files().size() == 2);
}

TEST_CASE("a syntax error reports file and line", "[rulehost][schema]") {
  auto rules = RuleSet::load({rule_file("bad/syntax.lua", "-- one\nrule {\n  id = = 3\n}\n")},
                             fast_limits());
  REQUIRE_FALSE(rules);
  CHECK(rules.error().code == ErrorCode::kRuleSyntax);
  CHECK(rules.error().where.file == "bad/syntax.lua");
  CHECK(rules.error().where.line == 3);
  CHECK(rules.error().message.rfind("bad/syntax.lua", 0) != 0);  // no repeated location
}

TEST_CASE("all errors go to the diagnostics, the first is returned", "[rulehost][schema]") {
  LoadDiagnostics diagnostics;
  auto rules = RuleSet::load({rule_file("a.lua", "rule {"), rule_file("b.lua", "rule { id = 1 }")},
                             fast_limits(), &diagnostics);
  REQUIRE_FALSE(rules);
  CHECK(rules.error().code == ErrorCode::kRuleSyntax);
  CHECK(diagnostics.errors.size() >= 2);
}

}  // namespace convaudit::rulehost
