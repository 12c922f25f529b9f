#include "engine/rulehost/rule_info.h"

#include <catch2/catch.hpp>

namespace convaudit::rulehost {

TEST_CASE("rule ids are dotted lower snake", "[rulehost][schema]") {
  CHECK(is_valid_rule_id("security.prompt_injection.ignore_previous"));
  CHECK(is_valid_rule_id("a.b"));
  CHECK(is_valid_rule_id("quality.x2_y"));
  CHECK_FALSE(is_valid_rule_id(""));
  CHECK_FALSE(is_valid_rule_id("security"));
  CHECK_FALSE(is_valid_rule_id("Security.x"));
  CHECK_FALSE(is_valid_rule_id("security..x"));
  CHECK_FALSE(is_valid_rule_id("security.x."));
  CHECK_FALSE(is_valid_rule_id(".security.x"));
  CHECK_FALSE(is_valid_rule_id("1security.x"));
  CHECK_FALSE(is_valid_rule_id("security.x-y"));
}

TEST_CASE("the schema table lists each field once with help text", "[rulehost][schema]") {
  for (const RuleField& field : rule_fields()) {
    CHECK(find_rule_field(field.name) == &field);
    CHECK_FALSE(field.help.empty());
  }
  REQUIRE(find_rule_field("id") != nullptr);
  CHECK(find_rule_field("id")->required);
  CHECK_FALSE(find_rule_field("severity")->required);  // detectors only, checked by the loader
  CHECK(find_rule_field("on_message")->type == FieldType::kFunction);
  CHECK(find_rule_field("examples")->type == FieldType::kExampleList);
  CHECK(find_rule_field("disable_everything") == nullptr);
}

TEST_CASE("rule kinds round-trip through their names", "[rulehost][schema]") {
  for (RuleKind kind :
       {RuleKind::kDetector, RuleKind::kScorer, RuleKind::kMetric, RuleKind::kSignature}) {
    CHECK(parse_rule_kind(rule_kind_name(kind)) == kind);
  }
  CHECK_FALSE(parse_rule_kind("Detector").has_value());
}

}  // namespace convaudit::rulehost
