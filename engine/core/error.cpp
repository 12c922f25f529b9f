#include "engine/core/error.h"

namespace convaudit {

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return "ok";
    case ErrorCode::kInternal: return "internal";
    case ErrorCode::kUsage: return "usage";
    case ErrorCode::kIo: return "io.error";
    case ErrorCode::kNotFound: return "io.not_found";
    case ErrorCode::kMalformedJson: return "ingest.malformed_json";
    case ErrorCode::kUnknownShape: return "ingest.unknown_shape";
    case ErrorCode::kMissingField: return "ingest.missing_field";
    case ErrorCode::kBadTimestamp: return "ingest.bad_timestamp";
    case ErrorCode::kBadField: return "ingest.bad_field";
    case ErrorCode::kLineTooLong: return "ingest.line_too_long";
    case ErrorCode::kBadEncoding: return "ingest.bad_encoding";
    case ErrorCode::kOutOfPeriod: return "ingest.out_of_period";
    case ErrorCode::kCrypto: return "crypto.error";
    case ErrorCode::kBadKey: return "crypto.bad_key";
    case ErrorCode::kBadSignature: return "verify.bad_signature";
    case ErrorCode::kDigestMismatch: return "verify.digest_mismatch";
    case ErrorCode::kBadEnvelope: return "verify.bad_envelope";
    case ErrorCode::kBadPattern: return "match.bad_pattern";
    case ErrorCode::kVaultCorrupt: return "vault.corrupt";
    case ErrorCode::kVaultLocked: return "vault.locked";
    case ErrorCode::kTokenUnknown: return "vault.token_unknown";
    case ErrorCode::kTokenCollision: return "vault.token_collision";
    case ErrorCode::kSubjectErased: return "vault.subject_erased";
    case ErrorCode::kAccessLogBroken: return "vault.access_log_broken";
    case ErrorCode::kRuleSyntax: return "rule.syntax";
    case ErrorCode::kRuleSchema: return "rule.schema";
    case ErrorCode::kRuleDuplicateId: return "rule.duplicate_id";
    case ErrorCode::kRuleRuntime: return "rule.runtime_error";
    case ErrorCode::kRuleCpuBudget: return "rule.cpu_budget";
    case ErrorCode::kRuleMemoryBudget: return "rule.memory_budget";
    case ErrorCode::kRuleBlockedCall: return "rule.blocked_call";
    case ErrorCode::kRuleExampleFailed: return "rule.example_failed";
    case ErrorCode::kBadPeriod: return "time.bad_period";
  }
  return "internal";
}

std::string format_error(const Error& error) {
  std::string out;
  if (!error.where.file.empty()) {
    out += error.where.file;
    if (error.where.line > 0) {
      out += ':' + std::to_string(error.where.line);
      if (error.where.column > 0) {
        out += ':' + std::to_string(error.where.column);
      }
    }
    out += ": ";
  }
  out += error_code_name(error.code);
  out += ": ";
  out += error.message;
  if (!error.where.rule_id.empty()) {
    out += " [rule " + error.where.rule_id + "]";
  }
  return out;
}

}  // namespace convaudit
