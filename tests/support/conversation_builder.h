#pragma once
// ConversationBuilder: a core::Conversation written by hand in a test, one message per call.
//
//   core::Conversation c = ConversationBuilder("s1")
//                              .user("hi")
//                              .assistant("hello", {{"model", "m1"}, {"latency_ms", 120}})
//                              .build();
//
// Timestamps start at start_ns (default 1'000'000'000) and grow by one second per message
// unless a message gives its own.

#include <cstdint>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "engine/core/message.h"

namespace convaudit::testing {

class ConversationBuilder {
 public:
  explicit ConversationBuilder(std::string session_id, int64_t start_ns = 1'000'000'000)
      : next_timestamp_ns_(start_ns) {
    conversation_.session_id = std::move(session_id);
  }

  ConversationBuilder& message(core::Role role, std::string text,
                               nlohmann::json metadata = nlohmann::json::object()) {
    return message_at(role, std::move(text), next_timestamp_ns_, std::move(metadata));
  }
  ConversationBuilder& message_at(core::Role role, std::string text, int64_t timestamp_ns,
                                  nlohmann::json metadata = nlohmann::json::object()) {
    core::Message m;
    m.session_id = conversation_.session_id;
    m.role = role;
    m.text = std::move(text);
    m.timestamp_ns = timestamp_ns;
    m.metadata = std::move(metadata);
    m.source.line = static_cast<int64_t>(conversation_.messages.size()) + 1;
    conversation_.messages.push_back(std::move(m));
    next_timestamp_ns_ = timestamp_ns + 1'000'000'000;
    return *this;
  }
  ConversationBuilder& user(std::string text, nlohmann::json metadata = nlohmann::json::object()) {
    return message(core::Role::kUser, std::move(text), std::move(metadata));
  }
  ConversationBuilder& assistant(std::string text,
                                 nlohmann::json metadata = nlohmann::json::object()) {
    return message(core::Role::kAssistant, std::move(text), std::move(metadata));
  }

  core::Conversation build() const { return conversation_; }

 private:
  core::Conversation conversation_;
  int64_t next_timestamp_ns_;
};

}  // namespace convaudit::testing
