#include "engine/match/pattern_set.h"

#include <algorithm>
#include <mutex>

#include <re2/filtered_re2.h>
#include <re2/re2.h>
#include <re2/set.h>

#include "engine/core/check.h"
#include "engine/match/internal/literal_matcher.h"
#include "engine/match/internal/re2_options.h"

namespace convaudit::match {

namespace {

// RE2::Set takes one options object for every pattern, so case-insensitive and literal patterns
// are rewritten into the pattern text itself: a leading (?i) and QuoteMeta. Nothing wraps the
// pattern in a group, so the set's parser sees exactly the pattern (an unbalanced ")" stays an
// error: the set's Add is the check of every pattern it holds).
std::string set_pattern(std::string_view pattern, const PatternOptions& options) {
  std::string text = options.literal
                         ? RE2::QuoteMeta(re2::StringPiece(pattern.data(), pattern.size()))
                         : std::string(pattern);
  return options.case_insensitive ? "(?i)" + text : text;
}

}  // namespace

// The prefilter (PatternSetOptions::prefilter). RE2::Set answers "which patterns hit" with one
// DFA over every pattern; with hundreds of patterns full of bounded gaps (".{0,40}") its states
// are made from whatever partial matches the text holds, so its cache keeps growing with new
// text (17 MB at 20000 bench sessions) and compiling it costs ~0.2 s. FilteredRE2 instead
// reduces each pattern to an AND/OR tree of lowercased literals ("atoms"). The atoms are matched
// by an RE2::Set of the literals, case-insensitive: its DFA states are positions in a trie of the
// atoms (an Aho-Corasick automaton), a few hundred at most whatever the text. The atoms found say
// which patterns are possible; each is confirmed with its own RE2 (also used for spans).
// No false negatives: RE2's case folding maps every rune of a case-insensitive literal and its
// lowercase to the same fold orbit, so "(?i)atom" matches wherever the pattern's literal does;
// patterns without usable atoms are candidates for every text; if the atom matcher fails (out
// of memory) every pattern is a candidate and the fallback is counted.
// Levels: a pattern whose atoms are all shorter than min_atom_len (e.g. "(ia|ai)", "'or") would
// be a candidate for every text; it is filtered again with atoms one byte shorter, down to 1, in
// a level of its own, so short atoms only ever gate the few patterns that need them.
struct PrefilterLevel {
  explicit PrefilterLevel(int min_atom_len) : filter(min_atom_len) {}
  re2::FilteredRE2 filter;
  std::vector<int> pattern_ids;  // filter index -> pattern id
  std::vector<bool> deferred;    // filter index -> without atoms here, handed to the next level
  size_t first_atom = 0;         // this level's atoms in the atom set: [first_atom, end_atom)
  size_t end_atom = 0;
};

struct Prefilter {
  int min_atom_len = 3;
  std::vector<std::unique_ptr<PrefilterLevel>> levels;  // levels[0] holds every pattern
  std::vector<int> always;  // pattern ids without atoms at any level: always candidates
  // Those of `always` whose every match starts with a byte >= 0x80 (RE2's PossibleMatchRange:
  // look-alike letters, invisible and bidi controls) cannot match ASCII text, which most
  // messages are: for it the candidates are `always_ascii` and scratch lists skip them.
  std::vector<bool> needs_non_ascii;  // by pattern id; empty when no such pattern
  std::vector<int> always_ascii;      // `always` without them
  std::vector<int> everything;        // every pattern id (the degraded answer)
  std::unique_ptr<RE2::Set> atoms;
  // The same atoms for ASCII text (most messages): one Aho-Corasick pass. RE2::Set must report
  // every atom, so its DFA states also record which atoms were seen so far, and new texts keep
  // making new states (callgrind: 7 us per bench message, 10% of a run). nullptr: not usable.
  std::unique_ptr<internal::LiteralMatcher> ascii_atoms;
  size_t atom_count = 0;
  bool usable = false;  // compiled, and the atom set (if any atoms) compiled
};

struct PatternSet::Impl {
  explicit Impl(const PatternSetOptions& options)
      : set(internal::re2_options(PatternOptions{}), RE2::UNANCHORED), set_options(options) {
    if (options.prefilter) {
      prefilter = std::make_unique<Prefilter>();
      prefilter->min_atom_len = std::max(1, options.min_atom_len);
      prefilter->levels.push_back(std::make_unique<PrefilterLevel>(prefilter->min_atom_len));
    }
  }
  RE2::Set set;
  // The same patterns one by one, for spans and the fallback. A pattern in the set is checked
  // by the set's parser at add() and compiled on its own only when first needed: most patterns
  // of a large pack never hit, and compiling each twice dominated loading (callgrind: 40% of
  // SignatureIndex::build). spans_only patterns are compiled at add(), which checks them.
  struct Single {
    std::string pattern;
    PatternOptions options;
    const RE2* shared = nullptr;  // the prefilter's RE2 of this pattern
    mutable std::once_flag once;
    mutable std::unique_ptr<RE2> re;
  };
  PatternSetOptions set_options;
  std::unique_ptr<Prefilter> prefilter;  // set when set_options.prefilter
  std::vector<std::unique_ptr<Single>> patterns;
  std::vector<int> set_ids;  // RE2::Set index -> pattern id (empty with the prefilter)
  bool compiled = false;
  mutable std::atomic<uint64_t> fallbacks{0};

  // Pattern `id` compiled on its own; thread-safe. A pattern the set accepted compiles alone
  // too (same parser and options), so the result is always usable.
  const RE2& single(int id) const {
    const Single& s = *patterns[static_cast<size_t>(id)];
    if (s.shared != nullptr) {
      return *s.shared;
    }
    std::call_once(s.once, [&s] {
      if (s.re == nullptr) {
        s.re = std::make_unique<RE2>(re2::StringPiece(s.pattern.data(), s.pattern.size()),
                                     internal::re2_options(s.options));
      }
    });
    return *s.re;
  }

  // Ids of the patterns the prefilter leaves possible for `text`, unordered.
  const std::vector<int>& candidates(re2::StringPiece text, std::vector<int>& scratch) const {
    const Prefilter& p = *prefilter;
    if (!p.usable) {
      return p.everything;
    }
    const bool ascii =
        std::all_of(text.begin(), text.end(), [](char c) { return (c & 0x80) == 0; });
    const bool ascii_text = ascii && !p.needs_non_ascii.empty();
    const std::vector<int>& always = ascii_text ? p.always_ascii : p.always;
    if (p.atoms == nullptr) {
      return always;
    }
    std::vector<int> found;
    if (ascii && p.ascii_atoms != nullptr) {
      p.ascii_atoms->find(std::string_view(text.data(), text.size()), found);
      if (found.empty()) {
        return always;  // no atom occurs
      }
    } else {
      RE2::Set::ErrorInfo info;
      if (!p.atoms->Match(text, &found, &info)) {
        if (info.kind == RE2::Set::kNoError) {
          return always;  // no atom occurs
        }
        fallbacks.fetch_add(1, std::memory_order_relaxed);  // never read as "no atom"
        return p.everything;
      }
    }
    scratch.clear();
    std::vector<int> level_atoms;
    std::vector<int> potentials;
    for (const auto& level : p.levels) {
      level_atoms.clear();
      for (int atom : found) {
        if (static_cast<size_t>(atom) >= level->first_atom &&
            static_cast<size_t>(atom) < level->end_atom) {
          level_atoms.push_back(atom - static_cast<int>(level->first_atom));
        }
      }
      level->filter.AllPotentials(level_atoms, &potentials);
      for (int filter_id : potentials) {
        if (!level->deferred[static_cast<size_t>(filter_id)]) {
          const int id = level->pattern_ids[static_cast<size_t>(filter_id)];
          if (!ascii_text || !p.needs_non_ascii[static_cast<size_t>(id)]) {
            scratch.push_back(id);
          }
        }
      }
    }
    return scratch;
  }
};

PatternSet::PatternSet() : impl_(std::make_unique<Impl>(PatternSetOptions{})) {}
PatternSet::PatternSet(const PatternSetOptions& set_options)
    : impl_(std::make_unique<Impl>(set_options)) {}
PatternSet::~PatternSet() = default;
PatternSet::PatternSet(PatternSet&&) noexcept = default;
PatternSet& PatternSet::operator=(PatternSet&&) noexcept = default;

Result<int> PatternSet::add(std::string_view pattern, const PatternOptions& options) {
  CONVAUDIT_CHECK(!impl_->compiled);
  auto single = std::make_unique<Impl::Single>();
  single->pattern.assign(pattern);
  single->options = options;
  if (options.spans_only) {
    single->re = std::make_unique<RE2>(re2::StringPiece(pattern.data(), pattern.size()),
                                       internal::re2_options(options));
    if (!single->re->ok()) {
      return fail(ErrorCode::kBadPattern, "bad pattern: " + single->re->error());
    }
  }
  const int id = static_cast<int>(impl_->patterns.size());
  if (!options.spans_only && impl_->prefilter != nullptr) {
    Prefilter& p = *impl_->prefilter;
    PrefilterLevel& level = *p.levels.front();
    int filter_id = -1;
    const re2::StringPiece text(pattern.data(), pattern.size());
    if (level.filter.Add(text, internal::re2_options(options), &filter_id) != RE2::NoError) {
      const RE2 refused(text, internal::re2_options(options));  // FilteredRE2 drops the reason
      return fail(ErrorCode::kBadPattern, "bad pattern: " + refused.error());
    }
    CONVAUDIT_CHECK(static_cast<size_t>(filter_id) == level.pattern_ids.size());
    level.pattern_ids.push_back(id);
    p.everything.push_back(id);
    single->shared = &level.filter.GetRE2(filter_id);
  } else if (!options.spans_only) {
    std::string error;
    std::string combined = set_pattern(pattern, options);
    const int set_id = impl_->set.Add(re2::StringPiece(combined.data(), combined.size()), &error);
    if (set_id < 0) {
      return fail(ErrorCode::kBadPattern, "bad pattern: " + error);
    }
    CONVAUDIT_CHECK(static_cast<size_t>(set_id) == impl_->set_ids.size());
    impl_->set_ids.push_back(id);
  }
  impl_->patterns.push_back(std::move(single));
  return id;
}

Status PatternSet::compile() {
  CONVAUDIT_CHECK(!impl_->compiled);
  if (impl_->prefilter != nullptr) {
    Prefilter& p = *impl_->prefilter;
    std::vector<std::string> all_atoms;
    bool usable = true;
    // FilteredRE2 logs a complaint when compiled empty: levels only hold patterns.
    for (size_t i = 0; i < p.levels.size() && !p.levels[i]->pattern_ids.empty(); ++i) {
      PrefilterLevel& level = *p.levels[i];
      std::vector<std::string> atoms;
      level.filter.Compile(&atoms);
      level.first_atom = all_atoms.size();
      all_atoms.insert(all_atoms.end(), atoms.begin(), atoms.end());
      level.end_atom = all_atoms.size();
      std::vector<int> without;  // filter indices without usable atoms
      level.filter.AllPotentials({}, &without);
      level.deferred.assign(level.pattern_ids.size(), false);
      const int shorter = p.min_atom_len - static_cast<int>(i) - 1;
      if (without.empty() || shorter < 1) {
        for (int filter_id : without) {
          p.always.push_back(level.pattern_ids[static_cast<size_t>(filter_id)]);
        }
        break;
      }
      auto next = std::make_unique<PrefilterLevel>(shorter);
      for (int filter_id : without) {
        const int id = level.pattern_ids[static_cast<size_t>(filter_id)];
        const Impl::Single& single = *impl_->patterns[static_cast<size_t>(id)];
        int next_id = -1;
        if (next->filter.Add(re2::StringPiece(single.pattern.data(), single.pattern.size()),
                             internal::re2_options(single.options), &next_id) != RE2::NoError) {
          usable = false;  // cannot happen: the same pattern compiled in the first level
          break;
        }
        next->pattern_ids.push_back(id);
        level.deferred[static_cast<size_t>(filter_id)] = true;
      }
      if (!usable) {
        break;
      }
      p.levels.push_back(std::move(next));
    }
    for (int id : p.always) {
      std::string min;
      std::string max;
      const RE2& re = impl_->single(id);
      // PossibleMatchRange reads a match as if it began the text, so an empty-width assertion
      // (\b, \B, ^, $) may rule out there a branch that matches mid-text: such patterns are
      // never gated.
      const std::string& pattern = impl_->patterns[static_cast<size_t>(id)]->pattern;
      const bool assertions = pattern.find("\\b") != std::string::npos ||
                              pattern.find("\\B") != std::string::npos ||
                              pattern.find_first_of("^$") != std::string::npos;
      if (!assertions && re.PossibleMatchRange(&min, &max, 4) && !min.empty() &&
          (static_cast<unsigned char>(min[0]) & 0x80) != 0) {
        p.needs_non_ascii.resize(impl_->patterns.size(), false);
        p.needs_non_ascii[static_cast<size_t>(id)] = true;
      } else {
        p.always_ascii.push_back(id);
      }
    }
    p.atom_count = all_atoms.size();
    if (usable && !all_atoms.empty()) {
      auto set = std::make_unique<RE2::Set>(
          internal::re2_options(PatternOptions{.case_insensitive = true, .literal = true}),
          RE2::UNANCHORED);
      for (const std::string& atom : all_atoms) {
        usable = usable && set->Add(re2::StringPiece(atom.data(), atom.size()), nullptr) >= 0;
      }
      // Should neither fail: without the atom matcher every pattern is a candidate.
      usable = usable && set->Compile();
      if (usable) {
        p.atoms = std::move(set);
        p.ascii_atoms = internal::LiteralMatcher::build(all_atoms);
      }
    }
    p.usable = usable;
    impl_->compiled = true;
    return ok_status();
  }
  if (!impl_->set_ids.empty() && !impl_->set.Compile()) {
    return fail(ErrorCode::kBadPattern, "the pattern set could not be compiled (out of memory)");
  }
  impl_->compiled = true;
  return ok_status();
}

size_t PatternSet::size() const {
  return impl_->patterns.size();
}

std::vector<int> PatternSet::match(std::string_view text) const {
  CONVAUDIT_CHECK(impl_->compiled);
  std::vector<int> hits;
  if (impl_->prefilter != nullptr) {
    std::vector<int> scratch;
    const re2::StringPiece subject(text.data(), text.size());
    for (int id : impl_->candidates(subject, scratch)) {
      if (RE2::PartialMatch(subject, impl_->single(id))) {
        hits.push_back(id);
      }
    }
    std::sort(hits.begin(), hits.end());
    return hits;
  }
  if (impl_->set_ids.empty()) {
    return hits;
  }
  RE2::Set::ErrorInfo info;
  re2::StringPiece subject(text.data(), text.size());
  if (impl_->set.Match(subject, &hits, &info)) {
    for (int& h : hits) {
      h = impl_->set_ids[static_cast<size_t>(h)];
    }
    std::sort(hits.begin(), hits.end());
    return hits;
  }
  if (info.kind == RE2::Set::kNoError) {
    return {};  // a real "no match"
  }
  // The DFA gave up (out of memory) or the set is inconsistent: never read that as "no match".
  impl_->fallbacks.fetch_add(1, std::memory_order_relaxed);
  hits.clear();
  for (int id : impl_->set_ids) {
    if (RE2::PartialMatch(subject, impl_->single(id))) {
      hits.push_back(id);
    }
  }
  return hits;
}

bool PatternSet::matches_any(std::string_view text) const {
  CONVAUDIT_CHECK(impl_->compiled);
  if (impl_->prefilter != nullptr) {
    std::vector<int> scratch;
    const re2::StringPiece subject(text.data(), text.size());
    const std::vector<int>& candidates = impl_->candidates(subject, scratch);
    return std::any_of(candidates.begin(), candidates.end(),
                       [&](int id) { return RE2::PartialMatch(subject, impl_->single(id)); });
  }
  if (impl_->set_ids.empty()) {
    return false;
  }
  RE2::Set::ErrorInfo info;
  re2::StringPiece subject(text.data(), text.size());
  if (impl_->set.Match(subject, nullptr, &info)) {
    return true;
  }
  if (info.kind == RE2::Set::kNoError) {
    return false;
  }
  // As in match(): a failed DFA is never read as "no match".
  impl_->fallbacks.fetch_add(1, std::memory_order_relaxed);
  return std::any_of(impl_->set_ids.begin(), impl_->set_ids.end(),
                     [&](int id) { return RE2::PartialMatch(subject, impl_->single(id)); });
}

void PatternSet::for_each_match(int id, std::string_view text,
                                const std::function<void(MatchSpan)>& fn) const {
  for (auto span = find(id, text); span; span = find(id, text, span->end)) {
    fn(*span);
  }
}

std::optional<MatchSpan> PatternSet::find(int id, std::string_view text, size_t from,
                                          bool anchor_start) const {
  CONVAUDIT_CHECK(impl_->compiled);
  CONVAUDIT_CHECK(id >= 0 && static_cast<size_t>(id) < impl_->patterns.size());
  const RE2& re = impl_->single(id);
  re2::StringPiece subject(text.data(), text.size());
  re2::StringPiece whole;
  size_t position = from;
  while (position <= text.size() &&
         re.Match(subject, position, text.size(),
                  anchor_start ? RE2::ANCHOR_START : RE2::UNANCHORED, &whole, 1)) {
    const size_t begin = static_cast<size_t>(whole.data() - text.data());
    const size_t end = begin + whole.size();
    if (end != begin) {
      return MatchSpan{begin, end};
    }
    if (anchor_start) {
      return std::nullopt;  // only an empty match at `from`
    }
    position = begin + 1;  // empty matches carry no span worth reporting
  }
  return std::nullopt;
}

std::vector<int> PatternSet::candidates(std::string_view text) const {
  CONVAUDIT_CHECK(impl_->compiled);
  if (impl_->prefilter == nullptr) {
    return impl_->set_ids;  // ascending: ids are handed out in add order
  }
  std::vector<int> scratch;
  std::vector<int> ids = impl_->candidates(re2::StringPiece(text.data(), text.size()), scratch);
  std::sort(ids.begin(), ids.end());
  return ids;
}

bool PatternSet::matches(int id, std::string_view text) const {
  CONVAUDIT_CHECK(impl_->compiled);
  CONVAUDIT_CHECK(id >= 0 && static_cast<size_t>(id) < impl_->patterns.size());
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), impl_->single(id));
}

PrefilterStats PatternSet::prefilter_stats() const {
  PrefilterStats stats;
  if (impl_->prefilter != nullptr) {
    const Prefilter& p = *impl_->prefilter;
    stats.atoms = p.atom_count;
    stats.unfiltered = p.usable ? p.always.size() : p.everything.size();
    stats.filtered = p.everything.size() - stats.unfiltered;
  }
  return stats;
}

uint64_t PatternSet::fallback_count() const {
  return impl_->fallbacks.load(std::memory_order_relaxed);
}

}  // namespace convaudit::match
