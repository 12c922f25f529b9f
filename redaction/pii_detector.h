#pragma once
// PiiDetector: finds PII spans in text. Immutable after create(); safe to share between threads.
//
// Each type is a pattern (RE2, via match::PatternSet) then a validator (Luhn for cards, mod-97
// for IBAN, SSN area/group/serial rules, IPv4 octet ranges, phone digit counts) then, where a
// bare number is ambiguous, context words. What fails validation is not PII (an order number
// is not a card).
//
// Normalised value (what the pseudonym is computed over): e-mail lower-cased; card, phone and SSN
// digits only (phone keeps a leading '+'); IBAN upper-case without spaces; IP as written.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"

#include "redaction/pii_type.h"

namespace convaudit::redaction {

struct PiiSpan {
  PiiType type = PiiType::kEmail;
  size_t begin = 0;  // byte offsets into the scanned text, [begin, end)
  size_t end = 0;
  std::string normalized;
};

class PiiDetector {
 public:
  // Error only if a built-in pattern fails to compile (a bug, reported not aborted).
  static Result<PiiDetector> create();
  PiiDetector(PiiDetector&&) noexcept;
  PiiDetector& operator=(PiiDetector&&) noexcept;
  ~PiiDetector();

  // Non-overlapping spans, sorted by begin. Where two candidates overlap, the longer wins.
  std::vector<PiiSpan> detect(std::string_view text) const;

 private:
  struct Impl;
  explicit PiiDetector(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace convaudit::redaction
