#pragma once
// Regex: one compiled RE2 pattern, for rules' find/match/gsub/split host functions and any
// single-pattern need. Immutable after compile(); safe to share between threads.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"
#include "engine/match/pattern_set.h"

namespace convaudit::match {

class Regex {
 public:
  // Error kBadPattern with RE2's reason.
  static Result<Regex> compile(std::string_view pattern, const PatternOptions& options = {});
  Regex(Regex&&) noexcept;
  Regex& operator=(Regex&&) noexcept;
  ~Regex();

  // true when the pattern matches anywhere in `text`.
  bool search(std::string_view text) const;
  // The first match at or after byte `start`: the whole span, then each capture group's text
  // (empty for a group that did not take part).
  struct Match {
    MatchSpan span;
    std::vector<std::string> groups;
  };
  std::optional<Match> find(std::string_view text, size_t start = 0) const;
  // Replaces every match by `rewrite` (\0..\9 refer to groups), at most `max_replacements`
  // (0 = unlimited); returns the new text and the number of replacements.
  std::pair<std::string, size_t> replace_all(std::string_view text, std::string_view rewrite,
                                             size_t max_replacements = 0) const;
  // Splits `text` on matches of the pattern; at most `max_parts` parts (0 = unlimited).
  std::vector<std::string> split(std::string_view text, size_t max_parts = 0) const;
  int capture_count() const;

 private:
  struct Impl;
  explicit Regex(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace convaudit::match
