#pragma once
// Subject access: re-identifying a token for an authorised person, always on the record.
//
// reveal_subject() appends an access record (who, when, token, reason) to the hash-chained access
// log BEFORE it decrypts, so an attempt is logged even when it fails; then it returns the value.
// forget_subject() likewise logs (action "forget") before it erases the subject in the vault.
// The access log lives beside the vault: VAULT.access.jsonl.

#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/result.h"

#include "redaction/vault.h"

namespace convaudit::redaction {

struct RevealRequest {
  std::string token;
  std::string reason;  // required, non-empty
  std::string who;     // the operator, e.g. from $USER
  std::string vault_path;
  std::vector<uint8_t> vault_key;
};

// The access log path for a vault file.
std::string access_log_path(const std::string& vault_path);

// Error kUsage (no reason / not a token), then the Vault's errors (kTokenUnknown,
// kSubjectErased, kCrypto...) and the access log's.
Result<RevealedValue> reveal_subject(const RevealRequest& request);

// Erasure on the record: the same fields, the reason being why the subject is forgotten.
using ForgetRequest = RevealRequest;

// Error kUsage (no reason / not a token), then the access log's errors, then Vault::forget's
// (kTokenUnknown, kVaultLocked, kIo...). The attempt is logged even when it fails.
Status forget_subject(const ForgetRequest& request);

}  // namespace convaudit::redaction
