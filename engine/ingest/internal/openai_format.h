#pragma once
// OpenAI chat-completions logs as gateways store them (format kOpenai): one API call per record.
//
//   {"timestamp": "2026-07-01T10:00:00Z", "latency_ms": 840,
//    "request": {"model": "gpt-4o", "user": "u-17", "metadata": {"session_id": "s1"},
//                "messages": [{"role": "system", "content": "..."}, {"role": "user", "content":
//                "hi"}]},
//    "response": {"id": "chatcmpl-1", "created": 1782900001, "model": "gpt-4o-2024-08-06",
//                 "choices": [{"index": 0, "message": {"role": "assistant", "content": "hello"},
//                              "finish_reason": "stop"}],
//                 "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15}}}
//
// `request`/`response` may wrap the payload in `body`; the completion's fields (id, created,
// model, choices, usage, chunks) may also sit at the record's top level next to `request`,
// with no `response`. A streamed response is an array of chunks (or {"chunks": [...]}) whose
// choices[].delta are concatenated per choice. A message with a `refusal` (content null) has
// the refusal as its text and metadata `refusal: true`. A response with `error` (or a top-level
// `error`) yields no assistant message: the last request message carries metadata `error`. Session
// id: metadata.session_id | conversation_id | thread_id (of the request, then the record),
// top-level session_id | conversation_id, request.user, else the response id. Time of the request
// messages: the record's timestamp | created_at | request_time | start_time, else response.created;
// of the answer: end_time | response_time, else request time + latency_ms, else response.created.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/ingest/internal/db_format.h"

namespace convaudit::ingest::internal {

// True for an object with a `request` holding `messages`, or a `response` holding `choices`
// (possibly under `body`, or a chunk array), or a `request` with `choices` or `chunks` beside it.
bool is_openai_record(const nlohmann::json& record);

// Emits the messages of one logged call; rejects name the JSON path of what is wrong.
void parse_openai_record(const nlohmann::json& record, std::string_view raw_text,
                         const std::string& file, int64_t line, const SessionSinks& sinks);

}  // namespace convaudit::ingest::internal
