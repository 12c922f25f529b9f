#pragma once
// LangChain execution logs (format kLangchain), two shapes:
//
// Callback event logs, one event per record ("on_" prefix optional; astream_events `data`
// envelope accepted):
//   {"event": "on_chat_model_start", "run_id": "r2", "parent_run_id": "r1",
//    "timestamp": "2026-07-01T10:00:00Z", "metadata": {"session_id": "s1"},
//    "messages": [[{"type": "human", "content": "hi"}]]}
//   {"event": "on_llm_end", "run_id": "r2", "timestamp": 1782900001000,
//    "response": {"generations": [[{"text": "hello", "message": {...}}]],
//                 "llm_output": {"token_usage": {...}, "model_name": "gpt-4o"}}}
// chat_model_start (messages), llm_start (prompts) and llm_end / chat_model_end (generations or
// a message) give the LLM calls; llm_error / chat_model_error puts metadata `error` (and
// `latency_ms`, start to error) on the last input message of the call; tool_end gives a tool
// message; chain and tool_start events only give the run tree (parents, names, session
// metadata).
//
// Run trees (RunCollectorCallbackHandler / LangSmith runs), one root run per record:
//   {"id": "r1", "run_type": "chain", "start_time": 1782900000000, "extra": {"metadata": {...}},
//    "child_runs": [{"id": "r2", "run_type": "llm", "inputs": {"messages": [[...]]},
//                    "outputs": {"generations": [[...]]}, "start_time": ..., "end_time": ...}]}
// A failed llm run ("error", no "outputs") puts metadata `error` on its last input message; a
// run with both "outputs" and "error" puts `error` on its last answer only.
//
// Messages: HumanMessage / AIMessage / SystemMessage / ToolMessage in any serialized form
// ({"type": "human"|"ai"|"system"|"tool", "content"}, {"lc": 1, "type": "constructor", "id":
// [..., "HumanMessage"], "kwargs": {"content"}}, {"type", "data": {...}}, {"role", "content"},
// ["human", "text"]). Session id: metadata session_id | thread_id | conversation_id of the run or
// its nearest ancestor (root run), else the root run id. Timestamps: ISO 8601 or epoch (ms).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/ingest/internal/db_format.h"

namespace convaudit::ingest::internal {

// A callback event (`event` naming a known callback, with `run_id`) or a run tree (`run_type`
// with `id` or `child_runs`).
bool is_langchain_record(const nlohmann::json& record);

// One reader per file: it remembers runs (parents, names, session metadata, input counts).
// The input messages of a callback-event call are held until its end or error event, so that a
// failed call can put its error on the last of them; finish() emits those still held.
//
// Memory is bounded whatever the number of runs in the file: a run is forgotten once it has
// finished (its end or error event; a run tree's record), kMaxFinishedRuns other runs have
// finished since, and no run it is parent of is left. At most kMaxRuns runs are remembered
// (a log of starts without ends): past that the oldest is forgotten, its held inputs going out.
// No message is lost either way; a run whose session lookup meets a forgotten ancestor takes
// that ancestor's id as session, as for an ancestor outside the file.
class LangchainReader {
 public:
  static constexpr size_t kMaxFinishedRuns = 16384;
  static constexpr size_t kMaxRuns = 65536;

  LangchainReader(std::string file, SessionSinks sinks);
  ~LangchainReader();
  LangchainReader(const LangchainReader&) = delete;
  LangchainReader& operator=(const LangchainReader&) = delete;

  void read(const nlohmann::json& record, std::string_view raw_text, int64_t line);

  // After the file's last record: emits the inputs of calls whose end or error never came.
  void finish();

  // How many runs it remembers now (for tests of the bound above).
  size_t remembered_runs() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace convaudit::ingest::internal
