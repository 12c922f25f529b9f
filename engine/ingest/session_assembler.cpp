#include "engine/ingest/session_assembler.h"

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "engine/ingest/internal/fingerprint.h"

namespace convaudit::ingest {
namespace {

using internal::Fingerprint;
using internal::FingerprintBuilder;

// What a chat-API reader says about the call a message came from (see chat_common.h).
struct CallInfo {
  std::string call_id;    // empty: not from a call log
  int64_t position = -1;  // -1: unknown
  // The ids of the tool calls it makes (the whole call when it has no id), fingerprinted:
  // tool-call-only messages differ by them, and a call without ids can be long.
  Fingerprint tool_key;
};

CallInfo call_info(const nlohmann::json& metadata) {
  CallInfo info;
  if (!metadata.is_object()) {
    return info;
  }
  auto id = metadata.find("call_id");
  if (id == metadata.end() || !id->is_string()) {
    return info;
  }
  info.call_id = id->get<std::string>();
  auto position = metadata.find("call_position");
  if (position != metadata.end() && position->is_number_integer()) {
    info.position = position->get<int64_t>();
  }
  FingerprintBuilder tool_key;
  if (auto calls = metadata.find("tool_calls"); calls != metadata.end() && calls->is_array()) {
    for (const auto& call : *calls) {
      if (call.is_object()) {
        auto call_id = call.find("id");
        tool_key.add(call_id != call.end() ? call_id->dump() : call.dump());
      }
    }
  }
  info.tool_key = tool_key.finish();
  return info;
}

// A call-log message's identity: its call, position, time, role, tool call ids and text. The
// time keeps apart messages that share a call id and position without being the same (otel
// per-message events without trace or span ids fall back to the session id, and each file's
// positions start at 0); a call logged twice repeats its times too.
//
// Kept as a 128-bit fingerprint, not a copy: a session's identities would otherwise hold every
// call-log text of the session a second time. Two different identities of one session share a
// fingerprint with probability about n^2 / 2^129 for n messages (below 10^-20 even at 10^8), so
// a message wrongly taken for a repeat is negligible. The fields are framed by their lengths, so
// no text can pose as another message's fields (a NUL-separated key could be forged that way).
// Identities differ in call, position or time whenever they are not repeats, and those are set by
// the logging system, not by what a user types, so MurmurHash3's crafted collisions do not apply.
Fingerprint call_identity(const CallInfo& info, const core::Message& message) {
  return FingerprintBuilder()
      .add(info.call_id)
      .add(info.position)
      .add(message.timestamp_ns)
      .add(static_cast<int64_t>(message.role))
      .add(static_cast<int64_t>(info.tool_key.low))
      .add(static_cast<int64_t>(info.tool_key.high))
      .add(message.text)
      .finish();
}

}  // namespace

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
    // Every call-log message met so far, kept or dropped, by identity: the same call logged
    // twice (a retried gateway write, one file given twice) repeats these exactly.
    std::unordered_set<Fingerprint, internal::FingerprintHash> seen_in_calls;
    // Kept messages that came from call logs (index into conversation.messages) and, per call,
    // how far into that history its repeats have matched.
    std::vector<std::pair<size_t, CallInfo>> call_history;
    std::map<std::string, size_t> cursor;
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
      CallInfo info = call_info(kept.metadata);
      if (info.call_id.empty()) {
        if (!seen_at_timestamp.emplace(kept.role, std::string_view(kept.text)).second) {
          conversation.messages.pop_back();
          ++duplicates_;
        }
        continue;
      }
      if (!seen_in_calls.insert(call_identity(info, kept)).second) {
        conversation.messages.pop_back();
        ++duplicates_;
        continue;
      }
      size_t& from = cursor.try_emplace(info.call_id, 0).first->second;
      const int64_t wanted = std::max<int64_t>(info.position, 0);
      bool repeated = false;
      for (size_t j = from; j < call_history.size(); ++j) {
        const auto& [kept_index, earlier] = call_history[j];
        const core::Message& candidate = conversation.messages[kept_index];
        const int64_t earlier_position =
            earlier.position < 0 ? std::numeric_limits<int64_t>::max() : earlier.position;
        if (candidate.role == kept.role && earlier.call_id != info.call_id &&
            earlier_position >= wanted && candidate.text == kept.text &&
            earlier.tool_key == info.tool_key) {
          from = j + 1;
          repeated = true;
          break;
        }
      }
      if (repeated) {
        conversation.messages.pop_back();
        ++duplicates_;
        continue;
      }
      call_history.emplace_back(conversation.messages.size() - 1, std::move(info));
    }
    out.push_back(std::move(conversation));
  }
  sessions_.clear();
  next_order_ = 0;
  return out;
}

}  // namespace convaudit::ingest
