#pragma once
// OpenTelemetry OTLP JSON (format kOtel): traces ({"resourceSpans": [...]}) and logs
// ({"resourceLogs": [...]}), one export request per record, with the GenAI semantic conventions
// of every generation (first convention found on a span wins, so a span exported with two of them
// is not read twice):
//   1. gen_ai.system_instructions / gen_ai.input.messages / gen_ai.output.messages: JSON-string
//      attributes on spans, structured arrayValue/kvlistValue on log records; messages hold
//      `parts` ({"type": "text", "content": ...}, tool_call, tool_call_response).
//   2. per-message events gen_ai.{system,user,assistant,tool}.message and gen_ai.choice, as span
//      events (attributes, or a JSON `gen_ai.event.content`) or as log records with a body;
//      the oldest gen_ai.content.prompt / gen_ai.content.completion (or gen_ai.prompt /
//      gen_ai.completion) events with a `gen_ai.prompt` / `gen_ai.completion` attribute.
//   3. indexed span attributes gen_ai.prompt.N.role/content, gen_ai.completion.N.role/content.
//   4. OpenInference llm.input_messages.N.message.role/content, llm.output_messages.N...
// Session id: gen_ai.conversation.id, else session.id, on the span (log record) or its nearest
// ancestor span in the file (parentSpanId chain), else the traceId. Messages of a span whose
// ancestor has not been seen yet wait for it (until the end of the file at most).
// Inputs take the span start, outputs the span end; log records their own time.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/ingest/internal/db_format.h"

namespace convaudit::ingest::internal {

// True for an object with a `resourceSpans` or `resourceLogs` array.
bool is_otel_record(const nlohmann::json& record);

// An OTLP attribute list [{"key", "value": AnyValue}] as one JSON object (key -> plain value);
// AnyValue: stringValue, intValue (number or digits), doubleValue, boolValue, bytesValue,
// arrayValue {values}, kvlistValue {values: [{key, value}]}.
nlohmann::json otel_attributes(const nlohmann::json& attributes);
nlohmann::json otel_any_value(const nlohmann::json& value);

// One reader per file: it remembers spans (ids, parent, session attributes) across records.
class OtelReader {
 public:
  OtelReader(std::string file, SessionSinks sinks);
  ~OtelReader();
  OtelReader(const OtelReader&) = delete;
  OtelReader& operator=(const OtelReader&) = delete;

  void read(const nlohmann::json& record, std::string_view raw_text, int64_t line);
  // Emits what still waits for an ancestor span, with the session id found so far.
  void finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace convaudit::ingest::internal
