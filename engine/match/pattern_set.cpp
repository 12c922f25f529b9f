#include "engine/match/pattern_set.h"

#include <algorithm>
#include <mutex>

#include <re2/re2.h>
#include <re2/set.h>

#include "engine/core/check.h"
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

struct PatternSet::Impl {
  Impl() : set(internal::re2_options(PatternOptions{}), RE2::UNANCHORED) {}
  RE2::Set set;
  // The same patterns one by one, for spans and the fallback. A pattern in the set is checked
  // by the set's parser at add() and compiled on its own only when first needed: most patterns
  // of a large pack never hit, and compiling each twice dominated loading (callgrind: 40% of
  // SignatureIndex::build). spans_only patterns are compiled at add(), which checks them.
  struct Single {
    std::string pattern;
    PatternOptions options;
    mutable std::once_flag once;
    mutable std::unique_ptr<RE2> re;
  };
  std::vector<std::unique_ptr<Single>> patterns;
  std::vector<int> set_ids;  // RE2::Set index -> pattern id
  bool compiled = false;
  mutable std::atomic<uint64_t> fallbacks{0};

  // Pattern `id` compiled on its own; thread-safe. A pattern the set accepted compiles alone
  // too (same parser and options), so the result is always usable.
  const RE2& single(int id) const {
    const Single& s = *patterns[static_cast<size_t>(id)];
    std::call_once(s.once, [&s] {
      if (s.re == nullptr) {
        s.re = std::make_unique<RE2>(re2::StringPiece(s.pattern.data(), s.pattern.size()),
                                     internal::re2_options(s.options));
      }
    });
    return *s.re;
  }
};

PatternSet::PatternSet() : impl_(std::make_unique<Impl>()) {}
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
  if (!options.spans_only) {
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

uint64_t PatternSet::fallback_count() const {
  return impl_->fallbacks.load(std::memory_order_relaxed);
}

}  // namespace convaudit::match
