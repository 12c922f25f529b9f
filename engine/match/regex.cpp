#include "engine/match/regex.h"

#include <re2/re2.h>

#include "engine/match/internal/re2_options.h"

namespace convaudit::match {

struct Regex::Impl {
  explicit Impl(std::string_view pattern, const PatternOptions& options)
      : re(re2::StringPiece(pattern.data(), pattern.size()), internal::re2_options(options)) {}
  RE2 re;
};

Regex::Regex(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Regex::Regex(Regex&&) noexcept = default;
Regex& Regex::operator=(Regex&&) noexcept = default;
Regex::~Regex() = default;

Result<Regex> Regex::compile(std::string_view pattern, const PatternOptions& options) {
  auto impl = std::make_unique<Impl>(pattern, options);
  if (!impl->re.ok()) {
    return fail(ErrorCode::kBadPattern, "bad pattern: " + impl->re.error());
  }
  return Regex(std::move(impl));
}

bool Regex::search(std::string_view text) const {
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), impl_->re);
}

std::optional<Regex::Match> Regex::find(std::string_view text, size_t start) const {
  if (start > text.size()) {
    return std::nullopt;
  }
  const int groups = impl_->re.NumberOfCapturingGroups();
  std::vector<re2::StringPiece> pieces(static_cast<size_t>(groups) + 1);
  re2::StringPiece subject(text.data(), text.size());
  if (!impl_->re.Match(subject, start, text.size(), RE2::UNANCHORED, pieces.data(),
                       static_cast<int>(pieces.size()))) {
    return std::nullopt;
  }
  Match match;
  match.span.begin = static_cast<size_t>(pieces[0].data() - text.data());
  match.span.end = match.span.begin + pieces[0].size();
  for (size_t i = 1; i < pieces.size(); ++i) {
    match.groups.emplace_back(pieces[i].data() ? std::string(pieces[i].data(), pieces[i].size())
                                               : std::string());
  }
  return match;
}

std::pair<std::string, size_t> Regex::replace_all(std::string_view text, std::string_view rewrite,
                                                  size_t max_replacements) const {
  std::string out;
  size_t count = 0;
  size_t position = 0;
  const int groups = impl_->re.NumberOfCapturingGroups();
  std::vector<re2::StringPiece> pieces(static_cast<size_t>(groups) + 1);
  re2::StringPiece subject(text.data(), text.size());
  re2::StringPiece rewrite_piece(rewrite.data(), rewrite.size());
  while (position <= text.size() && (max_replacements == 0 || count < max_replacements)) {
    if (!impl_->re.Match(subject, position, text.size(), RE2::UNANCHORED, pieces.data(),
                         static_cast<int>(pieces.size()))) {
      break;
    }
    size_t begin = static_cast<size_t>(pieces[0].data() - text.data());
    size_t end = begin + pieces[0].size();
    out.append(text.substr(position, begin - position));
    std::string replaced;
    if (!impl_->re.Rewrite(&replaced, rewrite_piece, pieces.data(),
                           static_cast<int>(pieces.size()))) {
      replaced.assign(rewrite);  // an invalid \N reference: insert the rewrite literally
    }
    out += replaced;
    ++count;
    if (end == begin) {
      // Empty match: copy one byte and move on so the loop always advances.
      if (begin < text.size()) {
        out.push_back(text[begin]);
      }
      position = begin + 1;
    } else {
      position = end;
    }
  }
  if (position < text.size()) {
    out.append(text.substr(position));
  }
  return {out, count};
}

std::vector<std::string> Regex::split(std::string_view text, size_t max_parts) const {
  std::vector<std::string> parts;
  size_t position = 0;
  size_t piece_start = 0;
  re2::StringPiece subject(text.data(), text.size());
  re2::StringPiece whole;
  while (position <= text.size() && (max_parts == 0 || parts.size() + 1 < max_parts)) {
    if (!impl_->re.Match(subject, position, text.size(), RE2::UNANCHORED, &whole, 1)) {
      break;
    }
    size_t begin = static_cast<size_t>(whole.data() - text.data());
    size_t end = begin + whole.size();
    if (end == begin) {
      // Empty separators split nothing; skip ahead.
      if (begin >= text.size())
        break;
      position = begin + 1;
      continue;
    }
    parts.emplace_back(text.substr(piece_start, begin - piece_start));
    piece_start = end;
    position = end;
  }
  parts.emplace_back(text.substr(piece_start));
  return parts;
}

int Regex::capture_count() const {
  return impl_->re.NumberOfCapturingGroups();
}

}  // namespace convaudit::match
