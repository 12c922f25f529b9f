#include "engine/ingest/internal/langchain_format.h"

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

constexpr int64_t kMs = 1'000'000;

}  // namespace

TEST_CASE("langchain: callback events of an agent run, history repeated in the second call",
          "[ingest][langchain]") {
  auto out = read_file(data_path("langchain_events.jsonl"));
  REQUIRE(out.stats);
  CHECK(out.stats->format == InputFormat::kLangchain);
  auto assembled = assemble(out.messages);
  const core::Conversation* thread = assembled.find("lc-thread-1");
  REQUIRE(thread != nullptr);
  CHECK(transcript(*thread) ==
        "system: You handle subscriptions.\n"
        "user: Cancel my subscription, I'm moving to Lisbon.\n"
        "assistant: \n"
        "tool: plan=premium, renews 2026-08-01\n"
        "assistant: Your premium plan is cancelled; it stays active until 1 August. Boa sorte em "
        "Lisboa!\n");
  CHECK(assembled.duplicates == 4);
  const core::Message& tool_call = thread->messages[2];
  CHECK(tool_call.timestamp_ns == 1'782'979'201'400 * kMs);
  CHECK(tool_call.metadata["tool_calls"][0]["id"] == "tc-1");
  CHECK(tool_call.metadata["tokens"] == 52);
  CHECK(tool_call.metadata["model"] == "gpt-4o-2024-08-06");
  CHECK(tool_call.metadata["provider"] == "openai");
  CHECK(tool_call.metadata["latency_ms"] == 1300);
  CHECK(tool_call.metadata["call_id"] == "run-llm-1");
  CHECK(tool_call.metadata["call_position"] == 2);
  CHECK(thread->messages[0].metadata["model"] == "gpt-4o");  // ls_model_name before the answer
  const core::Message& tool = thread->messages[3];
  CHECK(tool.metadata["tool_name"] == "get_subscription");
  CHECK(tool.metadata["tool_input"] == "{'user': 'u-9'}");
  CHECK(thread->messages[4].metadata["tokens"] == 95);
  CHECK(thread->messages[4].metadata["latency_ms"] == 1200);

  // No session metadata anywhere: the root run id.
  const core::Conversation* solo = assembled.find("run-solo");
  REQUIRE(solo != nullptr);
  CHECK(transcript(*solo) ==
        "user: Summarise: the customer wants a refund.\nassistant: Customer requests a refund.\n");

  const auto& rejects = out.rejects.rejects();
  REQUIRE(rejects.size() == 2);
  CHECK(rejects[0].line == 11);
  CHECK(rejects[0].code == ErrorCode::kBadTimestamp);
  CHECK(rejects[1].line == 12);
  CHECK(rejects[1].code == ErrorCode::kBadField);
  CHECK(rejects[1].reason.find("messages[0]") != std::string::npos);
  REQUIRE(assembled.find("run-bad") != nullptr);
  CHECK(transcript(*assembled.find("run-bad")) == "user: still here\n");
}

TEST_CASE("langchain: run trees with child runs, epoch ms and ISO times", "[ingest][langchain]") {
  auto out = read_file(data_path("langchain_runs.json"));
  REQUIRE(out.stats);
  CHECK(out.stats->format == InputFormat::kLangchain);
  auto assembled = assemble(out.messages);
  const core::Conversation* tree = assembled.find("lc-tree-sess");
  REQUIRE(tree != nullptr);
  CHECK(transcript(*tree) ==
        "system: Shipping FAQ bot.\n"
        "user: Do you ship to Canada? My postcode is K1A 0B1.\n"
        "assistant: Yes, we ship to Canada in 5–7 days.\n"
        "tool: CA: 14.99 CAD\n");
  CHECK(tree->messages[0].timestamp_ns == 1'782'990'000'100 * kMs);
  CHECK(tree->messages[2].metadata["tokens"] == 33);
  CHECK(tree->messages[2].metadata["model"] == "claude-3-5-sonnet");
  CHECK(tree->messages[2].metadata["latency_ms"] == 1500);
  CHECK(tree->messages[3].metadata["tool_name"] == "shipping_rates");
  CHECK(tree->messages[3].metadata["tool_input"] == "CA");
  const core::Conversation* second = assembled.find("tree-2");
  REQUIRE(second != nullptr);
  CHECK(transcript(*second) == "user: Human: hello\nassistant: Hello! How can I help?\n");
  CHECK(second->messages[1].metadata["tokens"] == 9);
  REQUIRE(out.rejects.rejects().size() == 1);
  CHECK(out.rejects.rejects()[0].code == ErrorCode::kMissingField);
}

TEST_CASE("issue 5: langchain: run trees take model and provider from ls_* metadata",
          "[ingest][langchain]") {
  // LangSmith keeps ls_provider / ls_model_name in the llm run's extra.metadata (or metadata).
  auto out = read_text(
      R"({"id": "p1", "run_type": "chain", "start_time": 1782990000000, "extra": {"metadata": {"session_id": "ls-s"}}, "child_runs": [{"id": "p2", "run_type": "llm", "start_time": 1782990000100, "end_time": 1782990000900, "extra": {"metadata": {"ls_provider": "openai", "ls_model_name": "gpt-4o"}}, "inputs": {"messages": [[{"type": "human", "content": "Which model?"}]]}, "outputs": {"generations": [[{"text": "This one.", "message": {"type": "ai", "content": "This one.", "response_metadata": {"model_name": "gpt-4o-2024-08-06"}}}]]}}]}
{"id": "p3", "run_type": "llm", "start_time": 1782990001000, "end_time": 1782990001500, "metadata": {"session_id": "ls-s", "ls_provider": "anthropic", "ls_model_name": "claude-3-5-sonnet"}, "inputs": {"prompts": ["And now?"]}, "outputs": {"generations": [[{"text": "Another."}]]}}
)");
  REQUIRE(out.stats);
  CHECK(out.stats->format == InputFormat::kLangchain);
  CHECK(out.rejects.rejects().empty());
  REQUIRE(out.messages.size() == 4);
  // The input takes ls_model_name; the answer keeps the model its response names.
  CHECK(out.messages[0].metadata["model"] == "gpt-4o");
  CHECK(out.messages[0].metadata["provider"] == "openai");
  CHECK(out.messages[1].metadata["model"] == "gpt-4o-2024-08-06");
  CHECK(out.messages[1].metadata["provider"] == "openai");
  CHECK(out.messages[2].metadata["model"] == "claude-3-5-sonnet");
  CHECK(out.messages[3].metadata["model"] == "claude-3-5-sonnet");
  CHECK(out.messages[3].metadata["provider"] == "anthropic");
}

TEST_CASE("issue 5: langchain: a failed llm run puts its error on the last message",
          "[ingest][langchain]") {
  auto out = read_text(
      R"json({"id":"r1","run_type":"chain","start_time":1782990000000,"extra":{"metadata":{"session_id":"fail-s"}},"child_runs":[{"id":"r2","run_type":"llm","start_time":1782990000100,"end_time":1782990000900,"inputs":{"messages":[[{"type":"human","content":"Will this fail?"}]]},"outputs":null,"error":"RateLimitError('429')"}]}
{"id": "r3", "run_type": "llm", "start_time": 1782990001000, "metadata": {"session_id": "fail-s"}, "inputs": {"messages": [[{"type": "system", "content": "Be brief."}, {"type": "human", "content": "And this?"}]]}, "error": "APITimeoutError()"}
{"id": "r4", "run_type": "llm", "start_time": 1782990002000, "metadata": {"session_id": "fail-s"}, "outputs": null, "error": "nothing to attach to"}
)json");
  REQUIRE(out.stats);
  CHECK(out.stats->format == InputFormat::kLangchain);
  REQUIRE(out.messages.size() == 3);
  CHECK(out.messages[0].text == "Will this fail?");
  CHECK(out.messages[0].session_id == "fail-s");
  CHECK(out.messages[0].metadata["error"] == "RateLimitError('429')");
  CHECK_FALSE(out.messages[1].metadata.contains("error"));
  CHECK(out.messages[2].text == "And this?");
  CHECK(out.messages[2].metadata["error"] == "APITimeoutError()");
  // A failed run without any input message is the only reject.
  const auto& rejects = out.rejects.rejects();
  REQUIRE(rejects.size() == 1);
  CHECK(rejects[0].line == 3);
  CHECK(rejects[0].code == ErrorCode::kMissingField);
}

TEST_CASE("issue 5: langchain: an llm_error event puts its error on the call's last message",
          "[ingest][langchain]") {
  auto out = read_text(
      R"({"event": "on_chat_model_start", "run_id": "m1", "timestamp": 1782990000000, "metadata": {"session_id": "ev-fail"}, "messages": [[{"type": "system", "content": "Be brief."}, {"type": "human", "content": "Will this fail?"}]]}
{"event": "on_llm_error", "run_id": "m1", "timestamp": 1782990000500, "error": "RateLimitError"}
{"event": "llm_start", "run_id": "m2", "timestamp": 1782990001000, "metadata": {"session_id": "ev-fail"}, "prompts": ["And this?"]}
{"event": "chat_model_error", "run_id": "m2", "timestamp": 1782990001500, "data": {"error": "APIConnectionError"}}
{"event": "on_llm_error", "run_id": "m3", "timestamp": 1782990002000, "error": "no start"}
{"event": "on_chat_model_start", "run_id": "m4", "timestamp": 1782990003000, "metadata": {"session_id": "ev-fail"}, "messages": [[{"type": "human", "content": "Still waiting"}]]}
)");
  REQUIRE(out.stats);
  CHECK(out.stats->format == InputFormat::kLangchain);
  auto by_text = [&](const std::string& text) -> const core::Message& {
    for (const core::Message& message : out.messages) {
      if (message.text == text) {
        return message;
      }
    }
    FAIL("no message '" << text << "'");
    return out.messages.front();
  };
  REQUIRE(out.messages.size() == 4);
  CHECK_FALSE(by_text("Be brief.").metadata.contains("error"));
  CHECK(by_text("Will this fail?").metadata.value("error", json()) == "RateLimitError");
  CHECK(by_text("Will this fail?").metadata.value("call_position", json()) == 1);
  CHECK(by_text("And this?").metadata.value("error", json()) == "APIConnectionError");
  // A call whose end never came is still read, without an error.
  CHECK(by_text("Still waiting").session_id == "ev-fail");
  CHECK_FALSE(by_text("Still waiting").metadata.contains("error"));
  // An error for a call with no input message is the only reject.
  const auto& rejects = out.rejects.rejects();
  REQUIRE(rejects.size() == 1);
  CHECK(rejects[0].line == 5);
  CHECK(rejects[0].code == ErrorCode::kMissingField);
}

TEST_CASE("issue 5: langchain: a failed tool call is a tool message carrying its error",
          "[ingest][langchain]") {
  auto out = read_text(
      R"json({"event": "on_tool_start", "run_id": "t1", "name": "lookup_order", "timestamp": 1782990000000, "metadata": {"session_id": "tool-fail"}, "input_str": "order 5521"}
{"event": "on_tool_error", "run_id": "t1", "timestamp": 1782990000400, "error": "TimeoutError('orders API')"}
{"event": "on_tool_error", "run_id": "t2", "timestamp": 1782990000500, "metadata": {"session_id": "tool-fail"}}
{"id": "r1", "run_type": "chain", "start_time": 1782990001000, "extra": {"metadata": {"session_id": "tree-fail"}}, "child_runs": [{"id": "r2", "run_type": "tool", "name": "refund", "start_time": 1782990001100, "end_time": 1782990001900, "inputs": {"input": "order 7731"}, "outputs": null, "error": "PermissionError('refunds disabled')"}]}
)json");
  REQUIRE(out.stats);
  REQUIRE(out.messages.size() == 2);
  const core::Message& event = out.messages[0];
  CHECK(event.session_id == "tool-fail");
  CHECK(event.role == core::Role::kTool);
  CHECK(event.text == "TimeoutError('orders API')");
  CHECK(event.metadata.value("error", json()) == "TimeoutError('orders API')");
  CHECK(event.metadata.value("tool_name", json()) == "lookup_order");
  const core::Message& tree = out.messages[1];
  CHECK(tree.session_id == "tree-fail");
  CHECK(tree.role == core::Role::kTool);
  CHECK(tree.text == "PermissionError('refunds disabled')");
  CHECK(tree.metadata.value("error", json()) == "PermissionError('refunds disabled')");
  CHECK(tree.metadata.value("tool_input", json()) == "order 7731");
  // A tool error event without its error is a reject, not a silent skip.
  const auto& rejects = out.rejects.rejects();
  REQUIRE(rejects.size() == 1);
  CHECK(rejects[0].line == 3);
  CHECK(rejects[0].code == ErrorCode::kMissingField);
}

TEST_CASE("issue 5: langchain: inputs of calls that never end are not held without bound",
          "[ingest][langchain]") {
  size_t emitted = 0;
  internal::LangchainReader reader(
      "starts.jsonl",
      internal::SessionSinks{[&](core::Message&&) { ++emitted; }, [](Error, std::string_view) {}});
  const int calls = 5000;  // more than the reader holds
  for (int i = 0; i < calls; ++i) {
    const json record = {
        {"event", "on_chat_model_start"},
        {"run_id", "run-" + std::to_string(i)},
        {"timestamp", 1782990000000 + i},
        {"metadata", {{"session_id", "s"}}},
        {"messages", json::array({json::array({{{"type", "human"}, {"content", "q"}}})})}};
    reader.read(record, record.dump(), i + 1);
  }
  // The oldest calls' inputs went out before the end of the file; none is lost at the end.
  CHECK(emitted > 0);
  CHECK(emitted < static_cast<size_t>(calls));
  reader.finish();
  CHECK(emitted == static_cast<size_t>(calls));
}

TEST_CASE("langchain: message classes in every serialized form map to roles",
          "[ingest][langchain]") {
  auto out = read_text(
      R"({"event": "on_chat_model_start", "run_id": "r", "timestamp": 1782900000, "metadata": {"conversation_id": "c"}, "messages": [[
  {"lc": 1, "type": "constructor", "id": ["langchain", "schema", "messages", "SystemMessage"], "kwargs": {"content": "sys"}},
  {"type": "human", "data": {"content": "data form"}},
  ["ai", "tuple form"],
  {"type": "chat", "role": "user", "content": "chat form"},
  {"type": "ToolMessage", "content": [{"type": "text", "text": "parts form"}], "tool_call_id": "t1"},
  {"role": "assistant", "content": "role form"}]]}
)");
  REQUIRE(out.stats);
  CHECK(out.stats->format == InputFormat::kLangchain);
  CHECK(out.rejects.rejects().empty());
  auto assembled = assemble(out.messages);
  REQUIRE(assembled.find("c") != nullptr);
  CHECK(transcript(*assembled.find("c")) ==
        "system: sys\nuser: data form\nassistant: tuple form\nuser: chat form\ntool: parts "
        "form\nassistant: role form\n");
}

TEST_CASE("langchain: is_langchain_record", "[ingest][langchain]") {
  CHECK(internal::is_langchain_record(json::parse(R"({"event": "on_llm_end", "run_id": "r"})")));
  CHECK(internal::is_langchain_record(json::parse(R"({"event": "chain_start", "run_id": "r"})")));
  CHECK(internal::is_langchain_record(json::parse(R"({"run_type": "llm", "id": "r"})")));
  CHECK_FALSE(internal::is_langchain_record(json::parse(R"({"event": "login", "run_id": "r"})")));
  CHECK_FALSE(internal::is_langchain_record(json::parse(R"({"session_id": "s", "role": "user"})")));
}

}  // namespace convaudit::ingest
