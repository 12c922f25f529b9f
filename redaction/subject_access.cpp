#include "redaction/subject_access.h"

#include <chrono>
#include <string>
#include <string_view>
#include <utility>

#include "redaction/access_log.h"
#include "redaction/pseudonymizer.h"

namespace convaudit::redaction {

std::string access_log_path(const std::string& vault_path) {
  return vault_path + ".access.jsonl";
}

namespace {

Status check_request(const RevealRequest& request, std::string_view what) {
  if (request.reason.empty()) {
    return fail(ErrorCode::kUsage, "a reason is required for every " + std::string(what));
  }
  if (!is_token(request.token)) {
    return fail(ErrorCode::kUsage, "not a pseudonym token: " + request.token);
  }
  return ok_status();
}

Status log_access(const RevealRequest& request, std::string action) {
  AccessRecord record;
  record.who = request.who.empty() ? "unknown" : request.who;
  record.action = std::move(action);
  record.token = request.token;
  record.reason = request.reason;
  record.time_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  return append_access_record(access_log_path(request.vault_path), record);
}

}  // namespace

Result<RevealedValue> reveal_subject(const RevealRequest& request) {
  if (auto st = check_request(request, "reveal"); !st) {
    return fail(st.error());
  }
  auto vault = Vault::open(request.vault_path, request.vault_key);
  if (!vault) {
    return fail(vault.error());
  }
  if (auto st = log_access(request, "reveal"); !st) {
    return fail(st.error());
  }
  return (*vault)->reveal(request.token);
}

Status forget_subject(const ForgetRequest& request) {
  if (auto st = check_request(request, "erasure"); !st) {
    return st;
  }
  auto vault = Vault::open(request.vault_path, request.vault_key);
  if (!vault) {
    return fail(vault.error());
  }
  if (auto st = log_access(request, "forget"); !st) {
    return st;
  }
  return (*vault)->forget(request.token);
}

}  // namespace convaudit::redaction
