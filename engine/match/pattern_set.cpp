#include "engine/match/pattern_set.h"

#include <algorithm>

#include <re2/re2.h>
#include <re2/set.h>

#include "engine/core/check.h"
#include "engine/match/internal/re2_options.h"

namespace convaudit::match {

namespace {

// RE2::Set takes one options object for every pattern, so case-insensitive and literal patterns
// are rewritten into the pattern text itself: (?i:...) and QuoteMeta.
std::string set_pattern(std::string_view pattern, const PatternOptions& options) {
  std::string text = options.literal
                         ? RE2::QuoteMeta(re2::StringPiece(pattern.data(), pattern.size()))
                         : std::string(pattern);
  if (options.case_insensitive) {
    return "(?i:" + text + ")";
  }
  return "(?:" + text + ")";
}

}  // namespace

struct PatternSet::Impl {
  Impl() : set(internal::re2_options(PatternOptions{}), RE2::UNANCHORED) {}
  RE2::Set set;
  std::vector<std::unique_ptr<RE2>> patterns;  // the same patterns, one by one, for spans
  std::vector<int> set_ids;                    // RE2::Set index -> pattern id
  bool compiled = false;
  mutable std::atomic<uint64_t> fallbacks{0};
};

PatternSet::PatternSet() : impl_(std::make_unique<Impl>()) {}
PatternSet::~PatternSet() = default;
PatternSet::PatternSet(PatternSet&&) noexcept = default;
PatternSet& PatternSet::operator=(PatternSet&&) noexcept = default;

Result<int> PatternSet::add(std::string_view pattern, const PatternOptions& options) {
  CONVAUDIT_CHECK(!impl_->compiled);
  auto single = std::make_unique<RE2>(re2::StringPiece(pattern.data(), pattern.size()),
                                      internal::re2_options(options));
  if (!single->ok()) {
    return fail(ErrorCode::kBadPattern, "bad pattern: " + single->error());
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
    if (RE2::PartialMatch(subject, *impl_->patterns[static_cast<size_t>(id)])) {
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
  return std::any_of(impl_->set_ids.begin(), impl_->set_ids.end(), [&](int id) {
    return RE2::PartialMatch(subject, *impl_->patterns[static_cast<size_t>(id)]);
  });
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
  const RE2& re = *impl_->patterns[static_cast<size_t>(id)];
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
