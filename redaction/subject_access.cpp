#include "redaction/subject_access.h"

#include <chrono>

#include "redaction/access_log.h"
#include "redaction/pseudonymizer.h"

namespace convaudit::redaction {

std::string access_log_path(const std::string& vault_path) {
  return vault_path + ".access.jsonl";
}

Result<RevealedValue> reveal_subject(const RevealRequest& request) {
  if (request.reason.empty()) {
    return fail(ErrorCode::kUsage, "a reason is required for every reveal");
  }
  if (!is_token(request.token)) {
    return fail(ErrorCode::kUsage, "not a pseudonym token: " + request.token);
  }
  auto vault = Vault::open(request.vault_path, request.vault_key);
  if (!vault) {
    return fail(vault.error());
  }
  AccessRecord record;
  record.who = request.who.empty() ? "unknown" : request.who;
  record.action = "reveal";
  record.token = request.token;
  record.reason = request.reason;
  record.time_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  if (auto st = append_access_record(access_log_path(request.vault_path), record); !st) {
    return fail(st.error());
  }
  return (*vault)->reveal(request.token);
}

}  // namespace convaudit::redaction
