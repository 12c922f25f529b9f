#pragma once
// SignatureIndex: the patterns of every active signature{} compiled into ONE multi-pattern
// matcher (engine/match PatternSet with its literal prefilter). Built once by RuleSet::load, then
// immutable and shared by every worker's RuleRunner.
//
//   signature{ id = "security.signature.dan_persona", version = "1.0.0", category = "security",
//              type = "jailbreak", severity = "high", description = "...",
//              patterns = { "(?i)\\bDAN\\b.{0,40}do anything now" },
//              roles = { "user" },                  -- optional, default user and tool
//              examples = { "..." }, negatives = { "..." } }
//
// A message is searched once for the literal atoms of all patterns (a small automaton whose
// memory does not grow with the text); the patterns those atoms leave possible, plus those
// without atoms, are confirmed one by one with their own RE2, skipping signatures that do not
// scan the message's role (signature_index.cpp says why). If the atom matcher fails at match
// time every pattern is confirmed (counted, see fallback_count): never read as "no match".

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/error.h"
#include "engine/core/message.h"
#include "engine/core/result.h"
#include "engine/rulehost/rule_info.h"

namespace convaudit::rulehost {

class SignatureIndex {
 public:
  // Compiles the patterns of `signatures` (kind kSignature; copied). Each pattern that does not
  // compile is an Error kBadPattern at the signature's file and line, naming its id, the pattern
  // and RE2's reason; all of them are appended to `errors` and the first is returned.
  static Result<std::unique_ptr<const SignatureIndex>> build(std::vector<RuleInfo> signatures,
                                                             std::vector<Error>* errors = nullptr);
  ~SignatureIndex();
  SignatureIndex(const SignatureIndex&) = delete;
  SignatureIndex& operator=(const SignatureIndex&) = delete;

  // Signatures in id order; positions are what match() returns.
  const std::vector<RuleInfo>& signatures() const;
  size_t pattern_count() const;
  // Whether signature `position` scans messages of `role`.
  bool scans(size_t position, core::Role role) const;
  // Whether any signature scans messages of `role` (else the message is not matched at all).
  bool any_scans(core::Role role) const;
  // Whether messages of `role` are matched against a set of just the patterns that scan it
  // (built when they are at most a quarter of all patterns) instead of the whole pack's set.
  bool has_own_set(core::Role role) const;

  // Positions (ascending) of the signatures with at least one pattern matching `text` that scan
  // `role`.
  std::vector<size_t> match(std::string_view text, core::Role role) const;
  // The first span (byte range) of a pattern of signature `position` in `text`, the earliest
  // one among its patterns; false when only empty matches exist.
  bool first_span(size_t position, std::string_view text, size_t& begin, size_t& end) const;
  // How many match() calls had to fall back to per-pattern matching.
  uint64_t fallback_count() const;

 private:
  struct Impl;
  explicit SignatureIndex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The excerpt of a finding: a window of at most `limit` bytes of `text` around [begin, end),
// cut at UTF-8 boundaries, with "..." where text was left out on either side.
std::string excerpt_around(std::string_view text, size_t begin, size_t end, size_t limit = 200);

}  // namespace convaudit::rulehost
