#include "engine/pipeline/internal/atomic_file.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>
#include <unistd.h>

using namespace convaudit;
namespace fs = std::filesystem;

TEST_CASE("write_file_atomically replaces the target and leaves no temporary", "[pipeline]") {
  fs::path dir = fs::temp_directory_path() / ("convaudit_atomic_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path target = dir / "report.json";
  REQUIRE(pipeline::internal::write_file_atomically(target.string(), "first"));
  REQUIRE(pipeline::internal::write_file_atomically(target.string(), "second version"));
  std::ifstream in(target);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == "second version");
  size_t files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) {
    ++files;
  }
  CHECK(files == 1);

  auto missing = pipeline::internal::write_file_atomically((dir / "no/such/dir/x").string(), "x");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == ErrorCode::kIo);
  fs::remove_all(dir);
}
