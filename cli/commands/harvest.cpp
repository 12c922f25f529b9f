#include "reports/harvest.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "engine/core/severity.h"

#include "cli/commands/command.h"

namespace convaudit::cli {
namespace {

namespace fs = std::filesystem;

struct HarvestArgs {
  std::string out_dir;
  std::string out;
  std::string format = "jsonl";
  std::string min_severity = "low";
};

// Writes through a temporary file renamed into place; "-" is standard output.
Status write_output(const std::string& path, const std::string& content) {
  if (path == "-") {
    std::cout << content;
    return ok_status();
  }
  std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << content;
    out.close();
    if (!out) {
      return fail(ErrorCode::kIo, "cannot write", {path});
    }
  }
  std::error_code ec;
  fs::rename(temp, path, ec);
  if (ec) {
    fs::remove(temp, ec);
    return fail(ErrorCode::kIo, "cannot write: " + ec.message(), {path});
  }
  return ok_status();
}

Status run_harvest(const HarvestArgs& args, size_t* cases_written) {
  if (args.format != "jsonl" && args.format != "promptfoo") {
    return fail(ErrorCode::kUsage, "--format must be jsonl or promptfoo");
  }
  auto min_severity = parse_severity(args.min_severity);
  if (!min_severity) {
    return fail(ErrorCode::kUsage, "--min-severity must be info, low, medium, high or critical");
  }
  fs::path flagged = fs::path(args.out_dir) / "flagged.jsonl";
  std::error_code ec;
  if (!fs::is_regular_file(flagged, ec)) {
    return fail(ErrorCode::kNotFound,
                "no flagged.jsonl in the output folder (made by `convaudit run`)",
                {flagged.string()});
  }
  std::ifstream in(flagged, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  auto sessions = reports::parse_flagged_jsonl(text.str());
  if (!sessions) {
    Error error = sessions.error();
    error.where.file = flagged.string();
    return fail(error);
  }
  auto cases = reports::select_cases(*sessions, *min_severity);
  *cases_written = cases.size();
  return write_output(args.out, args.format == "jsonl" ? reports::render_cases_jsonl(cases)
                                                       : reports::render_promptfoo_yaml(cases));
}

}  // namespace

void add_harvest_command(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<HarvestArgs>();
  CLI::App* cmd = app.add_subcommand(
      "harvest",
      "Export the flagged sessions of a run (redacted text only) as eval cases: JSONL or "
      "promptfoo test YAML");
  cmd->add_option("outdir", args->out_dir, "The --out folder of `convaudit run`")->required();
  cmd->add_option("--out", args->out, "File to write ('-' for standard output)")->required();
  cmd->add_option("--format", args->format, "jsonl|promptfoo")->capture_default_str();
  cmd->add_option("--min-severity", args->min_severity,
                  "Keep findings at or above this severity (info|low|medium|high|critical)")
      ->capture_default_str();
  cmd->callback([args, exit_code] {
    size_t cases = 0;
    if (auto st = run_harvest(*args, &cases); !st) {
      *exit_code = report_error(st.error());
      return;
    }
    if (args->out != "-") {
      std::cout << "wrote " << cases << " eval cases (" << args->format << ") to " << args->out
                << "\n";
    }
  });
}

}  // namespace convaudit::cli
