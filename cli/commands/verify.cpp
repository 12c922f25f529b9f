#include <iostream>
#include <string>
#include <vector>

#include "cli/commands/command.h"
#include "reports/report_verifier.h"

namespace convaudit::cli {

void add_verify_command(CLI::App& app, int* exit_code) {
  auto request = std::make_shared<reports::VerifyRequest>();
  CLI::App* cmd = app.add_subcommand(
      "verify",
      "Verify a signed report: the DSSE signature, report.json beside it, and (with --inputs) "
      "that the given log files are exactly the ones the report names. Exit 3 on any failure");
  cmd->add_option("envelope", request->envelope_path, "OUTDIR/report.dsse.json")->required();
  cmd->add_option("--pub", request->public_key_path, "The signer's public key (signing.pub)")
      ->required();
  cmd->add_option("--inputs", request->inputs, "The log files the report was made from");
  cmd->callback([request, exit_code] {
    auto outcome = reports::verify_report(*request);
    if (!outcome) {
      *exit_code = report_error(outcome.error());
      std::cout << "FAILED: the report does not verify\n";
      return;
    }
    std::cout << "OK: " << outcome->report_path << " (sha256 " << outcome->report_sha256
              << ") is signed by key " << outcome->key_id << "\n";
    if (!request->inputs.empty()) {
      std::cout << "OK: all " << outcome->inputs_checked
                << " input files are exactly the ones the report names\n";
    }
  });
}

}  // namespace convaudit::cli
