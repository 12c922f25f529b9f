#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include "cli/commands/command.h"
#include "engine/crypto/key_set.h"
#include "redaction/pii_type.h"
#include "redaction/subject_access.h"

namespace convaudit::cli {
namespace {

std::string current_user() {
  for (const char* name : {"CONVAUDIT_USER", "USER", "LOGNAME"}) {
    if (const char* value = std::getenv(name); value != nullptr && *value != '\0') {
      return value;
    }
  }
  return "uid:" + std::to_string(::getuid());
}

}  // namespace

void add_reveal_command(CLI::App& app, int* exit_code) {
  struct Args {
    std::string token;
    std::string keys;
    std::string vault;
    std::string reason;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "reveal",
      "Re-identify a pseudonym token (authorised holders of the vault key only). Every reveal is "
      "recorded (who, when, token, reason) in the vault's hash-chained access log");
  cmd->add_option("token", args->token, "A token such as <EMAIL_4f9c0a1e7b2d3c6a55>")->required();
  cmd->add_option("--keys", args->keys, "Key folder holding vault.key")->required();
  cmd->add_option("--vault", args->vault, "Vault file (default KEYDIR/vault.bin)");
  cmd->add_option("--reason", args->reason, "Why (recorded in the access log)")->required();
  cmd->callback([args, exit_code] {
    auto keys = crypto::load_key_folder(args->keys);
    if (!keys) {
      *exit_code = report_error(keys.error());
      return;
    }
    redaction::RevealRequest request;
    request.token = args->token;
    request.reason = args->reason;
    request.who = current_user();
    request.vault_path = args->vault.empty()
                             ? (std::filesystem::path(args->keys) / "vault.bin").string()
                             : args->vault;
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
