#pragma once
// ConversationResultBuilder: the rulehost::ConversationResult a test pretends its rules
// produced for one session.
//
//   rulehost::ConversationResult r = ConversationResultBuilder("s1")
//                                        .finding("security", "prompt_injection", Severity::kHigh,
//                                        0) .score("quality", 7.5) .metric("revenue_usd", 19.99)
//                                        .build();
//
// A finding's rule id defaults to "<category>.<type>".

#include <cstdint>
#include <string>
#include <utility>

#include "engine/core/severity.h"
#include "engine/rulehost/rule_output.h"

namespace convaudit::testing {

class ConversationResultBuilder {
 public:
  explicit ConversationResultBuilder(std::string session_id) : session_id_(std::move(session_id)) {}

  // message_index -1: a finding about the whole conversation.
  ConversationResultBuilder& finding(const std::string& category, const std::string& type,
                                     Severity severity, int64_t message_index = -1,
                                     std::string rule_id = "") {
    rulehost::Finding f;
    f.session_id = session_id_;
    f.message_index = message_index;
    f.rule_id = rule_id.empty() ? category + "." + type : std::move(rule_id);
    f.category = category;
    f.type = type;
    f.severity = severity;
    result_.findings.push_back(std::move(f));
    return *this;
  }
  ConversationResultBuilder& score(std::string name, double value) {
    result_.scores.push_back(
        rulehost::Score{session_id_, "test.score", std::move(name), value, ""});
    return *this;
  }
  ConversationResultBuilder& metric(std::string name, double value) {
    result_.metrics.push_back(rulehost::Metric{session_id_, "test.metric", std::move(name), value});
    return *this;
  }

  rulehost::ConversationResult build() const { return result_; }

 private:
  std::string session_id_;
  rulehost::ConversationResult result_;
};

}  // namespace convaudit::testing
