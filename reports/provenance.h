#pragma once
// Provenance: what a report was made from, so a third party can check it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace convaudit::reports {

struct InputFileRecord {
  std::string path;        // as given on the command line
  std::string sha256_hex;  // of the file's bytes as stored
  uint64_t size_bytes = 0;
};

struct RuleFileRecord {
  std::string name;        // builtin/security/x.lua or the path given
  std::string sha256_hex;
};

struct RuleRecord {
  std::string id;
  std::string version;
  std::string kind;
  std::string file;        // the RuleFileRecord name it came from
};

struct Provenance {
  std::string engine_version;
  std::vector<InputFileRecord> inputs;
  std::vector<RuleFileRecord> rule_files;
  std::vector<RuleRecord> rules;  // the rules that ran, sorted by id
  // Run parameters as text (period label, since, until, format, fail_on...), sorted by key.
  std::vector<std::pair<std::string, std::string>> parameters;
  std::string signing_key_id;
  std::string pseudonym_key_id;
  std::string vault_key_id;
  bool demo_keys = false;
  std::optional<std::string> previous_report_sha256;
};

}  // namespace convaudit::reports
