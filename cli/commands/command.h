#pragma once
// The subcommands of `convaudit`. Each add_*_command registers its options on `app` into a
// typed struct and, when selected, calls one library entry point and stores the process exit
// code in `*exit_code`:
//   0 done, 1 findings at or above --fail-on, 2 usage or input error, 3 verification failed.

#include <string>

#include <CLI/CLI.hpp>

#include "engine/core/error.h"

namespace convaudit::cli {

enum class ExitCode { kOk = 0, kFindings = 1, kUsageOrInput = 2, kVerifyFailed = 3 };

void add_keygen_command(CLI::App& app, int* exit_code);
void add_run_command(CLI::App& app, int* exit_code);
void add_verify_command(CLI::App& app, int* exit_code);
void add_reveal_command(CLI::App& app, int* exit_code);
void add_rules_command(CLI::App& app, int* exit_code);
void add_diff_command(CLI::App& app, int* exit_code);
void add_harvest_command(CLI::App& app, int* exit_code);
void add_forget_command(CLI::App& app, int* exit_code);
void add_redact_command(CLI::App& app, int* exit_code);

// Prints "convaudit: path:line:col: code: message" to stderr and returns the exit code for it
// (3 for verification errors, 2 otherwise).
int report_error(const Error& error);

// The operator for access records: $CONVAUDIT_USER, $USER, $LOGNAME, else "uid:N".
std::string current_user();

// Where the demo key folder lives when --keys is not given (run and redact share it, so the
// tokens of a redacted copy match the run's): $CONVAUDIT_HOME/demo-keys, else
// $HOME/.convaudit/demo-keys, else ./.convaudit/demo-keys.
std::string default_demo_key_dir();

}  // namespace convaudit::cli
