#include "engine/rulehost/rule_pack_loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string_view>
#include <system_error>

#include "engine/rulehost/internal/embedded_rules.h"

namespace convaudit::rulehost {

namespace fs = std::filesystem;

namespace {

bool by_name(const RuleSourceFile& a, const RuleSourceFile& b) {
  return a.name < b.name;
}

Result<RuleSourceFile> read_rule_file(const fs::path& path, int pack_index) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(ErrorCode::kIo, "cannot open rule file", {path.string()});
  }
  RuleSourceFile file;
  file.name = path.generic_string();
  file.content.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (in.bad()) {
    return fail(ErrorCode::kIo, "cannot read rule file", {path.string()});
  }
  file.pack_index = pack_index;
  return file;
}

bool ends_with(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The embedded files whose name ends in `suffix`, sorted by name.
std::vector<RuleSourceFile> embedded_files(std::string_view suffix) {
  std::vector<RuleSourceFile> files;
  for (auto& [name, content] : internal::embedded_rule_files()) {
    if (ends_with(name, suffix)) {
      files.push_back(RuleSourceFile{std::move(name), std::move(content), 0});
    }
  }
  std::sort(files.begin(), files.end(), by_name);
  return files;
}

}  // namespace

std::vector<RuleSourceFile> builtin_rule_files() {
  return embedded_files(".lua");
}

std::vector<RuleSourceFile> builtin_benign_conversations() {
  return embedded_files(".jsonl");
}

Result<std::vector<RuleSourceFile>> load_rule_dir(const std::string& dir, int pack_index) {
  std::error_code ec;
  const fs::path root(dir);
  const fs::file_status status = fs::status(root, ec);
  if (ec || !fs::exists(status)) {
    return fail(ErrorCode::kNotFound, "rule directory not found", {dir});
  }
  std::vector<RuleSourceFile> files;
  if (fs::is_regular_file(status)) {  // a single rule file is a pack of one
    auto file = read_rule_file(root, pack_index);
    if (!file) {
      return fail(file.error());
    }
    files.push_back(std::move(*file));
    return files;
  }
  if (!fs::is_directory(status)) {
    return fail(ErrorCode::kNotFound, "not a rule directory", {dir});
  }
  fs::recursive_directory_iterator it(root, ec);
  if (ec) {
    return fail(ErrorCode::kIo, "cannot list rule directory: " + ec.message(), {dir});
  }
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) {
      return fail(ErrorCode::kIo, "cannot list rule directory: " + ec.message(), {dir});
    }
    if (!it->is_regular_file(ec) || it->path().extension() != ".lua") {
      continue;
    }
    auto file = read_rule_file(it->path(), pack_index);
    if (!file) {
      return fail(file.error());
    }
    files.push_back(std::move(*file));
  }
  if (ec) {
    return fail(ErrorCode::kIo, "cannot list rule directory: " + ec.message(), {dir});
  }
  std::sort(files.begin(), files.end(), by_name);
  return files;
}

}  // namespace convaudit::rulehost
