#include "engine/rulehost/example_runner.h"

#include <cstdio>
#include <utility>

#include "engine/rulehost/rule_runner.h"

namespace convaudit::rulehost {

namespace {

constexpr size_t kExampleTextBytes = 80;
constexpr int64_t kExampleStartNs = 1'767'225'600'000'000'000;  // 2026-01-01T00:00:00Z

core::Conversation example_conversation(const RuleExample& example) {
  core::Conversation conversation;
  conversation.session_id = "example";
  int64_t timestamp_ns = kExampleStartNs;
  for (const ExampleMessage& source : example.messages) {
    core::Message& message = conversation.messages.emplace_back();
    message.session_id = conversation.session_id;
    message.role = core::parse_role(source.role).value_or(core::Role::kUser);
    message.text = source.text;
    message.metadata = source.metadata;
    message.timestamp_ns = timestamp_ns;
    timestamp_ns += 1'000'000'000;
  }
  return conversation;
}

std::string number_text(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g", value);
  return buffer;
}

std::vector<std::string> describe(const ConversationResult& result) {
  std::vector<std::string> out;
  for (const Finding& finding : result.findings) {
    out.push_back("finding:" + finding.type + "@" + std::to_string(finding.message_index) + ":" +
                  std::string(severity_name(finding.severity)));
  }
  for (const Score& score : result.scores) {
    out.push_back("score:" + score.name + "=" + number_text(score.value));
  }
  for (const Metric& metric : result.metrics) {
    out.push_back("metric:" + metric.name + "=" + number_text(metric.value));
  }
  return out;
}

}  // namespace

Result<std::vector<ExampleResult>> run_examples(const std::shared_ptr<const RuleSet>& rules,
                                                const RedactFunction& redact) {
  std::vector<ExampleResult> results;
  for (const RuleInfo& rule : rules->rules()) {
    for (size_t i = 0; i < rule.examples.size(); ++i) {
      const RuleExample& example = rule.examples[i];
      auto runner = RuleRunner::create(rules, {rule.id});
      if (!runner) {
        return fail(runner.error());
      }
      const redaction::RedactedConversation conversation = redact(example_conversation(example));
      const ConversationResult output = (*runner)->run(conversation);
      ExampleResult& result = results.emplace_back();
      result.rule_id = rule.id;
      result.index = i;
      result.where = rule.where;
      result.where.rule_id = rule.id;
      if (example.line > 0) {
        result.where.line = example.line;
      }
      result.expected = example.expect;
      result.what_fired = describe(output);
      result.fired = !result.what_fired.empty();
      for (const RuleFailure& failure : (*runner)->errors().failures()) {
        result.error = format_error(Error{failure.kind, failure.message, failure.where});
        break;
      }
      result.passed = result.fired == result.expected && result.error.empty();
      const std::vector<core::Message>& messages = conversation.conversation().messages;
      if (!messages.empty()) {
        result.text = excerpt_around(messages.front().text, 0, 0, kExampleTextBytes);
      }
      const SignatureIndex& index = rules->signatures();
      for (size_t m = 0; m < messages.size(); ++m) {
        for (size_t position : index.match(messages[m].text, messages[m].role)) {
          const std::string& id = index.signatures()[position].id;
          if (id != rule.id) {
            result.other_signatures.push_back(id + "@" + std::to_string(m));
          }
        }
      }
    }
  }
  return results;
}

}  // namespace convaudit::rulehost
