#pragma once
// SessionAssembler: groups messages of many interleaved, out-of-order sessions into
// Conversations. Not thread-safe: one per ingest thread.
//
// Order guarantee (deterministic for the same input files in the same order): conversations are
// sorted by session id; messages within one by timestamp, ties by the order they were added.
// A message whose (role, text, timestamp) repeats an earlier one of the same session exactly is
// a duplicate (chat APIs resend history) and is dropped and counted.

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
