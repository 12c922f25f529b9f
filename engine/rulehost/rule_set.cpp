#include "engine/rulehost/rule_set.h"

#include <algorithm>
#include <map>
#include <utility>

#include "engine/rulehost/internal/lua_vm.h"

namespace convaudit::rulehost {

namespace {

struct Declared {
  RuleInfo info;
  int pack_index = 0;
};

}  // namespace

Result<std::shared_ptr<const RuleSet>> RuleSet::load(std::vector<RuleSourceFile> files,
                                                     const RuleLimits& limits,
                                                     LoadDiagnostics* diagnostics) {
  LoadDiagnostics local;
  LoadDiagnostics& out = diagnostics != nullptr ? *diagnostics : local;
  auto vm = internal::LuaVm::create(limits);
  if (!vm) {
    return fail(vm.error());
  }
  std::stable_sort(
      files.begin(), files.end(),
      [](const RuleSourceFile& a, const RuleSourceFile& b) { return a.pack_index < b.pack_index; });
  // Collector: a later pack replaces the same id; the same id twice in one pack is an error.
  std::map<std::string, Declared> active;
  std::vector<SourceLocation> disabled;
  size_t next = 0;
  while (next < files.size()) {
    const int pack = files[next].pack_index;
    std::vector<internal::DeclaredRule> pack_rules;
    std::vector<SourceLocation> pack_disables;
    for (; next < files.size() && files[next].pack_index == pack; ++next) {
      auto declared = (*vm)->load(files[next]);
      if (!declared) {
        out.errors.push_back(declared.error());
        continue;
      }
      out.errors.insert(out.errors.end(), declared->errors.begin(), declared->errors.end());
      out.warnings.insert(out.warnings.end(), declared->warnings.begin(), declared->warnings.end());
      for (internal::DeclaredRule& rule : declared->rules) {
        if (rule.valid) {
          pack_rules.push_back(std::move(rule));
        }
      }
      pack_disables.insert(pack_disables.end(), declared->disabled.begin(),
                           declared->disabled.end());
    }
    // disable{} switches off what earlier packs declared, before this pack's rules land.
    for (SourceLocation& where : pack_disables) {
      if (active.erase(where.rule_id) == 0) {
        out.warnings.push_back(Error{
            ErrorCode::kRuleSchema,
            "disable{}: no earlier pack declares rule '" + where.rule_id + "'; ignored", where});
        continue;
      }
      disabled.push_back(std::move(where));
    }
    for (internal::DeclaredRule& rule : pack_rules) {
      auto it = active.find(rule.info.id);
      if (it != active.end() && it->second.pack_index == pack) {
        const SourceLocation& first = it->second.info.where;
        out.errors.push_back(
            Error{ErrorCode::kRuleDuplicateId,
                  "rule id already declared at " + first.file + ":" + std::to_string(first.line),
                  rule.info.where});
        continue;
      }
      const std::string id = rule.info.id;
      active[id] = Declared{std::move(rule.info), pack};
    }
  }
  std::shared_ptr<RuleSet> set(new RuleSet());
  std::vector<RuleInfo> signatures;
  for (auto& [id, declared] : active) {
    if (declared.info.kind == RuleKind::kSignature) {
      signatures.push_back(declared.info);
    }
    set->rules_.push_back(std::move(declared.info));
  }
  auto index = SignatureIndex::build(std::move(signatures), &out.errors);
  if (!out.errors.empty()) {
    return fail(out.errors.front());
  }
  set->signatures_ = std::move(*index);
  set->disabled_ = std::move(disabled);
  set->files_ = std::move(files);
  set->limits_ = limits;
  return std::shared_ptr<const RuleSet>(std::move(set));
}

}  // namespace convaudit::rulehost
