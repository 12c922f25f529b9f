#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/commands/command.h"
#include "reports/report_builder.h"
#include "reports/report_diff.h"

namespace convaudit::cli {
namespace {

struct DiffArgs {
  std::string old_path;
  std::string new_path;
  bool json = false;
  bool all = false;
};

Result<nlohmann::json> read_report(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return fail(ErrorCode::kNotFound, "no such report file", {path});
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in.good() && !in.eof()) {
    return fail(ErrorCode::kIo, "cannot read the report", {path});
  }
  nlohmann::json report = nlohmann::json::parse(text.str(), nullptr, false);
  if (report.is_discarded()) {
    return fail(ErrorCode::kMalformedJson, "not valid JSON", {path});
  }
  return report;
}

}  // namespace

void add_diff_command(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<DiffArgs>();
  CLI::App* cmd = app.add_subcommand(
      "diff", "What changed between two reports, per section (OLD/report.json NEW/report.json)");
  cmd->add_option("old", args->old_path, "The earlier report.json")->required();
  cmd->add_option("new", args->new_path, "The later report.json")->required();
  cmd->add_flag("--json", args->json, "Print a JSON document (convaudit.diff/v1) instead of text");
  cmd->add_flag("--all", args->all, "List unchanged figures too");
  cmd->callback([args, exit_code] {
    auto old_report = read_report(args->old_path);
    if (!old_report) {
      *exit_code = report_error(old_report.error());
      return;
    }
    auto new_report = read_report(args->new_path);
    if (!new_report) {
      *exit_code = report_error(new_report.error());
      return;
    }
    auto diff = reports::diff_reports(*old_report, *new_report);
    if (!diff) {
      Error error = diff.error();
      // Name the file the problem is in.
      error.where.file = error.message.rfind("old", 0) == 0 ? args->old_path : args->new_path;
      *exit_code = report_error(error);
      return;
    }
    if (args->json) {
      std::cout << reports::canonical_json(reports::diff_to_json(*diff, args->all)) << "\n";
    } else {
      std::cout << reports::render_diff_text(*diff, args->all);
    }
  });
}

}  // namespace convaudit::cli
