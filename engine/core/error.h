#pragma once
// Error vocabulary shared by every stage.
//
// An `Error` is a value: a stable `ErrorCode` (its dotted name, e.g. `ingest.bad_timestamp`,
// is a contract used in rejects.jsonl, reports and tests), a human message, and where it
// happened. Tests assert on `code`, never on `message`.

#include <cstdint>
#include <string>
#include <string_view>

namespace convaudit {

// Stable error codes. Append new codes; never renumber or rename (names are in outputs).
enum class ErrorCode {
  kOk,
  kInternal,           // internal
  kUsage,              // usage
  kIo,                 // io.error
  kNotFound,           // io.not_found
  // ingest
  kMalformedJson,      // ingest.malformed_json
  kUnknownShape,       // ingest.unknown_shape
  kMissingField,       // ingest.missing_field
  kBadTimestamp,       // ingest.bad_timestamp
  kBadField,           // ingest.bad_field
  kLineTooLong,        // ingest.line_too_long
  kBadEncoding,        // ingest.bad_encoding
  kOutOfPeriod,        // ingest.out_of_period
  // crypto / keys
  kCrypto,             // crypto.error
  kBadKey,             // crypto.bad_key
  kBadSignature,       // verify.bad_signature
  kDigestMismatch,     // verify.digest_mismatch
  kBadEnvelope,        // verify.bad_envelope
  // match
  kBadPattern,         // match.bad_pattern
  // redaction / vault
  kVaultCorrupt,       // vault.corrupt
  kVaultLocked,        // vault.locked
  kTokenUnknown,       // vault.token_unknown
  kTokenCollision,     // vault.token_collision
  kSubjectErased,      // vault.subject_erased
  kAccessLogBroken,    // vault.access_log_broken
  // rules
  kRuleSyntax,         // rule.syntax
  kRuleSchema,         // rule.schema
  kRuleDuplicateId,    // rule.duplicate_id
  kRuleRuntime,        // rule.runtime_error
  kRuleCpuBudget,      // rule.cpu_budget
  kRuleMemoryBudget,   // rule.memory_budget
  kRuleBlockedCall,    // rule.blocked_call
  kRuleExampleFailed,  // rule.example_failed
  // periods
  kBadPeriod,          // time.bad_period
};

// The stable dotted name of `code`, e.g. "ingest.bad_timestamp".
std::string_view error_code_name(ErrorCode code);

// Where an error happened. `line`/`column` are 1-based; 0 means unknown.
// Every member has a default initializer so `{path}` or `{path, line}` compiles warning-free.
struct SourceLocation {
  std::string file{};
  int64_t line = 0;
  int64_t column = 0;
  std::string rule_id{};  // optional: the rule the error belongs to
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message{};
  SourceLocation where{};
};

// The one user-facing formatter: "path:line:col: code: message" (parts that are unknown are
// left out, e.g. "path: code: message"; a rule id is appended as " [rule id]").
std::string format_error(const Error& error);

}  // namespace convaudit
