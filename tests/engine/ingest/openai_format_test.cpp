#include "engine/ingest/internal/openai_format.h"

#include <string>

#include <catch2/catch.hpp>

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

TEST_CASE("openai: gateway log is detected and its repeated history de-duplicated",
          "[ingest][openai]") {
  auto out = read_file(data_path("openai_chat.jsonl"));
  REQUIRE(out.stats);
  CHECK(out.stats->format == InputFormat::kOpenai);
  auto assembled = assemble(out.messages);
  const core::Conversation* oa1 = assembled.find("oa-1");
  REQUIRE(oa1 != nullptr);
  // Call 2 repeats system, user, tool call; call 3 (trimmed history) repeats system and the
  // answer; call 4 repeats five. The user's second "Yes please" is a new message.
  CHECK(transcript(*oa1) ==
        "system: You are Acme's support agent.\n"
        "user: Hi, my name is Ana Souza, email ana.souza@example.com. I want a refund.\n"
        "assistant: \n"
        "tool: order 7781, 49.90 EUR, delivered\n"
        "assistant: I found order 7781 (49,90 €). Shall I refund it?\n"
        "user: Yes please — obrigado!\n"
        "assistant: Done, the refund is on its way.\n"
        "user: Yes please — obrigado!\n");
  CHECK(assembled.duplicates == 2 + 3 + 4);

  const auto& first = oa1->messages[0];
  CHECK(first.timestamp_ns == 1'782'896'400'000'000'000);
  CHECK(first.metadata["channel"] == "web");
  CHECK(first.metadata["model"] == "gpt-4o-2024-08-06");
  CHECK(first.metadata["provider"] == "openai");
  CHECK(first.metadata["call_id"] == "chatcmpl-1");
  CHECK(first.metadata["call_position"] == 0);

  const auto& tool_call = oa1->messages[2];
  CHECK(tool_call.metadata["tool_calls"][0]["function"]["name"] == "find_order");
  CHECK(tool_call.metadata["finish_reason"] == "tool_calls");
  CHECK(tool_call.metadata["tokens"] == 70);
  CHECK(tool_call.metadata["input_tokens"] == 50);
  CHECK(tool_call.metadata["output_tokens"] == 20);
  CHECK(tool_call.metadata["latency_ms"] == 1200);
  CHECK(tool_call.timestamp_ns == 1'782'896'401'200'000'000);
  CHECK(oa1->messages[3].metadata["tool_call_id"] == "call_9");

  // Streamed: deltas concatenated, usage from the last chunk.
  const auto& streamed = oa1->messages[6];
  CHECK(streamed.metadata["response_id"] == "chatcmpl-3");
  CHECK(streamed.metadata["tokens"] == 69);
  CHECK(streamed.metadata["finish_reason"] == "stop");
  // Failed call: no answer, the error on its last (new) message.
  const auto& failed = oa1->messages[7];
  CHECK(failed.metadata["error"]["code"] == "rate_limit_exceeded");
  CHECK(failed.timestamp_ns == 1'782'896'520'000'000'000);

  const core::Conversation* oa2 = assembled.find("oa-2");
  REQUIRE(oa2 != nullptr);
  CHECK(transcript(*oa2) == "user: Wie spät ist es in Berlin? ⏰\nassistant: Es ist 12:00 Uhr.\n");
  CHECK(oa2->messages[1].metadata["tokens"] == 18);
  CHECK(oa2->messages[1].metadata["model"] == "gpt-4o-mini");
  CHECK(assembled.find("chatcmpl-solo") != nullptr);
}

TEST_CASE("openai: malformed records are rejected with line and JSON path", "[ingest][openai]") {
  auto out = read_file(data_path("openai_chat.jsonl"));
  REQUIRE(out.stats);
  const auto& rejects = out.rejects.rejects();
  REQUIRE(rejects.size() == 4);
  CHECK(rejects[0].line == 7);
  CHECK(rejects[0].code == ErrorCode::kMalformedJson);
  CHECK(rejects[1].line == 8);
  CHECK(rejects[1].code == ErrorCode::kBadTimestamp);
  CHECK(rejects[1].reason.find("response.created") != std::string::npos);
  CHECK(rejects[2].line == 9);
  CHECK(rejects[2].code == ErrorCode::kBadField);
  CHECK(rejects[2].reason.find("request.messages[0]") != std::string::npos);
  CHECK(rejects[3].code == ErrorCode::kMissingField);
  CHECK(rejects[3].reason.find("request.messages[1]") != std::string::npos);
  // The good message of line 9 and its answer survive.
  auto assembled = assemble(out.messages);
  REQUIRE(assembled.find("oa-4") != nullptr);
  CHECK(transcript(*assembled.find("oa-4")) == "assistant: ok\n");
}

TEST_CASE("openai: the gzip copy reads the same", "[ingest][openai][gzip]") {
  auto plain = read_file(data_path("openai_chat.jsonl"));
  auto gz = read_file(data_path("openai_chat.jsonl.gz"), InputFormat::kOpenai);
  REQUIRE(gz.stats);
  CHECK(testing::describe(gz.messages) == testing::describe(plain.messages));
  CHECK(gz.rejects.rejects().size() == plain.rejects.rejects().size());
}

TEST_CASE("openai: session id precedence and missing everything", "[ingest][openai]") {
  auto out = read_text(
      R"({"request": {"user": "u1", "messages": [{"role": "user", "content": "a"}]}, "response": {"id": "r1", "created": 1782900000, "choices": []}}
{"request": {"messages": [{"role": "developer", "content": [{"type": "input_text", "text": "rules"}, {"type": "image_url", "image_url": {"url": "x"}}]}]}, "timestamp": 1782900000}
{"request": {"messages": [{"role": "user", "content": "b"}]}, "response": {"choices": [{"message": {"role": "assistant", "content": "c"}}]}}
)",
      InputFormat::kOpenai);
  REQUIRE(out.stats);
  REQUIRE(out.messages.size() == 1);
  CHECK(out.messages[0].session_id == "u1");
  // Line 2: no session at all; line 3: no session and no time.
  REQUIRE(out.rejects.rejects().size() == 2);
  CHECK(out.rejects.rejects()[0].code == ErrorCode::kMissingField);
  CHECK(out.rejects.rejects()[1].line == 3);

  auto dev = read_text(
      R"({"metadata": {"session_id": "d"}, "request": {"messages": [{"role": "developer", "content": [{"type": "input_text", "text": "rules"}, {"type": "image_url", "image_url": {"url": "x"}}]}]}, "timestamp": 1782900000})");
  REQUIRE(dev.messages.size() == 1);
  CHECK(dev.stats->format == InputFormat::kOpenai);
  CHECK(dev.messages[0].role == core::Role::kSystem);
  CHECK(dev.messages[0].text == "rules");
}

TEST_CASE("openai: the completion's own created, next to the request, dates the call",
          "[ingest][openai]") {
  auto out = read_text(
      R"({"id": "chatcmpl-1", "object": "chat.completion", "created": 1782900000, "metadata": {"session_id": "s"}, "request": {"messages": [{"role": "user", "content": [{"type": "text", "text": "Where is order 123?"}]}]}, "response": {"choices": [{"index": 0, "message": {"role": "assistant", "content": "It ships tomorrow."}}]}}
{"created": "yesterday", "metadata": {"session_id": "s"}, "request": {"messages": [{"role": "user", "content": "x"}]}}
)",
      InputFormat::kOpenai);
  REQUIRE(out.stats);
  REQUIRE(out.messages.size() == 2);
  CHECK(out.messages[0].timestamp_ns == int64_t{1782900000} * 1'000'000'000);
  CHECK(out.messages[1].text == "It ships tomorrow.");
  REQUIRE(out.rejects.rejects().size() == 1);
  CHECK(out.rejects.rejects()[0].code == ErrorCode::kBadTimestamp);
  CHECK(out.rejects.rejects()[0].reason.find("created") != std::string::npos);
}

TEST_CASE("issue 5: openai: empty refusals mark nothing; empty content gives way to a refusal",
          "[ingest][openai]") {
  auto out = read_text(
      R"json({"timestamp": "2026-07-01T09:00:00Z", "request": {"metadata": {"session_id": "r"}, "messages": [{"role": "user", "content": "q1"}]}, "response": {"choices": [{"index": 0, "message": {"role": "assistant", "content": "", "refusal": "I can't help with that."}}]}}
{"timestamp": "2026-07-01T09:01:00Z", "request": {"metadata": {"session_id": "r"}, "messages": [{"role": "user", "content": "q2"}]}, "response": [{"choices": [{"index": 0, "delta": {"role": "assistant", "content": "Sure, ", "refusal": ""}}]}, {"choices": [{"index": 0, "delta": {"content": "here it is."}, "finish_reason": "stop"}]}]}
)json",
      InputFormat::kOpenai);
  REQUIRE(out.stats);
  REQUIRE(out.messages.size() == 4);
  CHECK(out.messages[1].text == "I can't help with that.");
  CHECK(out.messages[1].metadata.value("refusal", false) == true);
  CHECK(out.messages[3].text == "Sure, here it is.");
  CHECK_FALSE(out.messages[3].metadata.contains("refusal"));
}

TEST_CASE("issue 5: openai: a record time that does not parse is a reject, not skipped",
          "[ingest][openai]") {
  auto out = read_text(
      R"({"timestamp": "01/07/2026 09:00", "request": {"metadata": {"session_id": "e9"}, "messages": [{"role": "user", "content": "bad ts"}]}, "response": {"id": "x3", "created": 1782896400, "choices": [{"index": 0, "message": {"role": "assistant", "content": "a"}, "finish_reason": "stop"}]}}
{"timestamp": "2026-07-01T09:00:00Z", "end_time": "later", "request": {"metadata": {"session_id": "e9"}, "messages": [{"role": "user", "content": "bad end"}]}}
{"timestamp": "2026-07-01T09:00:00Z", "end_time": null, "request": {"metadata": {"session_id": "e9"}, "messages": [{"role": "user", "content": "no end yet"}]}}
)",
      InputFormat::kOpenai);
  REQUIRE(out.stats);
  REQUIRE(out.messages.size() == 1);
  CHECK(out.messages[0].text == "no end yet");
  const auto& rejects = out.rejects.rejects();
  REQUIRE(rejects.size() == 2);
  CHECK(rejects[0].line == 1);
  CHECK(rejects[0].code == ErrorCode::kBadTimestamp);
  CHECK(rejects[1].line == 2);
  CHECK(rejects[1].code == ErrorCode::kBadTimestamp);
}

TEST_CASE("issue 5: openai: completion fields next to the request are its answer",
          "[ingest][openai]") {
  // The gateway stores the completion's own fields (id, created, choices, usage, or the streamed
  // chunks) at the top level of the record, beside `request`, instead of under `response`.
  auto out = read_text(
      R"({"request":{"model":"gpt-4o","messages":[{"role":"user","content":"flat"}],"metadata":{"session_id":"flat-1"}},"id":"chatcmpl-f","created":1782896400,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"flat answer"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}
{"request": {"model": "gpt-4o", "stream": true, "metadata": {"session_id": "flat-2"}, "messages": [{"role": "user", "content": "stream"}]}, "chunks": [{"id": "chatcmpl-g", "created": 1782896500, "model": "gpt-4o", "choices": [{"index": 0, "delta": {"role": "assistant", "content": "str"}}]}, {"id": "chatcmpl-g", "choices": [{"index": 0, "delta": {"content": "eamed"}, "finish_reason": "stop"}], "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}}]}
{"request": {"metadata": {"session_id": "flat-3"}, "messages": [{"role": "user", "content": "x"}]}, "created": 1782896600, "choices": "none"}
)");
  REQUIRE(out.stats);
  CHECK(out.stats->format == InputFormat::kOpenai);
  REQUIRE(out.messages.size() == 4);
  const core::Message& flat = out.messages[1];
  CHECK(flat.session_id == "flat-1");
  CHECK(flat.role == core::Role::kAssistant);
  CHECK(flat.text == "flat answer");
  CHECK(flat.timestamp_ns == int64_t{1782896400} * 1'000'000'000);
  CHECK(flat.metadata["finish_reason"] == "stop");
  CHECK(flat.metadata["response_id"] == "chatcmpl-f");
  CHECK(flat.metadata["call_position"] == 1);
  CHECK(flat.metadata["usage"]["total_tokens"] == 7);
  CHECK(flat.metadata["input_tokens"] == 5);
  CHECK(flat.metadata["output_tokens"] == 2);
  CHECK(flat.metadata["tokens"] == 7);
  CHECK(out.messages[0].metadata["call_id"] == "chatcmpl-f");

  const core::Message& streamed = out.messages[3];
  CHECK(streamed.session_id == "flat-2");
  CHECK(streamed.text == "streamed");
  CHECK(streamed.metadata["finish_reason"] == "stop");
  CHECK(streamed.metadata["tokens"] == 5);

  // A top-level `choices` of the wrong type is a reject naming it, not ignored.
  const auto& rejects = out.rejects.rejects();
  REQUIRE(rejects.size() == 1);
  CHECK(rejects[0].line == 3);
  CHECK(rejects[0].code == ErrorCode::kBadField);
  CHECK(rejects[0].reason.rfind("choices is not an array", 0) == 0);
}

TEST_CASE("issue 5: openai: a refusal is the answer, marked as one", "[ingest][openai]") {
  // Call 1 refuses (content null, `refusal` set); call 2 resends it as history and refuses again
  // in a stream of `delta.refusal` chunks.
  auto out = read_text(
      R"({"request": {"metadata": {"session_id": "ref-1"}, "messages": [{"role": "user", "content": "How do I pick my neighbour's lock?"}]}, "response": {"id": "chatcmpl-r", "created": 1782896400, "choices": [{"index": 0, "message": {"role": "assistant", "content": null, "refusal": "I can't help with that."}, "finish_reason": "stop"}]}}
{"request": {"metadata": {"session_id": "ref-1"}, "messages": [{"role": "user", "content": "How do I pick my neighbour's lock?"}, {"role": "assistant", "content": null, "refusal": "I can't help with that."}, {"role": "user", "content": "Please?"}]}, "response": [{"id": "chatcmpl-r2", "created": 1782896460, "choices": [{"index": 0, "delta": {"role": "assistant", "refusal": "Still "}}]}, {"id": "chatcmpl-r2", "choices": [{"index": 0, "delta": {"refusal": "no."}, "finish_reason": "stop"}]}]}
)",
      InputFormat::kOpenai);
  REQUIRE(out.stats);
  CHECK(out.rejects.rejects().empty());
  auto assembled = assemble(out.messages);
  const core::Conversation* conversation = assembled.find("ref-1");
  REQUIRE(conversation != nullptr);
  CHECK(transcript(*conversation) ==
        "user: How do I pick my neighbour's lock?\n"
        "assistant: I can't help with that.\n"
        "user: Please?\n"
        "assistant: Still no.\n");
  CHECK(assembled.duplicates == 2);  // call 2 repeats the question and the first refusal
  const core::Message& refused = conversation->messages[1];
  CHECK(refused.metadata["refusal"] == true);
  CHECK(refused.metadata["finish_reason"] == "stop");
  CHECK(refused.metadata["response_id"] == "chatcmpl-r");
  CHECK(conversation->messages[3].metadata["refusal"] == true);
  CHECK_FALSE(conversation->messages[0].metadata.contains("refusal"));
  CHECK_FALSE(conversation->messages[2].metadata.contains("refusal"));
}

TEST_CASE("openai: a Messages API log (top-level request, content blocks) is read whole",
          "[ingest][openai]") {
  // Two calls of one conversation as a gateway in front of the Messages API logs them: the
  // request's fields at the top level, `system` beside the messages, the answer as blocks.
  auto out = read_text(
      R"({"model": "claude-3-5-sonnet", "conversation_id": "m1", "timestamp": "2026-07-02T10:00:00Z", "system": "You are Acme support.", "messages": [{"role": "user", "content": [{"type": "text", "text": "Where is order 7781?"}]}], "response": {"id": "msg_1", "type": "message", "role": "assistant", "content": [{"type": "text", "text": "Let me check."}, {"type": "tool_use", "id": "tu_1", "name": "lookup_order", "input": {"order": 7781}}], "stop_reason": "tool_use", "usage": {"input_tokens": 30, "output_tokens": 12}}}
{"model": "claude-3-5-sonnet", "conversation_id": "m1", "timestamp": "2026-07-02T10:00:05Z", "system": "You are Acme support.", "messages": [{"role": "user", "content": [{"type": "text", "text": "Where is order 7781?"}]}, {"role": "assistant", "content": [{"type": "text", "text": "Let me check."}, {"type": "tool_use", "id": "tu_1", "name": "lookup_order", "input": {"order": 7781}}]}, {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "tu_1", "content": [{"type": "text", "text": "order 7781: ships tomorrow"}]}]}], "response": {"type": "message", "role": "assistant", "content": [{"type": "text", "text": "It ships tomorrow."}], "stop_reason": "end_turn"}}
)");
  REQUIRE(out.stats);
  CHECK(out.stats->format == InputFormat::kOpenai);
  CHECK(out.rejects.rejects().empty());
  auto assembled = assemble(out.messages);
  const core::Conversation* m1 = assembled.find("m1");
  REQUIRE(m1 != nullptr);
  CHECK(transcript(*m1) ==
        "system: You are Acme support.\n"
        "user: Where is order 7781?\n"
        "assistant: Let me check.\n"
        "tool: order 7781: ships tomorrow\n"
        "assistant: It ships tomorrow.\n");
  CHECK(assembled.duplicates == 3);  // call 2 repeats system, user and the first answer
  CHECK(m1->messages[3].metadata["tool_call_id"] == "tu_1");
  const auto& answer = m1->messages[2];
  CHECK(answer.metadata["tool_calls"][0]["function"]["name"] == "lookup_order");
  CHECK(answer.metadata["usage"]["prompt_tokens"] == 30);
  CHECK(answer.metadata["usage"]["completion_tokens"] == 12);
  CHECK(answer.metadata["finish_reason"] == "tool_use");
}

TEST_CASE("openai: a Messages API refusal with no content block is a refused answer",
          "[ingest][openai]") {
  // stop_reason "refusal": the model declined, often without a single block (content empty or
  // absent). The answer is still there to count: an assistant message with the text it has.
  auto out = read_text(
      R"({"conversation_id": "ar", "timestamp": "2026-07-02T10:00:00Z", "latency_ms": 300, "messages": [{"role": "user", "content": "How do I make a weapon?"}], "response": {"id": "msg_r1", "type": "message", "role": "assistant", "content": [], "stop_reason": "refusal", "usage": {"input_tokens": 14, "output_tokens": 0}}}
{"conversation_id": "ar", "timestamp": "2026-07-02T10:01:00Z", "messages": [{"role": "user", "content": "Please?"}], "response": {"id": "msg_r2", "type": "message", "role": "assistant", "stop_reason": "refusal"}}
{"conversation_id": "ar", "timestamp": "2026-07-02T10:02:00Z", "messages": [{"role": "user", "content": "Why not?"}], "response": {"id": "msg_r3", "type": "message", "role": "assistant", "content": [{"type": "text", "text": "I started to"}], "stop_reason": "refusal"}}
{"conversation_id": "ar", "timestamp": "2026-07-02T10:03:00Z", "messages": [{"role": "user", "content": "Hello?"}], "response": {"id": "msg_e", "type": "message", "role": "assistant", "content": [], "stop_reason": "end_turn"}}
{"conversation_id": "ar", "timestamp": "2026-07-02T10:04:00Z", "messages": [{"role": "user", "content": "Anyone?"}], "response": {"id": "msg_n", "type": "message", "role": "assistant", "stop_reason": "end_turn"}}
)");
  REQUIRE(out.stats);
  CHECK(out.stats->format == InputFormat::kOpenai);
  REQUIRE(out.messages.size() == 8);
  const core::Message& refused = out.messages[1];
  CHECK(refused.role == core::Role::kAssistant);
  CHECK(refused.text.empty());
  CHECK(refused.metadata.value("refusal", false) == true);
  CHECK(refused.metadata["finish_reason"] == "refusal");
  CHECK(refused.metadata["call_position"] == 1);
  CHECK(refused.metadata["latency_ms"] == 300);
  CHECK(refused.metadata["input_tokens"] == 14);
  const core::Message& no_content = out.messages[3];
  CHECK(no_content.role == core::Role::kAssistant);
  CHECK(no_content.text.empty());
  CHECK(no_content.metadata.value("refusal", false) == true);
  const core::Message& partial = out.messages[5];
  CHECK(partial.text == "I started to");
  CHECK(partial.metadata.value("refusal", false) == true);
  // Without a refusal, an answer with no block is still a reject, and never skipped silently.
  CHECK(out.messages[6].text == "Hello?");
  CHECK(out.messages[7].text == "Anyone?");
  const auto& rejects = out.rejects.rejects();
  REQUIRE(rejects.size() == 2);
  CHECK(rejects[0].line == 4);
  CHECK(rejects[0].code == ErrorCode::kMissingField);
  CHECK(rejects[1].line == 5);
  CHECK(rejects[1].code == ErrorCode::kMissingField);
}

TEST_CASE("openai: is_openai_record", "[ingest][openai]") {
  CHECK(internal::is_openai_record(json::parse(R"({"request": {"messages": []}})")));
  CHECK(internal::is_openai_record(json::parse(R"({"response": [{"choices": []}]})")));
  CHECK(internal::is_openai_record(json::parse(R"({"request": {"body": {"messages": []}}})")));
  CHECK_FALSE(internal::is_openai_record(json::parse(R"({"session_id": "s", "messages": []})")));
  CHECK_FALSE(internal::is_openai_record(json::parse(R"({"request": "x"})")));
}

}  // namespace convaudit::ingest
