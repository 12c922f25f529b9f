#pragma once
// RulePackLoader: finds the rule files of each pack. Packs layer in order: the built-in pack
// (embedded in the binary at build time from rules/builtin/), then each --rules DIR.

#include <string>
#include <vector>

#include "engine/core/result.h"

namespace convaudit::rulehost {

struct RuleSourceFile {
  std::string name;     // as reports show it: "builtin/security/prompt_injection.lua" or the path
  std::string content;  // the file's bytes
  int pack_index = 0;   // 0 = first pack; later packs override earlier ones by rule id
};

// The built-in pack's files, sorted by name.
std::vector<RuleSourceFile> builtin_rule_files();

// Every *.lua file under `dir` (recursively), sorted by path. Error kNotFound / kIo.
Result<std::vector<RuleSourceFile>> load_rule_dir(const std::string& dir, int pack_index);

}  // namespace convaudit::rulehost
