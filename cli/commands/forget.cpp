#include <filesystem>
#include <iostream>
#include <string>

#include "engine/crypto/key_set.h"

#include "cli/commands/command.h"
#include "redaction/subject_access.h"

namespace convaudit::cli {

void add_forget_command(CLI::App& app, int* exit_code) {
  struct Args {
    std::string token;
    std::string keys;
    std::string vault;
    std::string reason;
    std::string who;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "forget",
      "Erase a data subject: destroys the token's data key in the vault, so the value can never "
      "be revealed again; reports holding the token still verify. Recorded in the access log");
  cmd->add_option("token", args->token, "A token such as <EMAIL_4f9c0a1e7b2d3c6a55>")->required();
  cmd->add_option("--keys", args->keys, "Key folder holding vault.key")->required();
  cmd->add_option("--vault", args->vault, "Vault file (default KEYDIR/vault.bin)");
  cmd->add_option("--reason", args->reason, "Why (recorded in the access log)")->required();
  cmd->add_option("--who", args->who, "Operator recorded in the access log (default $USER)");
  cmd->callback([args, exit_code] {
    auto keys = crypto::load_key_folder(args->keys);
    if (!keys) {
      *exit_code = report_error(keys.error());
      return;
    }
    redaction::ForgetRequest request;
    request.token = args->token;
    request.reason = args->reason;
    request.who = args->who.empty() ? current_user() : args->who;
    request.vault_path = args->vault.empty()
                             ? (std::filesystem::path(args->keys) / "vault.bin").string()
                             : args->vault;
    request.vault_key = keys->vault_key;
    if (auto st = redaction::forget_subject(request); !st) {
      *exit_code = report_error(st.error());
      return;
    }
    std::cout << "erased " << args->token << "\n";
  });
}

}  // namespace convaudit::cli
