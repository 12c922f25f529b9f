#include <filesystem>
#include <iostream>
#include <string>

#include "engine/crypto/key_set.h"

#include "cli/commands/command.h"
#include "redaction/access_log.h"
#include "redaction/pii_type.h"
#include "redaction/subject_access.h"

namespace convaudit::cli {

void add_reveal_command(CLI::App& app, int* exit_code) {
  struct Args {
    std::string token;
    std::string keys;
    std::string vault;
    std::string reason;
    bool audit = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "reveal",
      "Re-identify a pseudonym token (authorised holders of the vault key only). Every reveal is "
      "recorded (who, when, token, reason) in the vault's hash-chained access log; --audit "
      "verifies that log instead");
  cmd->add_option("token", args->token, "A token such as <EMAIL_4f9c0a1e7b2d3c6a55>");
  cmd->add_option("--keys", args->keys, "Key folder holding vault.key")->required();
  cmd->add_option("--vault", args->vault, "Vault file (default KEYDIR/vault.bin)");
  cmd->add_option("--reason", args->reason, "Why (recorded in the access log)");
  cmd->add_flag("--audit", args->audit,
                "Verify the access log's hash chain: prints the number of records, or the "
                "broken line (exit 3)");
  cmd->callback([args, exit_code] {
    const std::string vault_path = args->vault.empty()
                                       ? (std::filesystem::path(args->keys) / "vault.bin").string()
                                       : args->vault;
    if (args->audit) {
      if (!args->token.empty()) {
        *exit_code = report_error(Error{ErrorCode::kUsage, "--audit takes no token", {}});
        return;
      }
      const std::string log = redaction::access_log_path(vault_path);
      std::error_code ec;
      if (!std::filesystem::exists(log, ec)) {
        std::cout << "access log " << log << ": no records (nothing revealed or erased yet)\n";
        return;
      }
      auto count = redaction::verify_access_log(log);
      if (!count) {
        report_error(count.error());
        *exit_code = static_cast<int>(ExitCode::kVerifyFailed);
        return;
      }
      std::cout << "access log " << log << ": " << *count << " records, chain intact\n";
      return;
    }
    if (args->token.empty() || args->reason.empty()) {
      *exit_code = report_error(
          Error{ErrorCode::kUsage, "reveal needs a TOKEN and --reason (or --audit)", {}});
      return;
    }
    auto keys = crypto::load_key_folder(args->keys);
    if (!keys) {
      *exit_code = report_error(keys.error());
      return;
    }
    redaction::RevealRequest request;
    request.token = args->token;
    request.reason = args->reason;
    request.who = current_user();
    request.vault_path = vault_path;
    request.vault_key = keys->vault_key;
    auto revealed = redaction::reveal_subject(request);
    if (!revealed) {
      *exit_code = report_error(revealed.error());
      return;
    }
    std::cout << redaction::pii_type_name(revealed->type) << "\t" << revealed->value << "\n";
  });
}

}  // namespace convaudit::cli
