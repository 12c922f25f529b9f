#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "engine/crypto/key_set.h"
#include "engine/ingest/json_rewriter.h"

#include "cli/commands/command.h"
#include "redaction/pii_detector.h"
#include "redaction/pseudonymizer.h"
#include "redaction/redactor.h"
#include "redaction/vault.h"

namespace fs = std::filesystem;

namespace convaudit::cli {
namespace {

struct RedactArgs {
  std::vector<std::string> inputs;
  std::string out;
  std::string keys;
  std::string vault;
};

Status redact_files(const RedactArgs& args) {
  // Outputs keep their names; two inputs with one name, or an output that is an input, refused.
  std::vector<fs::path> outputs;
  std::error_code ec;
  fs::create_directories(args.out, ec);
  if (ec) {
    return fail(ErrorCode::kIo, "cannot create the output folder: " + ec.message(), {args.out});
  }
  for (const std::string& input : args.inputs) {
    fs::path target = fs::path(args.out) / fs::path(input).filename();
    for (const fs::path& other : outputs) {
      if (other == target) {
        return fail(ErrorCode::kUsage, "two inputs named " + target.filename().string(), {input});
      }
    }
    for (const std::string& any : args.inputs) {
      if (fs::exists(target, ec) && fs::equivalent(target, any, ec)) {
        return fail(ErrorCode::kUsage, "refusing to overwrite an input with its redacted copy",
                    {target.string()});
      }
    }
    outputs.push_back(std::move(target));
  }

  const std::string key_dir = args.keys.empty() ? default_demo_key_dir() : args.keys;
  if (args.keys.empty() && !fs::exists(fs::path(key_dir) / "signing.key", ec)) {
    crypto::KeygenOptions keygen;
    keygen.demo = true;
    if (auto st = crypto::generate_key_folder(key_dir, keygen); !st) {
      return st;
    }
    std::cerr << "convaudit: created a demo key folder at " << key_dir << "\n";
  }
  auto keys = crypto::load_key_folder(key_dir);
  if (!keys) {
    return fail(keys.error());
  }
  const std::string vault_path =
      args.vault.empty() ? (fs::path(key_dir) / "vault.bin").string() : args.vault;
  auto vault = redaction::Vault::open(vault_path, keys->vault_key);
  if (!vault) {
    return fail(vault.error());
  }
  auto detector = redaction::PiiDetector::create();
  if (!detector) {
    return fail(detector.error());
  }
  redaction::Pseudonymizer pseudonymizer(keys->pseudonym_key);
  redaction::Redactor redactor(*detector, pseudonymizer);
  redaction::Vault& sink = **vault;
  const ingest::TextRewrite rewrite = [&](std::string_view text) {
    return redactor.redact_text(text, sink, nullptr);
  };

  ingest::JsonRewriteStats total;
  for (size_t i = 0; i < args.inputs.size(); ++i) {
    auto bytes = ingest::read_file_bytes(args.inputs[i]);
    if (!bytes) {
      return fail(bytes.error());
    }
    std::string redacted;
    const ingest::JsonRewriteStats stats =
        ingest::rewrite_json_strings(bytes->data, rewrite, redacted);
    total.strings += stats.strings;
    total.rewritten += stats.rewritten;
    total.broken += stats.broken;
    if (auto st = ingest::write_file_bytes(outputs[i].string(), redacted, bytes->gzip); !st) {
      return st;
    }
  }
  // The mappings, so the copies' tokens can be revealed like a run's. Without them the copies
  // must not stay behind.
  if (auto st = sink.flush(); !st) {
    for (const fs::path& output : outputs) {
      fs::remove(output, ec);
    }
    return st;
  }
  std::cerr << "redacted " << args.inputs.size() << " file(s) into " << args.out << ": "
            << total.strings << " string values, " << total.rewritten << " changed";
  if (total.broken > 0) {
    std::cerr << ", " << total.broken << " broken strings (rewritten on their raw bytes)";
  }
  std::cerr << "\n";
  return ok_status();
}

}  // namespace

void add_redact_command(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<RedactArgs>();
  CLI::App* cmd = app.add_subcommand(
      "redact",
      "Write anonymised copies of log files (same names and formats, gzip stays gzip): every "
      "PII value in a JSON string or scalar becomes its token, every other byte is kept");
  cmd->add_option("logs", args->inputs, "Log files (any JSON-based format, plain or .gz)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--out", args->out, "Output folder")->required();
  cmd->add_option("--keys", args->keys,
                  "Key folder from `convaudit keygen` (default: the demo key folder of `run`)");
  cmd->add_option("--vault", args->vault, "Pseudonym vault file (default KEYDIR/vault.bin)");
  cmd->callback([args, exit_code] {
    if (auto st = redact_files(*args); !st) {
      *exit_code = report_error(st.error());
    }
  });
}

}  // namespace convaudit::cli
