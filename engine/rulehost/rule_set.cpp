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
  for (const RuleSourceFile& file : files) {
    auto declared = (*vm)->load(file);
    if (!declared) {
      out.errors.push_back(declared.error());
      continue;
    }
    out.errors.insert(out.errors.end(), declared->errors.begin(), declared->errors.end());
    out.warnings.insert(out.warnings.end(), declared->warnings.begin(), declared->warnings.end());
    for (internal::DeclaredRule& rule : declared->rules) {
      if (!rule.valid) {
        continue;
      }
      auto it = active.find(rule.info.id);
      if (it != active.end() && it->second.pack_index == file.pack_index) {
        const SourceLocation& first = it->second.info.where;
        out.errors.push_back(
            Error{ErrorCode::kRuleDuplicateId,
                  "rule id already declared at " + first.file + ":" + std::to_string(first.line),
                  rule.info.where});
        continue;
      }
      const std::string id = rule.info.id;
      active[id] = Declared{std::move(rule.info), file.pack_index};
    }
  }
  if (!out.errors.empty()) {
    return fail(out.errors.front());
  }
  std::shared_ptr<RuleSet> set(new RuleSet());
  for (auto& [id, declared] : active) {
    set->rules_.push_back(std::move(declared.info));
  }
  set->files_ = std::move(files);
  set->limits_ = limits;
  return std::shared_ptr<const RuleSet>(std::move(set));
}

}  // namespace convaudit::rulehost
