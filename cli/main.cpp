// convaudit: the command-line front end. A thin layer: each subcommand lives in commands/.

#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>

#include "cli/commands/command.h"

int main(int argc, char** argv) {
  CLI::App app{"convaudit " CONVAUDIT_VERSION
               " - rule-driven compliance audits of LLM conversation logs"};
  app.require_subcommand(1);
  app.set_version_flag("--version", CONVAUDIT_VERSION);
  int exit_code = static_cast<int>(convaudit::cli::ExitCode::kOk);
  convaudit::cli::add_keygen_command(app, &exit_code);
  convaudit::cli::add_run_command(app, &exit_code);
  convaudit::cli::add_verify_command(app, &exit_code);
  convaudit::cli::add_reveal_command(app, &exit_code);
  convaudit::cli::add_rules_command(app, &exit_code);
  convaudit::cli::add_diff_command(app, &exit_code);
  convaudit::cli::add_harvest_command(app, &exit_code);
  convaudit::cli::add_forget_command(app, &exit_code);
  convaudit::cli::add_redact_command(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return static_cast<int>(convaudit::cli::ExitCode::kUsageOrInput);
  } catch (const std::exception& e) {
    std::cerr << "convaudit: internal error: " << e.what() << "\n";
    return static_cast<int>(convaudit::cli::ExitCode::kUsageOrInput);
  }
  return exit_code;
}
