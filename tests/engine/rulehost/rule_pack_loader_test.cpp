#include "engine/rulehost/rule_pack_loader.h"

#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>
#include <unistd.h>

namespace convaudit::rulehost {

namespace fs = std::filesystem;

namespace {

struct TempDir {
  TempDir() {
    path = fs::temp_directory_path() /
           ("convaudit_rulehost_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  void write(const std::string& relative, const std::string& content) const {
    fs::create_directories((path / relative).parent_path());
    std::ofstream(path / relative, std::ios::binary) << content;
  }
  fs::path path;
  static inline int counter = 0;
};

}  // namespace

TEST_CASE("load_rule_dir finds every .lua file recursively, sorted", "[rulehost][loader]") {
  TempDir dir;
  dir.write("b.lua", "-- b");
  dir.write("sub/a.lua", "-- a");
  dir.write("a.lua", "-- top a");
  dir.write("notes.txt", "not a rule");
  dir.write("sub/deeper/c.lua", "-- c");
  auto files = load_rule_dir(dir.path.string(), 2);
  REQUIRE(files);
  REQUIRE(files->size() == 4);
  const std::string root = dir.path.generic_string();
  CHECK((*files)[0].name == root + "/a.lua");
  CHECK((*files)[1].name == root + "/b.lua");
  CHECK((*files)[2].name == root + "/sub/a.lua");
  CHECK((*files)[3].name == root + "/sub/deeper/c.lua");
  CHECK((*files)[0].content == "-- top a");
  CHECK((*files)[3].pack_index == 2);
}

TEST_CASE("load_rule_dir accepts a single rule file", "[rulehost][loader]") {
  TempDir dir;
  dir.write("one.lua", "-- one");
  auto files = load_rule_dir((dir.path / "one.lua").string(), 1);
  REQUIRE(files);
  REQUIRE(files->size() == 1);
  CHECK(files->front().content == "-- one");
}

TEST_CASE("load_rule_dir reports a missing directory", "[rulehost][loader]") {
  auto files = load_rule_dir("/nonexistent/convaudit/rules", 1);
  REQUIRE_FALSE(files);
  CHECK(files.error().code == ErrorCode::kNotFound);
}

TEST_CASE("the built-in pack is sorted and named under builtin/", "[rulehost][loader]") {
  const std::vector<RuleSourceFile> files = builtin_rule_files();
  for (size_t i = 0; i < files.size(); ++i) {
    CHECK(files[i].name.rfind("builtin/", 0) == 0);
    CHECK(files[i].pack_index == 0);
    if (i > 0) {
      CHECK(files[i - 1].name < files[i].name);
    }
  }
}

}  // namespace convaudit::rulehost
