#pragma once
// RedactedConversation: a Conversation whose every text field holds tokens instead of PII.
// Only the Redactor can construct one, so a function that takes it is guaranteed redacted input.

#include <cstddef>
#include <string>
#include <vector>

#include "engine/core/message.h"

#include "redaction/pii_type.h"

namespace convaudit::redaction {

struct PiiMention {
  PiiType type = PiiType::kEmail;
  std::string token;
};

class RedactedConversation {
 public:
  const core::Conversation& conversation() const { return conversation_; }
  // pii()[i]: the PII found in message i (text and metadata), in order of appearance.
  const std::vector<std::vector<PiiMention>>& pii() const { return pii_; }

 private:
  friend class Redactor;
  RedactedConversation() = default;
  core::Conversation conversation_;
  std::vector<std::vector<PiiMention>> pii_;
};

}  // namespace convaudit::redaction
