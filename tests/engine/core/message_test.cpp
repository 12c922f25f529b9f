#include "engine/core/message.h"

#include <catch2/catch.hpp>

#include "engine/core/severity.h"

using convaudit::core::parse_role;
using convaudit::core::Role;

TEST_CASE("role aliases from real exports", "[core][message]") {
  CHECK(parse_role("user") == Role::kUser);
  CHECK(parse_role("Customer") == Role::kUser);
  CHECK(parse_role("human") == Role::kUser);
  CHECK(parse_role("AI") == Role::kAssistant);
  CHECK(parse_role("bot") == Role::kAssistant);
  CHECK(parse_role("developer") == Role::kSystem);
  CHECK(parse_role("function") == Role::kTool);
  CHECK_FALSE(parse_role("banana"));
}

TEST_CASE("severity names and order", "[core][severity]") {
  using convaudit::Severity;
  CHECK(convaudit::parse_severity("high") == Severity::kHigh);
  CHECK_FALSE(convaudit::parse_severity("HIGH"));
  CHECK(Severity::kCritical > Severity::kHigh);
  CHECK(convaudit::severity_name(Severity::kMedium) == "medium");
}
