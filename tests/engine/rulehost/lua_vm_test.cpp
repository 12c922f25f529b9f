#include "engine/rulehost/internal/lua_vm.h"

#include <catch2/catch.hpp>

#include "rule_fixture.h"
#include "tests/support/conversation_builder.h"

namespace convaudit::rulehost::internal {

using convaudit::testing::ConversationBuilder;

namespace {

std::unique_ptr<LuaVm> make_vm(const RuleLimits& limits = testing::fast_limits()) {
  auto vm = LuaVm::create(limits);
  REQUIRE(vm);
  return std::move(*vm);
}

const char* const kCounter = R"(
local calls = 0
rule { id = "test.counter", version = "1", category = "quality", kind = "metric",
  description = "counts calls",
  on_message = function(msg, ctx) calls = calls + 1; ctx:metric("calls", calls) end,
  on_conversation = function(conv, ctx) ctx:metric("messages", #conv.messages) end,
})";

}  // namespace

TEST_CASE("load returns the declarations with handler references", "[rulehost][vm]") {
  auto vm = make_vm();
  auto declared = vm->load(testing::rule_file("c.lua", kCounter));
  REQUIRE(declared);
  REQUIRE(declared->rules.size() == 1);
  const DeclaredRule& rule = declared->rules[0];
  CHECK(rule.valid);
  CHECK(rule.info.id == "test.counter");
  CHECK(rule.info.where.line == 3);
  CHECK(rule.on_message > 0);
  CHECK(rule.on_conversation > 0);
  CHECK(rule.on_message != rule.on_conversation);
  CHECK(declared->errors.empty());
}

TEST_CASE("handlers run against plain conversations and keep file state", "[rulehost][vm]") {
  auto vm = make_vm();
  auto declared = vm->load(testing::rule_file("c.lua", kCounter));
  REQUIRE(declared);
  const DeclaredRule& rule = declared->rules[0];
  const core::Conversation conversation = ConversationBuilder("s").user("a").user("b").build();
  const std::vector<std::vector<redaction::PiiMention>> pii(2);
  ConversationResult out;
  vm->begin_conversation(conversation, pii);
  CHECK_FALSE(vm->call(rule.on_message, rule.info, 0, out).has_value());
  CHECK_FALSE(vm->call(rule.on_message, rule.info, 1, out).has_value());
  CHECK_FALSE(vm->call(rule.on_conversation, rule.info, -1, out).has_value());
  vm->end_conversation();
  REQUIRE(out.metrics.size() == 3);
  CHECK(out.metrics[1].value == 2);
  CHECK(out.metrics[2].name == "messages");
  CHECK(out.metrics[2].value == 2);
  CHECK(out.metrics[2].session_id == "s");
}

TEST_CASE("views are released after each conversation", "[rulehost][vm]") {
  auto vm = make_vm();
  auto declared = vm->load(testing::rule_file("c.lua", kCounter));
  REQUIRE(declared);
  const DeclaredRule& rule = declared->rules[0];
  const core::Conversation conversation =
      ConversationBuilder("s").user(std::string(100'000, 'x')).build();
  const std::vector<std::vector<redaction::PiiMention>> pii(1);
  for (int i = 0; i < 300; ++i) {  // 30 MB of message text through a 24 MiB state
    ConversationResult out;
    vm->begin_conversation(conversation, pii);
    REQUIRE_FALSE(vm->call(rule.on_conversation, rule.info, -1, out).has_value());
    vm->end_conversation();
  }
  vm->collect_garbage();
  CHECK(vm->memory_used_bytes() < (4u << 20));
}

TEST_CASE("a state cannot be created below its own footprint", "[rulehost][vm]") {
  RuleLimits limits = testing::fast_limits();
  limits.memory_bytes_per_state = 1024;
  auto vm = LuaVm::create(limits);
  REQUIRE_FALSE(vm);
  CHECK(vm.error().code == ErrorCode::kInternal);
}

TEST_CASE("a failure names its kind, file and line", "[rulehost][vm]") {
  auto vm = make_vm();
  auto declared = vm->load(testing::rule_file("dir/e.lua", R"(
rule { id = "test.e", version = "1", category = "quality", severity = "low", description = "e",
  on_message = function(msg, ctx)
    local t = nil
    return t.field
  end })"));
  REQUIRE(declared);
  const DeclaredRule& rule = declared->rules[0];
  const core::Conversation conversation = ConversationBuilder("s").user("a").build();
  const std::vector<std::vector<redaction::PiiMention>> pii(1);
  ConversationResult out;
  vm->begin_conversation(conversation, pii);
  const std::optional<CallFailure> failure = vm->call(rule.on_message, rule.info, 0, out);
  vm->end_conversation();
  REQUIRE(failure.has_value());
  CHECK(failure->kind == ErrorCode::kRuleRuntime);
  CHECK(failure->where.file == "dir/e.lua");
  CHECK(failure->where.line == 5);
  CHECK(failure->where.rule_id == "test.e");
}

}  // namespace convaudit::rulehost::internal
