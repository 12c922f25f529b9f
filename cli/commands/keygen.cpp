#include <iostream>
#include <string>

#include "engine/crypto/key_set.h"

#include "cli/commands/command.h"

namespace convaudit::cli {

void add_keygen_command(CLI::App& app, int* exit_code) {
  struct Options {
    std::string out;
    bool force = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "keygen",
      "Create a key folder: signing.key/.pub (Ed25519), pseudonym.key (HMAC), vault.key "
      "(AES-256-GCM), all private files mode 0600");
  cmd->add_option("--out", options->out, "Key folder to create (KEYDIR)")->required();
  cmd->add_flag("--force", options->force,
                "Replace existing keys (old reports stay verifiable "
                "only with the old signing.pub)");
  cmd->callback([options, exit_code] {
    crypto::KeygenOptions keygen;
    keygen.overwrite = options->force;
    if (auto st = crypto::generate_key_folder(options->out, keygen); !st) {
      *exit_code = report_error(st.error());
      return;
    }
    auto keys = crypto::load_key_folder(options->out);
    if (!keys) {
      *exit_code = report_error(keys.error());
      return;
    }
    std::cout << "created " << options->out
              << "/{signing.key,signing.pub,pseudonym.key,vault.key}\n"
              << "signing key id:   " << keys->signing_key_id() << "\n"
              << "pseudonym key id: " << keys->pseudonym_key_id() << "\n"
              << "vault key id:     " << keys->vault_key_id() << "\n"
              << "Give signing.pub to whoever verifies reports; keep the rest private.\n";
  });
}

}  // namespace convaudit::cli
