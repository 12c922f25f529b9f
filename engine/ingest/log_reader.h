#pragma once
// Reading log files into Messages.
//
// read_log() opens a file (plain or gzip, detected by magic bytes; "-" is stdin), detects its
// format when `format` is kAuto (per file, from the first non-blank record), parses each record
// and hands every Message to `on_message` in file order. Each record it cannot use (malformed
// JSON, unknown shape, missing session id / role / text, unparseable timestamp) becomes a
// Reject with file, line and reason, and reading goes on.
//
// Per-message JSONL (format kJsonl), one JSON object per line:
//   {"session_id": "s1", "role": "user", "message": "hi", "timestamp": "2026-07-01T10:00:00Z",
//    "metadata": {"model": "gpt-4o", "channel": "web"}}
// Aliases: session id = session_id | conversation_id | session | thread_id;
//          text = message | content | text; role = role | sender_type | sender | author;
//          timestamp = timestamp | ts | created_at | time (ISO 8601 text or epoch number).
// Top-level keys other than these are merged into metadata (explicit `metadata` wins).
//
// Database export (format kDb): one object per session with a `messages` array, as JSON lines
// or one JSON array; per-session fields other than messages go into each message's metadata.
//
// Chat-API logs: OTLP JSON traces/logs with the GenAI conventions (kOtel), LangChain callback
// events and run trees (kLangchain), OpenAI chat-completions gateway logs (kOpenai); see
// docs/formats.md and internal/{otel,langchain,openai}_format.h. Their messages carry metadata
// call_id / call_position so the SessionAssembler can drop history repeated by later calls.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "engine/core/message.h"
#include "engine/core/result.h"
#include "engine/ingest/input_format.h"
#include "engine/ingest/reject_sink.h"

namespace convaudit::ingest {

// Runs fn(0) ... fn(n - 1), possibly at once on several threads, and returns when all are done.
using ParallelFor = std::function<void(size_t n, const std::function<void(size_t)>& fn)>;

struct ReadOptions {
  InputFormat format = InputFormat::kAuto;
  // Records longer than this are rejected (kLineTooLong) without being parsed.
  uint64_t max_record_bytes = 16 * 1024 * 1024;
  // Optional (ingest makes no threads of its own): records of formats whose records stand alone
  // (per-message JSONL, database exports) are then parsed in batches of about 1 MiB through it.
  // Messages and rejects still reach the callback and the RejectSink in file order, on the
  // calling thread, exactly as without it.
  ParallelFor parallel_for;
};

struct ReadStats {
  InputFormat format = InputFormat::kAuto;  // the format used (detected or given)
  uint64_t records = 0;                     // non-blank records seen
  uint64_t messages = 0;                    // messages emitted
  uint64_t rejected = 0;                    // records rejected
  uint64_t bytes = 0;                       // uncompressed bytes read
};

using MessageCallback = std::function<void(core::Message&&)>;

// Error (kNotFound / kIo) only when the file cannot be opened or read at all; everything wrong
// inside the file is a reject.
Result<ReadStats> read_log(const std::string& path, const ReadOptions& options,
                           const MessageCallback& on_message, RejectSink& rejects);

}  // namespace convaudit::ingest
