#pragma once
// What every end-to-end test needs: the real binary, run through a shell with its exit code and
// combined output, and small file helpers. Shared by the e2e test files.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

namespace convaudit::e2e {

namespace fs = std::filesystem;

inline const std::string kBinary = CONVAUDIT_BINARY;
inline const std::string kSource = CONVAUDIT_SOURCE_DIR;
inline const std::string kExample = kSource + "/examples/conversations.jsonl";

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// Runs a shell command, capturing stdout and stderr.
inline CommandResult run_shell(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) {
    result.output.append(buffer, n);
  }
  int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// Runs `convaudit ARGS`.
inline CommandResult run_cli(const std::string& args) {
  return run_shell(kBinary + " " + args);
}

inline std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline void write_file(const fs::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    lines.push_back(line);
  }
  return lines;
}

inline std::vector<nlohmann::json> read_jsonl(const fs::path& path) {
  std::vector<nlohmann::json> records;
  for (const std::string& line : lines_of(read_file(path))) {
    if (!line.empty()) {
      records.push_back(nlohmann::json::parse(line));
    }
  }
  return records;
}

// Every raw PII value planted in examples/conversations.jsonl (examples/pii_values.txt).
inline std::vector<std::string> pii_values() {
  std::vector<std::string> values;
  for (const std::string& line : lines_of(read_file(kSource + "/examples/pii_values.txt"))) {
    if (!line.empty() && line[0] != '#') {
      values.push_back(line);
    }
  }
  return values;
}

}  // namespace convaudit::e2e
