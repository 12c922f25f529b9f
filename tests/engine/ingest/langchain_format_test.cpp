#include "engine/ingest/internal/langchain_format.h"

#include <algorithm>
#include <string>
#include <vector>

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

TEST_CASE("langchain: a run with answers and an error puts the error on its last answer only",
          "[ingest][langchain]") {
  auto out = read_text(
      R"json({"id": "r1", "run_type": "llm", "start_time": 1782990000000, "end_time": 1782990000700, "metadata": {"session_id": "both"}, "inputs": {"messages": [[{"type": "system", "content": "Be brief."}, {"type": "human", "content": "Two answers?"}]]}, "outputs": {"generations": [[{"text": "One."}, {"text": "Two."}]]}, "error": "OutputParserException('bad JSON')"}
{"id": "r2", "run_type": "llm", "start_time": 1782990001000, "end_time": 1782990001200, "metadata": {"session_id": "both"}, "inputs": {"prompts": ["No answer read?"]}, "outputs": {"generations": [[{"unexpected": true}]]}, "error": "ValueError('empty')"}
)json");
  REQUIRE(out.stats);
  REQUIRE(out.messages.size() == 5);
  CHECK(out.messages[2].text == "One.");
  CHECK(out.messages[3].text == "Two.");
  CHECK(out.messages[3].metadata.value("error", json()) == "OutputParserException('bad JSON')");
  CHECK(out.messages[3].metadata.value("latency_ms", json()) == 700);
  for (size_t i : {0, 1, 2}) {
    INFO("message " << i);
    CHECK_FALSE(out.messages[i].metadata.contains("error"));
  }
  // No answer could be read: the error goes where a failed call's goes, its last input message.
  CHECK(out.messages[4].text == "No answer read?");
  CHECK(out.messages[4].metadata.value("error", json()) == "ValueError('empty')");
  REQUIRE(out.rejects.rejects().size() == 1);
  CHECK(out.rejects.rejects()[0].line == 2);
  CHECK(out.rejects.rejects()[0].code == ErrorCode::kBadField);
}

TEST_CASE("langchain: a failed call carries its latency, start to error", "[ingest][langchain]") {
  auto out = read_text(
      R"json({"event": "on_chat_model_start", "run_id": "m1", "timestamp": 1782990000000, "metadata": {"session_id": "lat"}, "messages": [[{"type": "human", "content": "Slow?"}]]}
{"event": "on_llm_error", "run_id": "m1", "timestamp": 1782990030000, "error": "APITimeoutError()"}
{"event": "llm_start", "run_id": "m2", "timestamp": 1782990040000, "metadata": {"session_id": "lat"}, "prompts": ["Untimed error?"]}
{"event": "llm_error", "run_id": "m2", "error": "RateLimitError"}
{"id": "r3", "run_type": "llm", "start_time": 1782990050000, "end_time": "2026-07-02T11:00:50.900Z", "metadata": {"session_id": "lat"}, "inputs": {"prompts": ["Tree?"]}, "error": "APIConnectionError()"}
{"id": "r4", "run_type": "llm", "start_time": 1782990060000, "metadata": {"session_id": "lat"}, "inputs": {"prompts": ["No end?"]}, "error": "KeyboardInterrupt()"}
)json");
  REQUIRE(out.stats);
  CHECK(out.rejects.rejects().empty());
  REQUIRE(out.messages.size() == 4);
  CHECK(out.messages[0].metadata.value("error", json()) == "APITimeoutError()");
  CHECK(out.messages[0].metadata.value("latency_ms", json()) == 30000);
  // An event without a time takes the previous event's: the start's, so no time passed.
  CHECK(out.messages[1].metadata.value("error", json()) == "RateLimitError");
  CHECK(out.messages[1].metadata.value("latency_ms", json()) == 0);
  CHECK(out.messages[2].metadata.value("error", json()) == "APIConnectionError()");
  CHECK(out.messages[2].metadata.value("latency_ms", json()) == 900);
  CHECK(out.messages[3].metadata.value("error", json()) == "KeyboardInterrupt()");
  CHECK_FALSE(out.messages[3].metadata.contains("latency_ms"));  // no end: unknown
}

namespace {

struct Collected {
  std::vector<core::Message> messages;
  std::vector<Error> rejects;
  internal::SessionSinks sinks() {
    return internal::SessionSinks{[this](core::Message&& m) { messages.push_back(std::move(m)); },
                                  [this](Error e, std::string_view) { rejects.push_back(e); }};
  }
};

// The record's text only serves reject excerpts: none is expected here.
void feed(internal::LangchainReader& reader, const json& record, int64_t& line) {
  reader.read(record, "(record)", ++line);
}

json chat_start(const std::string& run_id, const std::string& parent, int64_t ms,
                const std::string& text) {
  json record = {
      {"event", "on_chat_model_start"},
      {"run_id", run_id},
      {"timestamp", ms},
      {"messages", json::array({json::array({{{"type", "human"}, {"content", text}}})})}};
  if (!parent.empty()) {
    record["parent_run_id"] = parent;
  }
  return record;
}

json chat_end(const std::string& run_id, const std::string& parent, int64_t ms,
              const std::string& text) {
  return {{"event", "on_chat_model_end"},
          {"run_id", run_id},
          {"parent_run_id", parent},
          {"timestamp", ms},
          {"response", {{"generations", json::array({json::array({{{"text", text}}})})}}}};
}

}  // namespace

TEST_CASE("langchain: finished runs are forgotten, so a long log keeps the reader bounded",
          "[ingest][langchain]") {
  using internal::LangchainReader;
  Collected out;
  LangchainReader reader("many.jsonl", out.sinks());
  int64_t line = 0;
  // One agent session that never ends in this file: its chain names the session, and every
  // call under it needs it, however many calls came before.
  feed(reader,
       json{{"event", "on_chain_start"},
            {"run_id", "root"},
            {"timestamp", 1782990000000},
            {"metadata", {{"thread_id", "long-thread"}}}},
       line);
  const int calls = static_cast<int>(LangchainReader::kMaxFinishedRuns) + 5000;
  size_t most_remembered = 0;
  for (int i = 0; i < calls; ++i) {
    const std::string id = "call-" + std::to_string(i);
    const int64_t ms = 1782990000000 + 10 * i;
    // A chain step between the root and the model call, as agents log them.
    feed(reader,
         json{{"event", "on_chain_start"},
              {"run_id", "step-" + std::to_string(i)},
              {"parent_run_id", "root"},
              {"timestamp", ms}},
         line);
    feed(reader, chat_start(id, "step-" + std::to_string(i), ms + 1, "q" + std::to_string(i)),
         line);
    feed(reader, chat_end(id, "step-" + std::to_string(i), ms + 5, "a" + std::to_string(i)), line);
    feed(reader,
         json{{"event", "on_chain_end"},
              {"run_id", "step-" + std::to_string(i)},
              {"parent_run_id", "root"},
              {"timestamp", ms + 6}},
         line);
    most_remembered = std::max(most_remembered, reader.remembered_runs());
  }
  // A repeated end event (a retried write) still finds its call.
  feed(reader,
       chat_end("call-" + std::to_string(calls - 1), "step-" + std::to_string(calls - 1),
                1782990000000 + 10 * (calls - 1) + 5, "a" + std::to_string(calls - 1)),
       line);
  reader.finish();
  CHECK(most_remembered <= LangchainReader::kMaxFinishedRuns + 3);
  CHECK(out.rejects.empty());
  REQUIRE(out.messages.size() == static_cast<size_t>(2 * calls + 1));
  for (const core::Message& message : out.messages) {
    if (message.session_id != "long-thread") {
      FAIL("message '" << message.text << "' in session " << message.session_id);
    }
  }
  const core::Message& repeated = out.messages.back();
  CHECK(repeated.metadata.value("call_position", json()) == 1);
  CHECK(repeated.metadata.value("latency_ms", json()) == 4);
}

TEST_CASE("langchain: run trees and logs of starts only keep the reader bounded",
          "[ingest][langchain]") {
  using internal::LangchainReader;
  Collected trees;
  LangchainReader tree_reader("trees.jsonl", trees.sinks());
  int64_t line = 0;
  const int records = static_cast<int>(LangchainReader::kMaxFinishedRuns);
  for (int i = 0; i < records; ++i) {
    const std::string id = "t" + std::to_string(i);
    feed(
        tree_reader,
        json{{"id", id},
             {"run_type", "chain"},
             {"start_time", 1782990000000 + i},
             {"extra", {{"metadata", {{"session_id", "s" + std::to_string(i % 7)}}}}},
             {"child_runs",
              json::array({{{"id", id + "-llm"},
                            {"run_type", "llm"},
                            {"start_time", 1782990000000 + i},
                            {"inputs", {{"prompts", json::array({"q"})}}},
                            {"outputs",
                             {{"generations", json::array({json::array({{{"text", "a"}}})})}}}}})}},
        line);
  }
  tree_reader.finish();
  CHECK(tree_reader.remembered_runs() <= LangchainReader::kMaxFinishedRuns);
  CHECK(trees.messages.size() == static_cast<size_t>(2 * records));
  CHECK(trees.messages.back().session_id == "s" + std::to_string((records - 1) % 7));

  // Calls that never end (a handler that logs prompts only) are not remembered without bound,
  // and none of their inputs is lost.
  Collected starts;
  LangchainReader start_reader("starts.jsonl", starts.sinks());
  line = 0;
  const int calls = static_cast<int>(LangchainReader::kMaxRuns) + 100;
  for (int i = 0; i < calls; ++i) {
    json record = chat_start("run-" + std::to_string(i), "", 1782990000000 + i, "q");
    record["metadata"] = {{"session_id", "s"}};
    feed(start_reader, record, line);
  }
  CHECK(start_reader.remembered_runs() <= LangchainReader::kMaxRuns);
  start_reader.finish();
  CHECK(starts.messages.size() == static_cast<size_t>(calls));
}

TEST_CASE("langchain: a slow call keeps its inputs while many others start and end",
          "[ingest][langchain]") {
  // Only calls still waiting count towards the inputs held: calls that ended do not push a slow
  // call's inputs out before its error can mark them.
  Collected out;
  internal::LangchainReader reader("slow.jsonl", out.sinks());
  int64_t line = 0;
  json slow = chat_start("slow", "", 1782990000000, "Will this time out?");
  slow["metadata"] = {{"session_id", "slow-s"}};
  feed(reader, slow, line);
  for (int i = 0; i < 5000; ++i) {
    const std::string id = "quick-" + std::to_string(i);
    json start = chat_start(id, "", 1782990000000 + i, "q");
    start["metadata"] = {{"session_id", "quick-s"}};
    feed(reader, start, line);
    feed(reader, chat_end(id, "", 1782990000000 + i + 1, "a"), line);
  }
  feed(reader,
       json{{"event", "on_llm_error"},
            {"run_id", "slow"},
            {"timestamp", 1782990060000},
            {"error", "APITimeoutError()"}},
       line);
  reader.finish();
  CHECK(out.rejects.empty());
  const core::Message* slow_input = nullptr;
  for (const core::Message& message : out.messages) {
    if (message.text == "Will this time out?") {
      slow_input = &message;
    }
  }
  REQUIRE(slow_input != nullptr);
  CHECK(slow_input->metadata.value("error", json()) == "APITimeoutError()");
  CHECK(slow_input->metadata.value("latency_ms", json()) == 60000);
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
