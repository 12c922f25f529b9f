#include "engine/rulehost/rule_runner.h"

#include <algorithm>
#include <array>
#include <set>
#include <utility>

#include "engine/rulehost/internal/cpu_clock.h"
#include "engine/rulehost/internal/lua_vm.h"

namespace convaudit::rulehost {

namespace {

// Time spent in a rule, read from the cheap cycle clock (see internal/cpu_clock.h).
uint64_t thread_cpu_ns() {
  return internal::cpu_ticks_to_ns(internal::cpu_ticks());
}

size_t output_size(const ConversationResult& result) {
  return result.findings.size() + result.scores.size() + result.metrics.size();
}

struct ActiveRule {
  const RuleInfo* info = nullptr;
  internal::HandlerRef on_message = 0;
  internal::HandlerRef on_conversation = 0;
  RuleCost cost;
};

}  // namespace

struct RuleRunner::Impl {
  std::shared_ptr<const RuleSet> rules;
  std::unique_ptr<internal::LuaVm> vm;
  std::vector<ActiveRule> active;  // Lua rules (detectors, scorers, metrics)
  RuleErrorLog errors;

  // Signatures: positions in rules->signatures() this runner reports (the others still feed
  // msg.signatures), their costs, and the per-message hit ids of the current conversation.
  const SignatureIndex* index = nullptr;
  std::vector<size_t> signature_positions;
  std::vector<RuleCost> signature_costs;  // parallel to signature_positions
  std::vector<int> reported_slot;         // index position -> slot in signature_positions, or -1
  std::array<uint64_t, 5> scanned_by_role{};  // messages matched against the set, per role
  uint64_t signature_cpu_ns = 0;
  std::vector<std::vector<std::string>> hits;

  void run_signatures(const redaction::RedactedConversation& conversation,
                      ConversationResult& result);
  // The conversation being run, to re-enter it after the state is rebuilt.
  const redaction::RedactedConversation* current = nullptr;

  // (Re)creates the Lua state: loads the files of the active rules and binds their handlers.
  Status start_vm();
  void invoke(ActiveRule& rule, internal::HandlerRef handler, int64_t message_index,
              ConversationResult& result);
  void recover_memory();
};

Status RuleRunner::Impl::start_vm() {
  vm.reset();
  auto created = internal::LuaVm::create(rules->limits());
  if (!created) {
    return fail(created.error());
  }
  vm = std::move(*created);
  std::set<std::string> needed;
  for (ActiveRule& rule : active) {
    needed.insert(rule.info->where.file);
    rule.on_message = 0;
    rule.on_conversation = 0;
  }
  for (const RuleSourceFile& file : rules->files()) {
    if (needed.count(file.name) == 0) {
      continue;
    }
    auto declared = vm->load(file);
    if (!declared) {
      return fail(declared.error());
    }
    for (const internal::DeclaredRule& rule : declared->rules) {
      for (ActiveRule& target : active) {
        if (target.info->id == rule.info.id && target.info->where.file == file.name) {
          target.on_message = rule.on_message;
          target.on_conversation = rule.on_conversation;
        }
      }
    }
  }
  for (const ActiveRule& rule : active) {
    if (rule.on_message == 0 && rule.on_conversation == 0) {
      return fail(ErrorCode::kInternal, "rule did not declare itself again when reloaded",
                  rule.info->where);
    }
  }
  if (current != nullptr) {
    vm->begin_conversation(current->conversation(), current->pii(), &hits);
  }
  return ok_status();
}

void RuleRunner::Impl::recover_memory() {
  vm->collect_garbage();
  const uint64_t limit = rules->limits().memory_bytes_per_state;
  if (vm->memory_used_bytes() <= limit / 4 * 3) {
    return;
  }
  // Something (a rule's global) still holds the memory: start over with a fresh state.
  if (Status started = start_vm(); !started) {
    vm.reset();
    for (ActiveRule& rule : active) {
      errors.add(rule.info->id, ErrorCode::kRuleMemoryBudget, rule.info->where,
                 "rule state could not be rebuilt: " + started.error().message);
      rule.cost.quarantined = true;
    }
  }
}

void RuleRunner::Impl::invoke(ActiveRule& rule, internal::HandlerRef handler, int64_t message_index,
                              ConversationResult& result) {
  const size_t before = output_size(result);
  const uint64_t start_ns = thread_cpu_ns();
  std::optional<internal::CallFailure> failure =
      vm->call(handler, *rule.info, message_index, result);
  rule.cost.cpu_ns += thread_cpu_ns() - start_ns;
  ++rule.cost.calls;
  if (!failure) {
    rule.cost.matches += output_size(result) - before;
    return;
  }
  errors.add(rule.info->id, failure->kind, failure->where, failure->message);
  const bool budget =
      failure->kind == ErrorCode::kRuleCpuBudget || failure->kind == ErrorCode::kRuleMemoryBudget;
  if (budget) {
    ++rule.cost.budget_trips;
    const int after = rules->limits().quarantine_after;
    if (after > 0 && rule.cost.budget_trips >= static_cast<uint64_t>(after)) {
      rule.cost.quarantined = true;
    }
  }
  if (failure->kind == ErrorCode::kRuleMemoryBudget) {
    recover_memory();
  }
}

void RuleRunner::Impl::run_signatures(const redaction::RedactedConversation& conversation,
                                      ConversationResult& result) {
  const std::vector<core::Message>& messages = conversation.conversation().messages;
  hits.assign(messages.size(), {});
  if (index->pattern_count() == 0 || (signature_positions.empty() && active.empty())) {
    return;
  }
  const std::vector<RuleInfo>& signatures = index->signatures();
  const uint64_t start_ns = thread_cpu_ns();
  for (size_t i = 0; i < messages.size(); ++i) {
    const core::Message& message = messages[i];
    if (!index->any_scans(message.role)) {
      continue;
    }
    ++scanned_by_role[static_cast<size_t>(message.role)];
    for (size_t position : index->match(message.text, message.role)) {
      const RuleInfo& signature = signatures[position];
      hits[i].push_back(signature.id);
      const int slot = reported_slot[position];
      if (slot < 0) {
        continue;
      }
      Finding& finding = result.findings.emplace_back();
      finding.session_id = conversation.conversation().session_id;
      finding.message_index = static_cast<int64_t>(i);
      finding.rule_id = signature.id;
      finding.category = signature.category;
      finding.type = signature.type.empty() ? signature.id : signature.type;
      finding.severity = signature.severity;
      size_t begin = 0;
      size_t end = 0;
      if (!index->first_span(position, message.text, begin, end)) {
        begin = end = 0;
      }
      finding.excerpt = excerpt_around(message.text, begin, end);
      ++signature_costs[static_cast<size_t>(slot)].matches;
    }
  }
  signature_cpu_ns += thread_cpu_ns() - start_ns;
}

RuleRunner::RuleRunner(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RuleRunner::~RuleRunner() = default;

Result<std::unique_ptr<RuleRunner>> RuleRunner::create(std::shared_ptr<const RuleSet> rules) {
  std::vector<std::string> all;
  for (const RuleInfo& rule : rules->rules()) {
    all.push_back(rule.id);
  }
  return create(std::move(rules), all);
}

Result<std::unique_ptr<RuleRunner>> RuleRunner::create(std::shared_ptr<const RuleSet> rules,
                                                       const std::vector<std::string>& rule_ids) {
  auto impl = std::make_unique<Impl>();
  impl->rules = std::move(rules);
  const std::set<std::string> wanted(rule_ids.begin(), rule_ids.end());
  impl->index = &impl->rules->signatures();
  const std::vector<RuleInfo>& signatures = impl->index->signatures();
  impl->reported_slot.assign(signatures.size(), -1);
  for (size_t position = 0; position < signatures.size(); ++position) {
    if (wanted.count(signatures[position].id) != 0) {
      impl->reported_slot[position] = static_cast<int>(impl->signature_positions.size());
      impl->signature_positions.push_back(position);
      impl->signature_costs.emplace_back().rule_id = signatures[position].id;
    }
  }
  for (const RuleInfo& rule : impl->rules->rules()) {
    if (rule.kind != RuleKind::kSignature && wanted.count(rule.id) != 0) {
      ActiveRule& active = impl->active.emplace_back();
      active.info = &rule;
      active.cost.rule_id = rule.id;
    }
  }
  if (Status started = impl->start_vm(); !started) {
    return fail(started.error());
  }
  return std::unique_ptr<RuleRunner>(new RuleRunner(std::move(impl)));
}

ConversationResult RuleRunner::run(const redaction::RedactedConversation& conversation) {
  ConversationResult result;
  Impl& impl = *impl_;
  impl.run_signatures(conversation, result);  // first, so handlers see msg.signatures
  if (impl.vm == nullptr) {  // the state could not be rebuilt; every Lua rule is quarantined
    return result;
  }
  impl.current = &conversation;
  impl.vm->begin_conversation(conversation.conversation(), conversation.pii(), &impl.hits);
  const auto messages = static_cast<int64_t>(conversation.conversation().messages.size());
  for (ActiveRule& rule : impl.active) {
    const std::vector<core::Role>& roles = rule.info->roles;
    for (int64_t i = 0; i < messages && rule.on_message != 0 && !rule.cost.quarantined; ++i) {
      if (!roles.empty() &&
          std::find(roles.begin(), roles.end(),
                    conversation.conversation().messages[static_cast<size_t>(i)].role) ==
              roles.end()) {
        continue;  // rule{ roles = {...} }: not a message this rule looks at
      }
      impl.invoke(rule, rule.on_message, i, result);
    }
    if (rule.on_conversation != 0 && !rule.cost.quarantined) {
      impl.invoke(rule, rule.on_conversation, -1, result);
    }
  }
  if (impl.vm != nullptr) {
    impl.vm->end_conversation();
  }
  impl.current = nullptr;
  return result;
}

const RuleErrorLog& RuleRunner::errors() const {
  return impl_->errors;
}

std::vector<RuleCost> RuleRunner::costs() const {
  std::vector<RuleCost> costs;
  for (const ActiveRule& rule : impl_->active) {
    costs.push_back(rule.cost);
  }
  // A signature's calls are the messages of its roles matched against the set; the set's CPU
  // time is shared among the reported signatures in proportion to their calls.
  const Impl& impl = *impl_;
  uint64_t total_calls = 0;
  std::vector<RuleCost> signature_costs = impl.signature_costs;
  for (size_t slot = 0; slot < signature_costs.size(); ++slot) {
    RuleCost& cost = signature_costs[slot];
    for (size_t role = 0; role < impl.scanned_by_role.size(); ++role) {
      if (impl.index->scans(impl.signature_positions[slot], static_cast<core::Role>(role))) {
        cost.calls += impl.scanned_by_role[role];
      }
    }
    total_calls += cost.calls;
  }
  for (RuleCost& cost : signature_costs) {
    if (total_calls > 0) {
      cost.cpu_ns =
          static_cast<uint64_t>(static_cast<double>(impl.signature_cpu_ns) *
                                static_cast<double>(cost.calls) / static_cast<double>(total_calls));
    }
    costs.push_back(std::move(cost));
  }
  std::sort(costs.begin(), costs.end(),
            [](const RuleCost& a, const RuleCost& b) { return a.rule_id < b.rule_id; });
  return costs;
}

}  // namespace convaudit::rulehost
