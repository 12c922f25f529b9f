#pragma once
// The built-in pack's files, generated at build time by cmake/embed_rules.cmake from
// rules/builtin: {name relative to rules/ (e.g. "builtin/security/x.lua"), content}.

#include <string>
#include <utility>
#include <vector>

namespace convaudit::rulehost::internal {

std::vector<std::pair<std::string, std::string>> embedded_rule_files();

}  // namespace convaudit::rulehost::internal
