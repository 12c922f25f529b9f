#pragma once
// TestRedactor: the real Redactor with a fixed pseudonym key and a mapping sink that drops the
// mappings, for tests that need redacted conversations (rules only ever see redacted input).
//
//   convaudit::testing::TestRedactor redact;
//   RedactedConversation r = redact(ConversationBuilder("s1").user("hi").build());

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/core/message.h"

#include "redaction/mapping_sink.h"
#include "redaction/pii_detector.h"
#include "redaction/pseudonymizer.h"
#include "redaction/redacted_conversation.h"
#include "redaction/redactor.h"

namespace convaudit::testing {

class NullMappingSink : public redaction::MappingSink {
 public:
  void record(const std::string&, redaction::PiiType, std::string_view) override {}
};

class TestRedactor {
 public:
  TestRedactor()
      : detector_(make_detector()),
        pseudonymizer_(std::vector<uint8_t>(32, 7)),
        redactor_(detector_, pseudonymizer_) {}

  redaction::RedactedConversation operator()(core::Conversation conversation) {
    return redactor_.redact(std::move(conversation), sink_);
  }

 private:
  static redaction::PiiDetector make_detector() {
    auto detector = redaction::PiiDetector::create();
    if (!detector) {
      std::abort();  // a built-in pattern that does not compile is a bug
    }
    return std::move(*detector);
  }
  redaction::PiiDetector detector_;
  redaction::Pseudonymizer pseudonymizer_;
  NullMappingSink sink_;
  redaction::Redactor redactor_;
};

}  // namespace convaudit::testing
