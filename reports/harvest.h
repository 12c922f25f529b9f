#pragma once
// harvest: flagged sessions as eval cases, for `convaudit harvest OUTDIR --out FILE`.
//
// Input is OUTDIR/flagged.jsonl (docs/report-format.md), which the pipeline builds from
// RedactedConversation only: every text here is already redacted (PII replaced by tokens), and
// harvest adds no text of its own from anywhere else.
//
//   auto sessions = parse_flagged_jsonl(text);                  // one FlaggedSession per line
//   auto cases = select_cases(*sessions, Severity::kLow);       // findings >= low, sessions with
//   any std::string out = render_cases_jsonl(cases);                // or
//   render_promptfoo_yaml(cases)
//
// Outputs:
//   JSONL: one line per case, canonical JSON:
//     {"session_id","max_severity","messages":[{"role","content","timestamp"}],
//      "findings":[{"message_index","rule_id","category","type","severity","excerpt"}],
//      "expected":["category/type", ...]}            (expected: distinct, sorted)
//   promptfoo: a test-suite YAML with a `tests:` list; each test has a `description`,
//     `vars` (session_id; conversation = the whole redacted conversation and context = the
//     messages up to the last user message, both as JSON strings of [{role, content}]),
//     `assert` (an llm-rubric per expected category/type; a not-contains per flagged
//     assistant excerpt) and `metadata` (session id, severities, rule ids).
//     Written by hand: every scalar is a double-quoted YAML string with escapes.
// Order: sessions by session id; the same input gives the same bytes.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.h"
#include "engine/core/severity.h"

namespace convaudit::reports {

struct HarvestMessage {
  int64_t message_index = 0;
  std::string role;
  std::string text;       // redacted
  std::string timestamp;  // RFC 3339 UTC
};

struct HarvestFinding {
  int64_t message_index = -1;  // -1: about the whole conversation
  std::string rule_id;
  std::string category;
  std::string type;
  Severity severity = Severity::kInfo;
  std::string excerpt;  // redacted
};

struct FlaggedSession {
  std::string session_id;
  std::vector<HarvestMessage> messages;
  std::vector<HarvestFinding> findings;
};

// Parses flagged.jsonl. Blank lines are skipped; a malformed line fails with kMalformedJson or
// kMissingField/kBadField, located at "flagged.jsonl:LINE".
Result<std::vector<FlaggedSession>> parse_flagged_jsonl(std::string_view text);

struct EvalCase {
  FlaggedSession session;  // findings: only those >= the minimum severity
  Severity max_severity = Severity::kInfo;
  std::vector<std::string> expected;  // distinct "category/type", sorted
};

// Keeps findings at or above `min_severity` and the sessions left with at least one; sorted by
// session id.
std::vector<EvalCase> select_cases(const std::vector<FlaggedSession>& sessions,
                                   Severity min_severity);

std::string render_cases_jsonl(const std::vector<EvalCase>& cases);
std::string render_promptfoo_yaml(const std::vector<EvalCase>& cases);

// A YAML 1.2 double-quoted scalar for any text: quotes, backslashes and every non-printable
// character escaped (\n, \t, \uXXXX, ...); bytes that are not valid UTF-8 become U+FFFD.
std::string yaml_quote(std::string_view text);

}  // namespace convaudit::reports
