#include "engine/ingest/session_assembler.h"

#include <algorithm>
#include <numeric>
#include <set>
#include <string_view>
#include <utility>

namespace convaudit::ingest {

void SessionAssembler::add(core::Message message) {
  Pending& pending = sessions_[message.session_id];
  pending.messages.push_back(std::move(message));
  pending.order.push_back(next_order_++);
}

// Duplicates are found here rather than in add(): they share a timestamp, so after sorting they
// sit in the same run of equal timestamps and only that run needs remembering.
std::vector<core::Conversation> SessionAssembler::take_conversations() {
  std::vector<core::Conversation> out;
  out.reserve(sessions_.size());
  for (auto& entry : sessions_) {
    const std::string& session_id = entry.first;
    Pending& pending = entry.second;
    std::vector<size_t> index(pending.messages.size());
    std::iota(index.begin(), index.end(), size_t{0});
    std::sort(index.begin(), index.end(), [&](size_t a, size_t b) {
      const int64_t ta = pending.messages[a].timestamp_ns;
      const int64_t tb = pending.messages[b].timestamp_ns;
      if (ta != tb) {
        return ta < tb;
      }
      return pending.order[a] < pending.order[b];
    });
    core::Conversation conversation;
    conversation.session_id = session_id;
    conversation.messages.reserve(index.size());
    // Views point into conversation.messages, which never reallocates (reserved above).
    std::set<std::pair<core::Role, std::string_view>> seen_at_timestamp;
    bool first = true;
    int64_t run_timestamp = 0;
    for (size_t i : index) {
      core::Message& message = pending.messages[i];
      if (first || message.timestamp_ns != run_timestamp) {
        seen_at_timestamp.clear();
        run_timestamp = message.timestamp_ns;
        first = false;
      }
      conversation.messages.push_back(std::move(message));
      const core::Message& kept = conversation.messages.back();
      if (!seen_at_timestamp.emplace(kept.role, std::string_view(kept.text)).second) {
        conversation.messages.pop_back();
        ++duplicates_;
      }
    }
    out.push_back(std::move(conversation));
  }
  sessions_.clear();
  next_order_ = 0;
  return out;
}

}  // namespace convaudit::ingest
