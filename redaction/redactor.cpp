#include "redaction/redactor.h"

#include <utility>

namespace convaudit::redaction {
namespace {

void redact_json(const Redactor& redactor, nlohmann::json& value, MappingSink& mappings,
                 std::vector<PiiMention>& mentions) {
  if (value.is_string()) {
    value = redactor.redact_text(value.get_ref<const std::string&>(), mappings, &mentions);
  } else if (value.is_object() || value.is_array()) {
    for (nlohmann::json& child : value) {
      redact_json(redactor, child, mappings, mentions);
    }
  }
}

}  // namespace

Redactor::Redactor(const PiiDetector& detector, const Pseudonymizer& pseudonymizer)
    : detector_(detector), pseudonymizer_(pseudonymizer) {}

std::string Redactor::redact_text(std::string_view text, MappingSink& mappings,
                                  std::vector<PiiMention>* mentions) const {
  const std::vector<PiiSpan> spans = detector_.detect(text);
  if (spans.empty()) {
    return std::string(text);
  }
  std::vector<std::string> tokens;
  tokens.reserve(spans.size());
  for (const PiiSpan& span : spans) {
    tokens.push_back(pseudonymizer_.token(span.type, span.normalized));
    mappings.record(tokens.back(), span.type, text.substr(span.begin, span.end - span.begin));
    if (mentions != nullptr) {
      mentions->push_back({span.type, tokens.back()});
    }
  }
  // Right to left, so the offsets of the spans still to replace stay valid.
  std::string out(text);
  for (size_t i = spans.size(); i-- > 0;) {
    out.replace(spans[i].begin, spans[i].end - spans[i].begin, tokens[i]);
  }
  return out;
}

RedactedConversation Redactor::redact(core::Conversation conversation,
                                      MappingSink& mappings) const {
  RedactedConversation out;
  out.pii_.resize(conversation.messages.size());
  for (size_t i = 0; i < conversation.messages.size(); ++i) {
    core::Message& message = conversation.messages[i];
    std::vector<PiiMention>& mentions = out.pii_[i];
    message.text = redact_text(message.text, mappings, &mentions);
    redact_json(*this, message.metadata, mappings, mentions);
  }
  out.conversation_ = std::move(conversation);
  return out;
}

}  // namespace convaudit::redaction
