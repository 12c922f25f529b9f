#include "redaction/redactor.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace convaudit::redaction {
namespace {

// Every string, every key and every integer of a metadata value: PII hides in all three
// ({"alice@example.com": "vip"}, {"phone": 4155550123}). An integer holding PII becomes the
// token string; keys that hold none keep their place.
// A key spelled like an identifier ("latency_ms", "prompt.version") holds no PII of the
// catalogue: e-mails need '@', numbers digits, secrets and names capitals or digits.
bool identifier_like(const std::string& key) {
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || c == '_' || c == '-' || c == '.';
  });
}

// The shortest PII number of the catalogue (a national phone number) has 7 digits.
constexpr int64_t kSmallestPiiNumber = 1'000'000;

// Metadata strings of one conversation found free of PII. Most metadata repeats on every
// message of a session (model, channel, prompt version, agent): detection is a pure function of
// the text, so each distinct short value is scanned once per conversation.
class CleanStrings {
 public:
  bool contains(const std::string& text) const {
    return std::find(clean_.begin(), clean_.end(), text) != clean_.end();
  }
  void add(const std::string& text) {
    if (text.size() <= kMaxBytes && clean_.size() < kMaxEntries) {
      clean_.push_back(text);
    }
  }

 private:
  static constexpr size_t kMaxBytes = 64;
  static constexpr size_t kMaxEntries = 32;
  std::vector<std::string> clean_;
};

void redact_json(const Redactor& redactor, nlohmann::json& value, MappingSink& mappings,
                 std::vector<PiiMention>& mentions, CleanStrings& clean) {
  if (value.is_string()) {
    std::string& text = value.get_ref<std::string&>();
    if (clean.contains(text)) {
      return;
    }
    if (!redactor.redact_in_place(text, mappings, &mentions)) {
      clean.add(text);
    }
  } else if (value.is_number_integer()) {
    if (value.is_number_unsigned() ? value.get<uint64_t>() < uint64_t{kSmallestPiiNumber}
                                   : value.get<int64_t>() > -kSmallestPiiNumber &&
                                         value.get<int64_t>() < kSmallestPiiNumber) {
      return;
    }
    const std::string digits = value.dump();
    std::string redacted = redactor.redact_text(digits, mappings, &mentions);
    if (redacted != digits) {
      value = std::move(redacted);
    }
  } else if (value.is_array()) {
    for (nlohmann::json& child : value) {
      redact_json(redactor, child, mappings, mentions, clean);
    }
  } else if (value.is_object()) {
    std::vector<std::pair<std::string, std::string>> renamed;  // key -> its redacted form
    for (auto it = value.begin(); it != value.end(); ++it) {
      redact_json(redactor, it.value(), mappings, mentions, clean);
      if (identifier_like(it.key())) {
        continue;
      }
      std::string redacted_key = redactor.redact_text(it.key(), mappings, &mentions);
      if (redacted_key != it.key()) {
        renamed.emplace_back(it.key(), std::move(redacted_key));
      }
    }
    for (auto& [key, redacted_key] : renamed) {
      nlohmann::json child = std::move(value[key]);
      value.erase(key);
      value[redacted_key] = std::move(child);
    }
  }
}

}  // namespace

Redactor::Redactor(const PiiDetector& detector, const Pseudonymizer& pseudonymizer)
    : detector_(detector), pseudonymizer_(pseudonymizer) {}

std::string Redactor::redact_text(std::string_view text, MappingSink& mappings,
                                  std::vector<PiiMention>* mentions) const {
  std::string out(text);
  redact_in_place(out, mappings, mentions);
  return out;
}

bool Redactor::redact_in_place(std::string& text, MappingSink& mappings,
                               std::vector<PiiMention>* mentions) const {
  const std::vector<PiiSpan> spans = detector_.detect(text);
  if (spans.empty()) {
    return false;
  }
  std::vector<std::string> tokens;
  tokens.reserve(spans.size());
  for (const PiiSpan& span : spans) {
    tokens.push_back(pseudonymizer_.token(span.type, span.normalized));
    // The normalised value is what the token stands for: "Jane@Example.com" and
    // "jane@example.com", or "(202) 555-0143" and "202.555.0143", are one subject with one token,
    // so the vault keeps the one value they share (never a spelling that would make the next
    // spelling look like a different value, i.e. a token collision).
    mappings.record(tokens.back(), span.type, span.normalized);
    if (mentions != nullptr) {
      mentions->push_back({span.type, tokens.back()});
    }
  }
  // Right to left, so the offsets of the spans still to replace stay valid.
  for (size_t i = spans.size(); i-- > 0;) {
    text.replace(spans[i].begin, spans[i].end - spans[i].begin, tokens[i]);
  }
  return true;
}

RedactedConversation Redactor::redact(core::Conversation conversation,
                                      MappingSink& mappings) const {
  RedactedConversation out;
  out.pii_.resize(conversation.messages.size());
  CleanStrings clean;
  for (size_t i = 0; i < conversation.messages.size(); ++i) {
    core::Message& message = conversation.messages[i];
    std::vector<PiiMention>& mentions = out.pii_[i];
    redact_in_place(message.text, mappings, &mentions);
    redact_json(*this, message.metadata, mappings, mentions, clean);
  }
  out.conversation_ = std::move(conversation);
  return out;
}

}  // namespace convaudit::redaction
