#pragma once
// Redactor: replaces every PII value in a Conversation (message text and every string value in
// metadata, recursively) by its pseudonym token, and reports each new mapping to a MappingSink.
// Holds references to a detector and a pseudonymizer that must outlive it. Const methods are
// thread-safe when the MappingSink is.

#include <string>
#include <string_view>
#include <vector>

#include "engine/core/message.h"

#include "redaction/mapping_sink.h"
#include "redaction/pii_detector.h"
#include "redaction/pseudonymizer.h"
#include "redaction/redacted_conversation.h"

namespace convaudit::redaction {

class Redactor {
 public:
  Redactor(const PiiDetector& detector, const Pseudonymizer& pseudonymizer);

  RedactedConversation redact(core::Conversation conversation, MappingSink& mappings) const;
  // Redacts one text; appends what it found to `mentions` when not null.
  std::string redact_text(std::string_view text, MappingSink& mappings,
                          std::vector<PiiMention>* mentions) const;
  // The same, in place: false, with `text` untouched and nothing copied, when it held no PII.
  bool redact_in_place(std::string& text, MappingSink& mappings,
                       std::vector<PiiMention>* mentions) const;

 private:
  const PiiDetector& detector_;
  const Pseudonymizer& pseudonymizer_;
};

}  // namespace convaudit::redaction
