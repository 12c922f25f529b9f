#pragma once
// PatternSet: many RE2 patterns compiled once into one multi-pattern matcher.
//
// Phases (like RE2::Set): add() patterns, compile() once, then the set is immutable and safe to
// share between threads.
//
//   PatternSet set;
//   auto a = set.add("(?i)ignore (all )?previous instructions");   // Result<int>: id 0
//   auto b = set.add("\\b\\d{3}-\\d{2}-\\d{4}\\b");                  // id 1
//   if (auto st = set.compile(); !st) ...;
//   std::vector<int> hit = set.match(text);         // ids of patterns that match somewhere
//   set.for_each_match(1, text, [](MatchSpan s) { ... });  // every non-overlapping span
//   for (auto s = set.find(1, text); s; s = set.find(1, text, s->end)) { ... }  // the same
//
// Matching is linear-time (RE2): no pattern can hang a run. If the multi-pattern matcher fails
// at match time (e.g. RE2::Set runs out of DFA memory), match() falls back to testing each
// pattern on its own and counts the fallback; a Set failure never reads as "no match".
//
// With PatternSetOptions{.prefilter = true} there is no RE2::Set: RE2's FilteredRE2 derives
// literal "atoms" from each pattern (strings one of which must occur, lowercased, for the pattern
// to match); one small case-insensitive matcher of those literals finds the atoms in a text, the
// patterns they leave possible (plus those without usable atoms) are the candidates, and each
// candidate is confirmed with its own RE2. Same answers, memory bounded by the atoms, not the
// text (pattern_set.cpp says why).

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"

namespace convaudit::match {

struct PatternOptions {
  bool case_insensitive = false;
  bool literal = false;  // the pattern is a plain string, not a regex
  // Only for find()/for_each_match(): left out of the multi-pattern matcher, so match() never
  // reports it and it costs the shared DFA nothing (e.g. the context-word half of a rule).
  bool spans_only = false;
};

// How a set matches many patterns at once (constructor argument; the default is RE2::Set).
struct PatternSetOptions {
  bool prefilter = false;  // literal prefilter + per-pattern confirmation instead of RE2::Set
  // Atoms shorter than this are not used (a pattern left with none is always a candidate).
  int min_atom_len = 3;
};

// What the prefilter of a set holds (all zero without prefilter).
struct PrefilterStats {
  size_t atoms = 0;       // distinct literals searched for in each text
  size_t filtered = 0;    // patterns that are candidates only when one of their atoms occurs
  size_t unfiltered = 0;  // patterns without usable atoms: a candidate for every text
};

// A half-open byte range [begin, end) in the searched text.
struct MatchSpan {
  size_t begin = 0;
  size_t end = 0;
};

class PatternSet {
 public:
  PatternSet();
  explicit PatternSet(const PatternSetOptions& set_options);
  ~PatternSet();
  PatternSet(PatternSet&&) noexcept;
  PatternSet& operator=(PatternSet&&) noexcept;

  // Adds a pattern and returns its id (0, 1, ... in add order). Error kBadPattern with RE2's
  // reason when it does not compile. Must be called before compile().
  Result<int> add(std::string_view pattern, const PatternOptions& options = {});

  // Compiles the set. Error kBadPattern when RE2::Set refuses it. Call once.
  Status compile();

  size_t size() const;
  // Ids of the patterns that match anywhere in `text`, ascending. Requires compile().
  std::vector<int> match(std::string_view text) const;
  // Whether any pattern (spans_only ones aside) matches: the set's DFA stops at the first match
  // and nothing is allocated, so a caller whose texts mostly match nothing asks this first.
  bool matches_any(std::string_view text) const;
  // Calls `fn` for every leftmost non-overlapping match of pattern `id`. Requires compile().
  void for_each_match(int id, std::string_view text,
                      const std::function<void(MatchSpan)>& fn) const;
  // The leftmost match of pattern `id` starting at or after byte `from` (assertions such as \b
  // see the whole text), or only one starting exactly at `from` when `anchor_start`. Empty
  // matches are skipped as in for_each_match. No allocation; loop on it in hot paths.
  std::optional<MatchSpan> find(int id, std::string_view text, size_t from = 0,
                                bool anchor_start = false) const;
  // Ids (ascending) of the patterns match() would confirm one by one: with the prefilter, those
  // whose atoms occur in `text` and those without atoms (never fewer than the hits); without it,
  // every pattern match() reports from. Requires compile().
  std::vector<int> candidates(std::string_view text) const;
  // Whether pattern `id` matches anywhere in `text`, tested on its own (the confirmation step of
  // a candidate). Requires compile().
  bool matches(int id, std::string_view text) const;
  PrefilterStats prefilter_stats() const;
  // How many times match() had to fall back to per-pattern matching.
  uint64_t fallback_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace convaudit::match
