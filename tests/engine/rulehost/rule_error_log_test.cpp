#include "engine/rulehost/rule_error_log.h"

#include <catch2/catch.hpp>

namespace convaudit::rulehost {

TEST_CASE("a failure is kept once per rule and kind, later ones counted", "[rulehost][errors]") {
  RuleErrorLog log;
  log.add("b.rule", ErrorCode::kRuleRuntime, {"b.lua", 3}, "first");
  log.add("b.rule", ErrorCode::kRuleRuntime, {"b.lua", 9}, "second");
  log.add("b.rule", ErrorCode::kRuleCpuBudget, {"b.lua", 4}, "loop");
  log.add("a.rule", ErrorCode::kRuleBlockedCall, {"a.lua", 1}, "os.execute");
  const std::vector<RuleFailure> failures = log.failures();
  REQUIRE(failures.size() == 3);
  CHECK(failures[0].rule_id == "a.rule");
  CHECK(failures[1].kind == ErrorCode::kRuleRuntime);
  CHECK(failures[1].count == 2);
  CHECK(failures[1].message == "first");
  CHECK(failures[1].where.line == 3);
  CHECK(failures[2].kind == ErrorCode::kRuleCpuBudget);
  CHECK(log.count("b.rule") == 3);
  CHECK(log.count("a.rule") == 1);
  CHECK(log.count("c.rule") == 0);
}

TEST_CASE("merging logs adds counts and keeps the first message", "[rulehost][errors]") {
  RuleErrorLog one;
  RuleErrorLog two;
  one.add("x.rule", ErrorCode::kRuleRuntime, {"x.lua", 1}, "one");
  two.add("x.rule", ErrorCode::kRuleRuntime, {"x.lua", 2}, "two");
  two.add("x.rule", ErrorCode::kRuleRuntime, {"x.lua", 2}, "two");
  two.add("y.rule", ErrorCode::kRuleMemoryBudget, {"y.lua", 5}, "big");
  one.merge(two);
  const std::vector<RuleFailure> failures = one.failures();
  REQUIRE(failures.size() == 2);
  CHECK(failures[0].count == 3);
  CHECK(failures[0].message == "one");
  CHECK(failures[1].rule_id == "y.rule");
  CHECK(failures[1].count == 1);
}

}  // namespace convaudit::rulehost
