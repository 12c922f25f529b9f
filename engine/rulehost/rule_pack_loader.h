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

// The built-in pack's rule files (*.lua), sorted by name.
std::vector<RuleSourceFile> builtin_rule_files();

// The benign conversation set that ships with the built-in pack (rules/builtin/benign/*.jsonl,
// embedded like the rules), sorted by name: JSONL, one message per line,
// {"session_id", "role", "message", "metadata"?}, in conversation order. `rules test` runs the
// whole pack over it and fails on any security finding.
std::vector<RuleSourceFile> builtin_benign_conversations();

// Every *.lua file under `dir` (recursively), sorted by path. Error kNotFound / kIo.
Result<std::vector<RuleSourceFile>> load_rule_dir(const std::string& dir, int pack_index);

}  // namespace convaudit::rulehost
