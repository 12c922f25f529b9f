#include "engine/aggregate/internal/message_metadata.h"

#include <cstdint>
#include <limits>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "engine/aggregate/internal/fixed_point.h"

using convaudit::aggregate::internal::is_attack_blocked;
using convaudit::aggregate::internal::MessageMetadata;
using convaudit::aggregate::internal::read_message_metadata;
using convaudit::aggregate::internal::saturating_add;
using convaudit::aggregate::internal::to_micros;
using nlohmann::json;

TEST_CASE("metadata that is not an object reads as all absent", "[aggregate][metadata]") {
  for (const json& metadata : {json(nullptr), json::array({1, 2}), json("model"), json(3)}) {
    MessageMetadata m = read_message_metadata(metadata);
    CHECK(m.model == "(none)");
    CHECK(m.prompt_version == "(none)");
    CHECK(m.channel == "(none)");
    CHECK_FALSE(m.is_error);
    CHECK_FALSE(m.attack_blocked);
    CHECK(m.tokens == 0);
    CHECK(m.cost_micros == 0);
    CHECK(m.latency_ms == -1);
  }
}

TEST_CASE("numbers out of range or not finite read as absent", "[aggregate][metadata]") {
  MessageMetadata m = read_message_metadata({{"latency_ms", "inf"},
                                             {"cost_usd", "nan"},
                                             {"tokens", std::numeric_limits<uint64_t>::max()}});
  CHECK(m.latency_ms == -1);
  CHECK(m.cost_micros == 0);
  CHECK(m.tokens == 0);
  CHECK(read_message_metadata({{"latency_ms", 1e30}}).latency_ms == -1);
  CHECK(read_message_metadata({{"latency_ms", " 12"}}).latency_ms == -1);
  CHECK(read_message_metadata({{"latency_ms", ""}}).latency_ms == -1);
}

TEST_CASE("usage with only one of prompt and completion tokens", "[aggregate][metadata]") {
  CHECK(read_message_metadata({{"usage", {{"completion_tokens", 9}}}}).tokens == 9);
  CHECK(read_message_metadata({{"usage", {{"prompt_tokens", "4"}}}}).tokens == 4);
  CHECK(read_message_metadata({{"usage", {{"total_tokens", "x"}, {"prompt_tokens", 2}}}}).tokens ==
        2);
}

TEST_CASE("slice keys from scalars", "[aggregate][metadata]") {
  MessageMetadata m = read_message_metadata(
      {{"model", "gpt-x"}, {"prompt_version", 2.5}, {"channel", json::object({{"a", 1}})}});
  CHECK(m.model == "gpt-x");
  CHECK(m.prompt_version == "2.5");
  CHECK(m.channel == "(none)");
  CHECK(read_message_metadata({{"channel", true}}).channel == "true");
}

TEST_CASE("attack_blocked accepts true and \"true\" only", "[aggregate][metadata]") {
  CHECK(is_attack_blocked({{"attack_blocked", true}}));
  CHECK(is_attack_blocked({{"attack_blocked", "true"}}));
  CHECK_FALSE(is_attack_blocked({{"attack_blocked", "yes"}}));
  CHECK_FALSE(is_attack_blocked({{"attack_blocked", 1}}));
  CHECK_FALSE(is_attack_blocked({{"attack_blocked", false}}));
  CHECK_FALSE(is_attack_blocked(json::object()));
}

TEST_CASE("fixed point: micros round half away from zero, sums saturate", "[aggregate][metadata]") {
  CHECK(to_micros(2.5) == 2500000);
  CHECK(to_micros(-1.25) == -1250000);
  CHECK(to_micros(0.0000004) == 0);
  CHECK(to_micros(0.0000006) == 1);
  CHECK_FALSE(to_micros(std::numeric_limits<double>::infinity()));
  CHECK_FALSE(to_micros(1e13));
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  CHECK(saturating_add(kMax, 1) == kMax);
  CHECK(saturating_add(kMin, -1) == kMin);
  CHECK(saturating_add(40, 2) == 42);
}
