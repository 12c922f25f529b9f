#include "engine/ingest/internal/otel_format.h"

#include <string>

#include <catch2/catch.hpp>

#include "engine/ingest/internal/chat_common.h"

#include "tests/engine/ingest/ingest_fixture.h"

namespace convaudit::ingest {
namespace {

using nlohmann::json;
using testing::assemble;
using testing::data_path;
using testing::read_file;
using testing::read_text;
using testing::transcript;

}  // namespace

TEST_CASE("otel: pretty-printed traces, session from an ancestor span seen later",
          "[ingest][otel]") {
  auto out = read_file(data_path("otel_current_traces.json"));
  REQUIRE(out.stats);
  CHECK(out.stats->format == InputFormat::kOtel);
  CHECK(out.stats->records == 2);
  CHECK(testing::describe_reasons(out.rejects.rejects()).empty());
  auto assembled = assemble(out.messages);
  const core::Conversation* s1 = assembled.find("sess-otel-1");
  REQUIRE(s1 != nullptr);
  CHECK(transcript(*s1) ==
        "system: You are the Müller GmbH support assistant.\n"
        "user: Hi, I'm Jürgen (jurgen.weber@example.de). Where is order 4411? 🙂\n"
        "assistant: \n"
        "tool: shipped 2026-06-30, DHL 00340434161234567890\n"
        "assistant: Your order 4411 shipped on 30 June with DHL (tracking "
        "00340434161234567890).\n");
  CHECK(assembled.duplicates == 3);  // the second call repeats system, user and tool call

  // Nanoseconds kept exactly, from a string and from a JSON number beyond 2^53.
  CHECK(s1->messages[0].timestamp_ns == 1'782'900'000'123'456'789);
  const core::Message& tool_call = s1->messages[2];
  CHECK(tool_call.timestamp_ns == 1'782'900'001'623'456'789);
  CHECK(tool_call.metadata["latency_ms"] == 1500);
  CHECK(tool_call.metadata["input_tokens"] == 52);
  CHECK(tool_call.metadata["output_tokens"] == 17);
  CHECK(tool_call.metadata["tokens"] == 69);
  CHECK(tool_call.metadata["model"] == "gpt-4o-2024-08-06");
  CHECK(tool_call.metadata["provider"] == "openai");
  CHECK(tool_call.metadata["service_name"] == "support-bot");
  CHECK(tool_call.metadata["response_id"] == "chatcmpl-A1");
  CHECK(tool_call.metadata["finish_reason"] == "tool_call");
  CHECK(tool_call.metadata["tool_calls"][0]["name"] == "lookup_order");
  CHECK(tool_call.metadata["trace_id"] == "5b8efff798038103d269b633813fc60c");
  CHECK(tool_call.metadata["span_id"] == "eee19b7ec3c1b174");
  CHECK(tool_call.source.line == 1);
  CHECK(s1->messages[3].metadata["tool_call_id"] == "call_1");
  CHECK(s1->messages[4].metadata["tokens"] == 128);
  CHECK_FALSE(s1->messages[1].metadata.contains("tokens"));  // usage only on outputs

  const core::Conversation* conv = assembled.find("conv-77");
  REQUIRE(conv != nullptr);
  REQUIRE(conv->messages.size() == 1);
  CHECK(conv->messages[0].metadata["error"] == "rate limited");
  CHECK(conv->messages[0].metadata["provider"] == "anthropic");

  const core::Conversation* by_trace = assembled.find("4bf92f3577b34da6a3ce929d0e0e4736");
  REQUIRE(by_trace != nullptr);
  CHECK(transcript(*by_trace) ==
        "user: 日本語で返事してください。\nassistant: はい、もちろんです。\n");
  CHECK(by_trace->messages[1].metadata["provider"] == "openai");  // gen_ai.system
}

TEST_CASE("otel: older conventions on spans (events, prompt events, indexed, OpenInference)",
          "[ingest][otel]") {
  auto out = read_file(data_path("otel_legacy.jsonl"));
  REQUIRE(out.stats);
  CHECK(out.stats->format == InputFormat::kOtel);
  CHECK(out.rejects.rejects().empty());
  auto assembled = assemble(out.messages);
  REQUIRE(assembled.conversations.size() == 4);
  CHECK(transcript(*assembled.find("legacy-events")) ==
        "system: Be brief.\nuser: What's 2+2? Email me at a.b@example.org\nassistant: 4.\n");
  CHECK(assembled.find("legacy-events")->messages[2].metadata["finish_reason"] == "stop");
  CHECK(assembled.find("legacy-events")->messages[2].metadata["latency_ms"] == 2000);
  CHECK(transcript(*assembled.find("legacy-prompt")) ==
        "user: Translate 'chat' to German\nassistant: Gespräch / Chat\n");
  const core::Conversation* indexed = assembled.find("legacy-indexed");
  CHECK(transcript(*indexed) ==
        "system: You are helpful.\nuser: My SSN is 078-05-1120, is it safe to share?\n"
        "assistant: Please don't share your SSN here.\n");
  CHECK(indexed->messages[2].metadata["tokens"] == 39);
  CHECK(indexed->messages[2].metadata["finish_reason"] == "end_turn");
  CHECK(indexed->messages[2].metadata["provider"] == "Anthropic");
  const core::Conversation* oi = assembled.find("legacy-openinference");
  REQUIRE(oi != nullptr);  // session.id of the parent span
  CHECK(transcript(*oi) == "user: Quelle heure est-il à Paris ?\nassistant: Il est 14 h.\n");
  CHECK(oi->messages[1].metadata["tokens"] == 16);
  CHECK(oi->messages[1].metadata["input_tokens"] == 11);
  CHECK(oi->messages[1].metadata["model"] == "gpt-4o");
}

TEST_CASE("otel: log records, structured messages and per-message events", "[ingest][otel]") {
  auto out = read_file(data_path("otel_logs.jsonl"));
  REQUIRE(out.stats);
  CHECK(out.stats->format == InputFormat::kOtel);
  auto assembled = assemble(out.messages);
  const core::Conversation* structured = assembled.find("conv-logs-1");
  REQUIRE(structured != nullptr);
  CHECK(transcript(*structured) ==
        "system: You answer billing questions.\n"
        "user: My card 4111 1111 1111 1111 was charged twice — why?\n"
        "assistant: I see two charges; I've refunded one. «Merci»!\n");
  CHECK(structured->messages[2].metadata["tokens"] == 52);
  const core::Conversation* events = assembled.find("sess-events-9");
  REQUIRE(events != nullptr);
  CHECK(transcript(*events) ==
        "system: You are a travel agent.\n"
        "user: Book me a flight to Zürich, passport X1234567, phone +41 44 668 18 00\n"
        "assistant: Done: LX 318 on 2 July.\n");
  CHECK(events->messages[2].metadata["call_position"] == 2);
  CHECK(events->messages[2].timestamp_ns == 1'782'911'000'900'000'000);
  // The plain HTTP log is context, not a reject; the bad timestamp is one reject.
  REQUIRE(out.rejects.rejects().size() == 1);
  CHECK(out.rejects.rejects()[0].line == 3);
  CHECK(out.rejects.rejects()[0].code == ErrorCode::kBadTimestamp);
  CHECK(out.rejects.rejects()[0].reason.find("logRecords[1].timeUnixNano") != std::string::npos);
}

TEST_CASE("issue 5: otel: log records of whole calls without span ids are separate calls",
          "[ingest][otel]") {
  // Three inference-details records of one conversation, no traceId or spanId: each resends
  // history, the third trimmed to the last turn.
  auto out = read_text(
      R"({"resourceLogs":[{"resource":{},"scopeLogs":[{"logRecords":[{"timeUnixNano":"1782900800000000000","eventName":"gen_ai.client.inference.operation.details","attributes":[{"key":"gen_ai.conversation.id","value":{"stringValue":"nolink"}},{"key":"gen_ai.input.messages","value":{"arrayValue":{"values":[{"kvlistValue":{"values":[{"key":"role","value":{"stringValue":"user"}},{"key":"parts","value":{"arrayValue":{"values":[{"kvlistValue":{"values":[{"key":"type","value":{"stringValue":"text"}},{"key":"content","value":{"stringValue":"Q1"}}]}}]}}}]}}]}}},{"key":"gen_ai.output.messages","value":{"arrayValue":{"values":[{"kvlistValue":{"values":[{"key":"role","value":{"stringValue":"assistant"}},{"key":"parts","value":{"arrayValue":{"values":[{"kvlistValue":{"values":[{"key":"type","value":{"stringValue":"text"}},{"key":"content","value":{"stringValue":"A1"}}]}}]}}}]}}]}}}]},{"timeUnixNano":"1782900810000000000","eventName":"gen_ai.client.inference.operation.details","attributes":[{"key":"gen_ai.conversation.id","value":{"stringValue":"nolink"}},{"key":"gen_ai.input.messages","value":{"arrayValue":{"values":[{"kvlistValue":{"values":[{"key":"role","value":{"stringValue":"user"}},{"key":"parts","value":{"arrayValue":{"values":[{"kvlistValue":{"values":[{"key":"type","value":{"stringValue":"text"}},{"key":"content","value":{"stringValue":"Q1"}}]}}]}}}]}},{"kvlistValue":{"values":[{"key":"role","value":{"stringValue":"assistant"}},{"key":"parts","value":{"arrayValue":{"values":[{"kvlistValue":{"values":[{"key":"type","value":{"stringValue":"text"}},{"key":"content","value":{"stringValue":"A1"}}]}}]}}}]}},{"kvlistValue":{"values":[{"key":"role","value":{"stringValue":"user"}},{"key":"parts","value":{"arrayValue":{"values":[{"kvlistValue":{"values":[{"key":"type","value":{"stringValue":"text"}},{"key":"content","value":{"stringValue":"Q2"}}]}}]}}}]}}]}}},{"key":"gen_ai.output.messages","value":{"arrayValue":{"values":[{"kvlistValue":{"values":[{"key":"role","value":{"stringValue":"assistant"}},{"key":"parts","value":{"arrayValue":{"values":[{"kvlistValue":{"values":[{"key":"type","value":{"stringValue":"text"}},{"key":"content","value":{"stringValue":"A2"}}]}}]}}}]}}]}}}]},{"timeUnixNano":"1782900820000000000","eventName":"gen_ai.client.inference.operation.details","attributes":[{"key":"gen_ai.conversation.id","value":{"stringValue":"nolink"}},{"key":"gen_ai.input.messages","value":{"arrayValue":{"values":[{"kvlistValue":{"values":[{"key":"role","value":{"stringValue":"user"}},{"key":"parts","value":{"arrayValue":{"values":[{"kvlistValue":{"values":[{"key":"type","value":{"stringValue":"text"}},{"key":"content","value":{"stringValue":"Q2"}}]}}]}}}]}},{"kvlistValue":{"values":[{"key":"role","value":{"stringValue":"assistant"}},{"key":"parts","value":{"arrayValue":{"values":[{"kvlistValue":{"values":[{"key":"type","value":{"stringValue":"text"}},{"key":"content","value":{"stringValue":"A2"}}]}}]}}}]}},{"kvlistValue":{"values":[{"key":"role","value":{"stringValue":"user"}},{"key":"parts","value":{"arrayValue":{"values":[{"kvlistValue":{"values":[{"key":"type","value":{"stringValue":"text"}},{"key":"content","value":{"stringValue":"Q3"}}]}}]}}}]}}]}}},{"key":"gen_ai.output.messages","value":{"arrayValue":{"values":[{"kvlistValue":{"values":[{"key":"role","value":{"stringValue":"assistant"}},{"key":"parts","value":{"arrayValue":{"values":[{"kvlistValue":{"values":[{"key":"type","value":{"stringValue":"text"}},{"key":"content","value":{"stringValue":"A3"}}]}}]}}}]}}]}}}]}]}]}]}
)",
      InputFormat::kOtel);
  REQUIRE(out.stats);
  CHECK(out.messages.size() == 10);
  auto assembled = assemble(out.messages);
  const core::Conversation* conversation = assembled.find("nolink");
  REQUIRE(conversation != nullptr);
  CHECK(transcript(*conversation) ==
        "user: Q1\nassistant: A1\nuser: Q2\nassistant: A2\nuser: Q3\nassistant: A3\n");
  CHECK(assembled.duplicates == 4);
}

TEST_CASE("otel: unparseable message attributes are rejected with their JSON path",
          "[ingest][otel][rejects]") {
  auto out = read_text(
      R"({"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "t", "spanId": "a", "startTimeUnixNano": "1782900000000000000", "attributes": [{"key": "gen_ai.input.messages", "value": {"stringValue": "[{\"role\": \"user\", \"parts\": ["}}, {"key": "gen_ai.output.messages", "value": {"stringValue": "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":\"kept\"}]}]"}}]}]}]}]}
{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "t", "spanId": "b", "startTimeUnixNano": 1.5e18, "attributes": [{"key": "gen_ai.prompt.0.content", "value": {"stringValue": "x"}}]}]}]}]}
{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "t", "spanId": "c", "startTimeUnixNano": "1782900000000000000", "attributes": [{"key": "gen_ai.prompt.0.role", "value": {"stringValue": "wizard"}}, {"key": "gen_ai.prompt.0.content", "value": {"stringValue": "x"}}]}]}]}]}
{"resourceSpans": "nope"}
)",
      InputFormat::kAuto);
  REQUIRE(out.stats);
  CHECK(out.stats->format == InputFormat::kOtel);
  REQUIRE(out.messages.size() == 1);
  CHECK(out.messages[0].text == "kept");
  CHECK(out.messages[0].session_id == "t");
  const auto& rejects = out.rejects.rejects();
  REQUIRE(rejects.size() == 4);
  CHECK(rejects[0].code == ErrorCode::kMalformedJson);
  CHECK(rejects[0].reason.find(
            "resourceSpans[0].scopeSpans[0].spans[0].attributes[gen_ai.input.messages]") == 0);
  CHECK(rejects[1].line == 2);
  CHECK(rejects[1].code == ErrorCode::kBadTimestamp);
  CHECK(rejects[2].line == 3);
  CHECK(rejects[2].code == ErrorCode::kBadField);
  CHECK(rejects[3].line == 4);
  CHECK(rejects[3].code == ErrorCode::kUnknownShape);
}

TEST_CASE("otel: AnyValue conversion and exact nanoseconds", "[ingest][otel]") {
  json attrs = internal::otel_attributes(json::parse(R"([
    {"key": "s", "value": {"stringValue": "x"}},
    {"key": "i", "value": {"intValue": "9007199254740993"}},
    {"key": "n", "value": {"intValue": 42}},
    {"key": "d", "value": {"doubleValue": 0.5}},
    {"key": "b", "value": {"boolValue": true}},
    {"key": "a", "value": {"arrayValue": {"values": [{"stringValue": "p"}, {"intValue": "1"}]}}},
    {"key": "k", "value": {"kvlistValue": {"values": [{"key": "role", "value": {"stringValue": "user"}}]}}},
    {"key": "empty", "value": {}}
  ])"));
  CHECK(attrs["s"] == "x");
  CHECK(attrs["i"].get<int64_t>() == 9007199254740993);
  CHECK(attrs["n"] == 42);
  CHECK(attrs["d"] == 0.5);
  CHECK(attrs["b"] == true);
  CHECK(attrs["a"] == json::array({"p", 1}));
  CHECK(attrs["k"] == json{{"role", "user"}});
  CHECK(attrs["empty"].is_null());

  CHECK(*internal::parse_unix_nanos(json("1782900000000000001")) == 1782900000000000001);
  CHECK(*internal::parse_unix_nanos(json::parse("1782900000000000001")) == 1782900000000000001);
  CHECK_FALSE(internal::parse_unix_nanos(json("99999999999999999999")));
  CHECK_FALSE(internal::parse_unix_nanos(json("-5")));
  CHECK_FALSE(internal::parse_unix_nanos(json(1.5e18)));
}

}  // namespace convaudit::ingest
