#pragma once
// What rules produce for one conversation: findings, scores and metrics.

#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/severity.h"

namespace convaudit::rulehost {

struct Finding {
  std::string session_id;
  int64_t message_index = -1;  // -1: the finding is about the whole conversation
  std::string rule_id;
  std::string category;                 // from the rule
  std::string type;                     // finer kind chosen by the rule (defaults to the rule id)
  Severity severity = Severity::kInfo;  // the rule's, unless the rule overrides it per finding
  std::string excerpt;                  // redacted text only (rules see nothing else), <= 200 bytes
};

struct Score {
  std::string session_id;
  std::string rule_id;
  std::string name;  // e.g. "quality"
  double value = 0;  // e.g. 0..10
  std::string explanation;
};

struct Metric {
  std::string session_id;
  std::string rule_id;
  std::string name;  // e.g. "revenue_usd"
  double value = 0;
};

struct ConversationResult {
  std::vector<Finding> findings;
  std::vector<Score> scores;
  std::vector<Metric> metrics;
};

}  // namespace convaudit::rulehost
