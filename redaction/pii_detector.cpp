#include "redaction/pii_detector.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "engine/match/pattern_set.h"

#include "redaction/internal/validators.h"

namespace convaudit::redaction {
namespace {

using internal::digits_of;

// How a candidate span becomes a PiiSpan (or is dropped).
enum class Check {
  kEmail,
  kUrlCredentials,
  kCard,
  kSsn,
  kIban,
  kIpv4,
  kPhone,
  kSecretShape,    // a well-known token shape: accepted as matched
  kSecretKeyword,  // a value after key/secret/token/password: must look random
  kPassword,       // a value after "password:": accepted when not a plain word
  kPrivateKey,
  kDateOfBirth,
  kBech32,
  kEthereum,
  kPersonName,
  kAddress,
};

struct RuleSpec {
  PiiType type;
  Check check;
  const char* prefix;  // context words that must precede the value; nullptr for none
  const char* value;
};

// Date forms accepted after a birth word.
constexpr const char* kDate =
    R"((?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})|)"
    R"(\d{1,2}(?:st|nd|rd|th)?\.? (?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,? \d{4}|)"
    R"((?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4})\b)";

// Order matters only for ties (same span length): earlier rules win.
const RuleSpec kRules[] = {
    {PiiType::kSecret, Check::kPrivateKey, nullptr,
     R"((?s)-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----.*?-----END [A-Z0-9 ]*PRIVATE KEY-----)"},
    {PiiType::kSecret, Check::kPrivateKey, nullptr,
     R"(-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[A-Za-z0-9+/=\s]*)"},
    {PiiType::kUrlCredentials, Check::kUrlCredentials, nullptr,
     R"(\b[A-Za-z][A-Za-z0-9+.\-]{1,15}://[^\s:/@]+:[^\s/@]+@[A-Za-z0-9.\-\[\]]+(?::\d{1,5})?)"},
    {PiiType::kEmail, Check::kEmail, nullptr,
     R"([A-Za-z0-9._%+\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)"
     R"((?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}\b)"},
    {PiiType::kSecret, Check::kSecretShape, nullptr, R"(\b(?:AKIA|ASIA)[0-9A-Z]{16}\b)"},
    {PiiType::kSecret, Check::kSecretShape, nullptr,
     R"(\bsk-(?:proj-|ant-|live-|test-)?[A-Za-z0-9_\-]{20,})"},
    {PiiType::kSecret, Check::kSecretShape, nullptr, R"(\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,})"},
    {PiiType::kSecret, Check::kSecretShape, nullptr, R"(\bgh[pousr]_[A-Za-z0-9]{36,255})"},
    {PiiType::kSecret, Check::kSecretShape, nullptr, R"(\bgithub_pat_[A-Za-z0-9_]{22,255})"},
    {PiiType::kSecret, Check::kSecretShape, nullptr, R"(\bxox[baprs]-[A-Za-z0-9\-]{10,})"},
    {PiiType::kSecret, Check::kSecretShape, nullptr,
     R"(\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,})"},
    {PiiType::kSecret, Check::kSecretShape, R"((?i:\bbearer)\s+)", R"([A-Za-z0-9\-._~+/]{20,}=*)"},
    {PiiType::kSecret, Check::kSecretKeyword,
     R"((?i:\b(?:api[_\-. ]?key|secret(?:[_\-. ]?key)?|client[_\-. ]?secret|access[_\-. ]?)"
     R"((?:key|token)|auth[_\-. ]?token|token|password|passwd|passphrase|private[_\-. ]?key)\b))"
     R"(["']?\s*(?:=>|[:=]|(?i:is|was))?\s*["']?)",
     R"([A-Za-z0-9\-_.+/=!@#$%^&*~]{20,})"},
    {PiiType::kSecret, Check::kPassword,
     R"((?i:\b(?:password|passwd|pwd|passcode)\b)\s*[:=]\s*["']?)", R"([^\s"',;]{4,64})"},
    {PiiType::kCard, Check::kCard, nullptr, R"(\b\d(?:[ \-]?\d){12,18}\b)"},
    {PiiType::kSsn, Check::kSsn, nullptr, R"(\b\d{3}-\d{2}-\d{4}\b)"},
    {PiiType::kSsn, Check::kSsn,
     R"((?i:\b(?:ssn|social security(?: number| no\.?| #)?)\b)\s*(?:#|:|=|(?i:is))?\s*)",
     R"(\d{3}[ \-]?\d{2}[ \-]?\d{4}\b)"},
    {PiiType::kIban, Check::kIban, nullptr, R"(\b[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,30}\b)"},
    {PiiType::kIpAddress, Check::kIpv4, nullptr, R"(\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b)"},
    {PiiType::kPhone, Check::kPhone, nullptr, R"(\+?\(?\d[\d\-. /()]*\d)"},
    {PiiType::kDateOfBirth, Check::kDateOfBirth,
     R"((?:(?i:\b(?:born(?: on)?|dob|date of birth|birth ?date|birthday|geboren(?: am)?)\b)|)"
     R"((?i:\bd\.o\.b\.?)|(?i:\bné(?:e)? le\b)))"
     R"(\s*(?:[:\-]|(?i:is|was))?\s*)",
     kDate},
    {PiiType::kCryptoWallet, Check::kBech32, nullptr, R"(\bbc1[ac-hj-np-z02-9]{25,87}\b)"},
    {PiiType::kCryptoWallet, Check::kEthereum, nullptr, R"(\b0x[0-9a-fA-F]{40}\b)"},
    {PiiType::kPersonName, Check::kPersonName,
     R"((?:(?i:\bmy (?:full )?name is|\bmein name ist|\bje m'appelle)|(?m:^)[ \t]*)"
     R"((?i:full name|name)[ \t]*:|[,;|(][ \t]*(?i:name)[ \t]*:)[ \t]*)",
     R"(\p{Lu}[\p{L}'\-]+(?: \p{Lu}[\p{L}'\-]+){0,2})"},
    {PiiType::kAddress, Check::kAddress, nullptr,
     R"(\b\d{1,5}[A-Za-z]? (?:\p{Lu}[\p{L}'\-]*\.? ){1,4}(?:Street|St|Avenue|Ave|Road|Rd|)"
     R"(Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Close|Crescent|Square|Sq|)"
     R"(Highway|Hwy|Parkway|Pkwy)\b)"},
    {PiiType::kAddress, Check::kAddress, nullptr,
     R"(\b\p{Lu}\p{Ll}+(?:straße|strasse|weg|platz|allee|gasse|ring|damm) \d{1,4}[a-z]?\b)"},
    {PiiType::kAddress, Check::kAddress, nullptr,
     R"(\b\d{1,4}(?:,| bis| ter)? (?:rue|avenue|boulevard|chemin|allée|place|impasse|quai) )"
     R"((?:(?:de la|de|du|des) |d')?\p{Lu}[\p{L}'\-]*(?: \p{Lu}[\p{L}'\-]*){0,3})"},
};

struct Rule {
  RuleSpec spec;
  int pattern_id = -1;
  int prefix_id = -1;
};

bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// The `width` bytes before `pos`, lower-cased: where context words are looked for.
std::string window_before(std::string_view text, size_t pos, size_t width) {
  const size_t from = pos > width ? pos - width : 0;
  return lower(text.substr(from, pos - from));
}

template <class Words>
bool contains_any(const std::string& haystack, const Words& words) {
  return std::any_of(std::begin(words), std::end(words),
                     [&](std::string_view w) { return haystack.find(w) != std::string::npos; });
}

// A number glued to more digits by a separator ("1234-5678-...", "1.2.3.4.5") is part of
// something longer, not a value on its own. Digits that end a word ("mc2 4111...") do not count.
bool extends_number(std::string_view text, size_t begin, size_t end, std::string_view seps) {
  if (begin >= 2 && seps.find(text[begin - 1]) != std::string_view::npos &&
      is_digit(text[begin - 2])) {
    size_t i = begin - 2;
    while (i > 0 && is_digit(text[i - 1])) {
      --i;
    }
    if (i == 0 || !is_alnum(text[i - 1])) {
      return true;
    }
  }
  return end + 1 < text.size() && seps.find(text[end]) != std::string_view::npos &&
         is_digit(text[end + 1]);
}

constexpr std::string_view kTrailingPunctuation = ".,;:!?)]}'\"";

size_t trim_trailing(std::string_view text, size_t begin, size_t end) {
  while (end > begin && kTrailingPunctuation.find(text[end - 1]) != std::string_view::npos) {
    --end;
  }
  return end;
}

struct Candidate {
  PiiSpan span;
  size_t order = 0;  // rule index, for ties
};

// ---- phone numbers ----------------------------------------------------------------------------

struct DigitGroup {
  size_t begin = 0;
  size_t end = 0;
};

constexpr std::string_view kVersionWords[] = {"version", "ver ", "release"};
constexpr std::string_view kPhoneWords[] = {"phone",    "tel",      "mobile", "cell",    "call",
                                            "fax",      "whatsapp", "sms",    "text me", "ring",
                                            "reach me", "contact",  "handy",  "telefon", "portable",
                                            "numéro",   "number is"};
constexpr std::string_view kNotPhoneWords[] = {
    "order",        "invoice", "tracking", "ticket", "ref",      "account",
    "id",           "#",       "case",     "serial", "sku",      "transaction",
    "confirmation", "booking", "version",  "build",  "timestamp"};

// Whether the groups [first, last] (and a '+' or '(' before the first) look like a phone number.
bool phone_shape_ok(std::string_view text, const std::vector<DigitGroup>& groups, size_t first,
                    size_t last, bool plus) {
  size_t total = 0;
  std::vector<size_t> lengths;
  for (size_t i = first; i <= last; ++i) {
    lengths.push_back(groups[i].end - groups[i].begin);
    total += lengths.back();
  }
  if (total < 7 || total > 15) {
    return false;
  }
  const std::string before = window_before(text, groups[first].begin, 28);
  const bool positive = contains_any(before, kPhoneWords);
  const bool negative = contains_any(window_before(text, groups[first].begin, 16), kNotPhoneWords);
  if (plus) {
    return total >= 8;
  }
  if (negative && !positive) {
    return false;
  }
  const size_t n = lengths.size();
  const char lead = text[groups[first].begin];
  const bool us = (n == 3 && lengths[0] == 3 && lengths[1] == 3 && lengths[2] == 4) ||
                  (n == 4 && lengths[0] == 1 && lead == '1' && lengths[1] == 3 && lengths[2] == 3 &&
                   lengths[3] == 4);
  const bool fr = n == 5 && lead == '0' &&
                  std::all_of(lengths.begin(), lengths.end(), [](size_t l) { return l == 2; });
  // National numbers with a trunk 0 (UK, DE); "00" is an international prefix, not an area.
  const bool trunk = n >= 2 && n <= 3 && lead == '0' && text[groups[first].begin + 1] != '0' &&
                     lengths[0] >= 3 && lengths[0] <= 5 && total >= 9 && total <= 12;
  // ddd-dd-dddd is the SSN shape, never a phone on its own.
  const bool ssn_shape = n == 3 && lengths[0] == 3 && lengths[1] == 2 && lengths[2] == 4;
  if (ssn_shape && !positive) {
    return false;
  }
  if (us || fr || trunk) {
    return true;
  }
  // Anything else (a bare run of digits, unusual grouping) only next to a phone word; a bare
  // 13+ digit run is a millisecond timestamp, not a phone.
  return positive && !(n == 1 && total > 12);
}

void find_phones(std::string_view text, size_t begin, size_t end, size_t order,
                 std::vector<Candidate>& out) {
  if (begin > 0 && (is_alnum(text[begin - 1]) || text[begin - 1] == '_')) {
    return;
  }
  if (end < text.size() && (is_alnum(text[end]) || text[end] == '_')) {
    return;
  }
  const bool plus = text[begin] == '+';
  std::vector<DigitGroup> groups;
  std::vector<bool> breaks;  // breaks[i]: the separator before group i is not phone-like
  for (size_t i = begin; i < end;) {
    if (!is_digit(text[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < end && is_digit(text[j])) {
      ++j;
    }
    bool broken = false;
    if (!groups.empty()) {
      const std::string_view sep = text.substr(groups.back().end, i - groups.back().end);
      broken = sep.size() > 2 || sep == "  " || sep == ".." || sep == "--" || sep == "//";
    }
    groups.push_back({i, j});
    breaks.push_back(broken);
    i = j;
  }
  // Segments split at non-phone separators; within each, the longest accepted window wins.
  size_t seg_first = 0;
  while (seg_first < groups.size()) {
    size_t seg_last = seg_first;
    while (seg_last + 1 < groups.size() && !breaks[seg_last + 1]) {
      ++seg_last;
    }
    size_t first = seg_first;
    while (first <= seg_last) {
      bool found = false;
      // A phone has at most 7 groups; the bound keeps hostile digit runs linear.
      const size_t last_max = std::min(seg_last, first + 6);
      for (size_t last = last_max + 1; last-- > first;) {
        const bool with_plus = plus && first == 0;
        if (!phone_shape_ok(text, groups, first, last, with_plus)) {
          continue;
        }
        size_t span_begin = groups[first].begin;
        if (with_plus) {
          span_begin = begin;
        } else if (span_begin > 0 && text[span_begin - 1] == '(' &&
                   groups[first].end < text.size() && text[groups[first].end] == ')') {
          --span_begin;
        }
        const size_t span_end = groups[last].end;
        std::string normalized = with_plus ? "+" : "";
        normalized += digits_of(text.substr(span_begin, span_end - span_begin));
        out.push_back({{PiiType::kPhone, span_begin, span_end, std::move(normalized)}, order});
        first = last + 1;
        found = true;
        break;
      }
      if (!found) {
        ++first;
      }
    }
    seg_first = seg_last + 1;
  }
}

// ---- the other checks ---------------------------------------------------------------------------

bool has_classes(std::string_view value, int wanted) {
  bool lower_case = false, upper_case = false, digit = false, other = false;
  for (char c : value) {
    if (std::islower(static_cast<unsigned char>(c))) {
      lower_case = true;
    } else if (std::isupper(static_cast<unsigned char>(c))) {
      upper_case = true;
    } else if (is_digit(c)) {
      digit = true;
    } else {
      other = true;
    }
  }
  return int{lower_case} + int{upper_case} + int{digit} + int{other} >= wanted;
}

// Returns false when the candidate is not PII; otherwise fills span.end and span.normalized.
bool validate(Check check, std::string_view text, PiiSpan& span) {
  std::string_view value = text.substr(span.begin, span.end - span.begin);
  switch (check) {
    case Check::kEmail: {
      const size_t at = value.find('@');
      if (at == 0 || value.front() == '.' || value[at - 1] == '.') {
        return false;
      }
      span.normalized = lower(value);
      return true;
    }
    case Check::kUrlCredentials:
    case Check::kSecretKeyword:
    case Check::kPassword: {
      span.end = trim_trailing(text, span.begin, span.end);
      value = text.substr(span.begin, span.end - span.begin);
      if (check == Check::kSecretKeyword &&
          (value.size() < 20 || internal::shannon_entropy(value) < 3.0 || !has_classes(value, 2))) {
        return false;
      }
      if (check == Check::kPassword && (value.size() < 4 || !has_classes(value, 2))) {
        return false;
      }
      span.normalized = std::string(value);
      return true;
    }
    case Check::kSecretShape:
      span.normalized = std::string(value);
      return true;
    case Check::kPrivateKey:
      while (span.end > span.begin &&
             std::isspace(static_cast<unsigned char>(text[span.end - 1])) != 0) {
        --span.end;
      }
      span.normalized = std::string(text.substr(span.begin, span.end - span.begin));
      return true;
    case Check::kCard: {
      if (extends_number(text, span.begin, span.end, " -")) {
        return false;
      }
      std::string digits = digits_of(value);
      if (!internal::luhn_valid(digits) || !internal::card_issuer_valid(digits)) {
        return false;
      }
      span.normalized = std::move(digits);
      return true;
    }
    case Check::kSsn: {
      if (extends_number(text, span.begin, span.end, "-")) {
        return false;
      }
      std::string digits = digits_of(value);
      if (!internal::ssn_valid(digits)) {
        return false;
      }
      span.normalized = std::move(digits);
      return true;
    }
    case Check::kIban: {
      std::string compact;
      size_t end = span.begin;
      std::optional<size_t> length;
      for (size_t i = span.begin; i < span.end; ++i) {
        if (text[i] == ' ') {
          continue;
        }
        compact.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(text[i]))));
        end = i + 1;
        if (compact.size() == 2) {
          length = internal::iban_length(compact);
          if (!length) {
            return false;
          }
        }
        if (length && compact.size() == *length) {
          break;
        }
      }
      if (!length || compact.size() != *length || (end < text.size() && is_alnum(text[end]))) {
        return false;
      }
      if (!internal::iban_valid(compact)) {
        return false;
      }
      span.end = end;
      span.normalized = std::move(compact);
      return true;
    }
    case Check::kIpv4: {
      if (extends_number(text, span.begin, span.end, ".") || !internal::ipv4_valid(value)) {
        return false;
      }
      if (contains_any(window_before(text, span.begin, 10), kVersionWords)) {
        return false;
      }
      span.normalized = std::string(value);
      return true;
    }
    case Check::kDateOfBirth:
    case Check::kPersonName:
    case Check::kAddress:
      span.normalized = std::string(value);
      return true;
    case Check::kBech32:
      if (!internal::bech32_valid(value)) {
        return false;
      }
      span.normalized = std::string(value);
      return true;
    case Check::kEthereum:
      span.normalized = lower(value);
      return true;
    case Check::kPhone:
      return false;  // handled by find_phones
  }
  return false;
}

}  // namespace

struct PiiDetector::Impl {
  match::PatternSet set;
  std::vector<Rule> rules;
  int token_id = -1;
};

PiiDetector::PiiDetector(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PiiDetector::PiiDetector(PiiDetector&&) noexcept = default;
PiiDetector& PiiDetector::operator=(PiiDetector&&) noexcept = default;
PiiDetector::~PiiDetector() = default;

Result<PiiDetector> PiiDetector::create() {
  auto impl = std::make_unique<Impl>();
  for (const RuleSpec& spec : kRules) {
    Rule rule{spec};
    std::string full = spec.prefix != nullptr ? std::string(spec.prefix) + spec.value : spec.value;
    auto id = impl->set.add(full);
    if (!id) {
      return fail(id.error());
    }
    rule.pattern_id = *id;
    if (spec.prefix != nullptr) {
      auto prefix_id = impl->set.add(spec.prefix);
      if (!prefix_id) {
        return fail(prefix_id.error());
      }
      rule.prefix_id = *prefix_id;
    }
    impl->rules.push_back(rule);
  }
  auto token_id = impl->set.add(R"(<[A-Z]{2,8}_[0-9a-f]{18}>)");
  if (!token_id) {
    return fail(token_id.error());
  }
  impl->token_id = *token_id;
  if (auto st = impl->set.compile(); !st) {
    return fail(st.error());
  }
  return PiiDetector(std::move(impl));
}

std::vector<PiiSpan> PiiDetector::detect(std::string_view text) const {
  const std::vector<int> hits = impl_->set.match(text);
  auto hit = [&](int id) { return std::binary_search(hits.begin(), hits.end(), id); };

  std::vector<Candidate> candidates;
  for (size_t order = 0; order < impl_->rules.size(); ++order) {
    const Rule& rule = impl_->rules[order];
    if (!hit(rule.pattern_id)) {
      continue;
    }
    impl_->set.for_each_match(rule.pattern_id, text, [&](match::MatchSpan m) {
      if (rule.spec.check == Check::kPhone) {
        find_phones(text, m.begin, m.end, order, candidates);
        return;
      }
      PiiSpan span{rule.spec.type, m.begin, m.end, {}};
      if (rule.prefix_id >= 0) {
        // The value starts where the context words end.
        const std::string_view matched = text.substr(m.begin, m.end - m.begin);
        size_t prefix_end = std::string_view::npos;
        impl_->set.for_each_match(rule.prefix_id, matched, [&](match::MatchSpan p) {
          if (p.begin == 0 && prefix_end == std::string_view::npos) {
            prefix_end = p.end;
          }
        });
        if (prefix_end == std::string_view::npos || prefix_end >= matched.size()) {
          return;
        }
        span.begin = m.begin + prefix_end;
      }
      if (validate(rule.spec.check, text, span) && span.end > span.begin) {
        candidates.push_back({std::move(span), order});
      }
    });
  }

  // Existing tokens are never re-redacted: a text redacted twice stays the same.
  std::vector<match::MatchSpan> tokens;
  if (hit(impl_->token_id)) {
    impl_->set.for_each_match(impl_->token_id, text,
                              [&](match::MatchSpan m) { tokens.push_back(m); });
  }

  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) {
                     const size_t la = a.span.end - a.span.begin;
                     const size_t lb = b.span.end - b.span.begin;
                     if (la != lb) {
                       return la > lb;
                     }
                     if (a.span.begin != b.span.begin) {
                       return a.span.begin < b.span.begin;
                     }
                     return a.order < b.order;
                   });
  // Non-overlapping intervals keyed by begin: an overlap check is one lookup.
  std::map<size_t, size_t> taken;
  auto overlaps_taken = [&taken](size_t begin, size_t end) {
    auto next = taken.lower_bound(begin);
    if (next != taken.end() && next->first < end) {
      return true;
    }
    return next != taken.begin() && std::prev(next)->second > begin;
  };
  for (const match::MatchSpan& t : tokens) {
    taken.emplace(t.begin, t.end);
  }
  std::vector<PiiSpan> accepted;
  for (Candidate& c : candidates) {
    if (!overlaps_taken(c.span.begin, c.span.end)) {
      taken.emplace(c.span.begin, c.span.end);
      accepted.push_back(std::move(c.span));
    }
  }
  std::sort(accepted.begin(), accepted.end(),
            [](const PiiSpan& a, const PiiSpan& b) { return a.begin < b.begin; });
  return accepted;
}

}  // namespace convaudit::redaction
