#pragma once
// SessionAssembler: groups messages of many interleaved, out-of-order sessions into
// Conversations. Not thread-safe: one per ingest thread.
//
// Order guarantee (deterministic for the same input files in the same order): conversations are
// sorted by session id; messages within one by timestamp, ties by the order they were added.
// Duplicates are dropped and counted (the first occurrence, in conversation order, wins):
// - a message without `call_id` whose (role, text, timestamp) repeats an earlier one of the
//   same session exactly;
// - call logs: readers of call logs (otel, langchain, openai) tag each message with metadata
//   `call_id` and, when known, `call_position` (its index in the call).
//   - The same call logged twice (a retried write, one file given twice): a message whose call,
//     position, timestamp, role, text and tool call ids (metadata tool_calls[].id) repeat those
//     of any earlier one (compared by a 128-bit fingerprint, see session_assembler.cpp). Within
//     one call, the same text at two positions ("yes" ... "yes") is two messages.
//   - Repeated history: chat APIs resend the whole history with every call. A message of call C
//     is the same message as an earlier kept one of another call with the same role, text and
//     tool call ids whose position is at least C's position (history may be trimmed, never
//     pushed later). Within one call the matches go forward through the history, so a text the
//     user really says twice stays twice. A missing position matches any position.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/core/message.h"

namespace convaudit::ingest {

class SessionAssembler {
 public:
  void add(core::Message message);
  // Returns all conversations and resets the assembler.
  std::vector<core::Conversation> take_conversations();
  uint64_t duplicate_count() const { return duplicates_; }

 private:
  struct Pending {
    std::vector<core::Message> messages;
    std::vector<uint64_t> order;
  };
  std::map<std::string, Pending> sessions_;
  uint64_t next_order_ = 0;
  uint64_t duplicates_ = 0;
};

}  // namespace convaudit::ingest
