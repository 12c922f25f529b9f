#include "engine/crypto/key_set.h"

#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>
#include <sys/stat.h>

using namespace convaudit;
namespace fs = std::filesystem;

namespace {
struct TempDir {
  fs::path path = fs::temp_directory_path() / ("convaudit_keys_" + std::to_string(::getpid()) +
                                               "_" + std::to_string(counter++));
  ~TempDir() { fs::remove_all(path); }
  static inline int counter = 0;
};
mode_t mode_of(const fs::path& p) {
  struct stat st {};
  ::stat(p.c_str(), &st);
  return st.st_mode & 0777;
}
}  // namespace

TEST_CASE("keygen writes the key folder contract and it loads back", "[crypto][keys]") {
  TempDir dir;
  REQUIRE(crypto::generate_key_folder(dir.path.string(), {}));
  CHECK(mode_of(dir.path) == 0700);
  CHECK(mode_of(dir.path / "signing.key") == 0600);
  CHECK(mode_of(dir.path / "pseudonym.key") == 0600);
  CHECK(mode_of(dir.path / "vault.key") == 0600);
  CHECK(fs::exists(dir.path / "signing.pub"));
  CHECK_FALSE(fs::exists(dir.path / "demo"));

  auto keys = crypto::load_key_folder(dir.path.string());
  REQUIRE(keys);
  CHECK(keys->pseudonym_key.size() == 32);
  CHECK(keys->vault_key.size() == 32);
  CHECK(keys->pseudonym_key != keys->vault_key);
  CHECK_FALSE(keys->is_demo);
  CHECK(keys->pseudonym_key_id().size() == 16);
  CHECK(keys->pseudonym_key_id() != keys->vault_key_id());

  auto pub = crypto::load_verify_key((dir.path / "signing.pub").string());
  REQUIRE(pub);
  CHECK(pub->key_id() == keys->signing_key_id());
}

TEST_CASE("keygen refuses to overwrite, and marks demo folders", "[crypto][keys]") {
  TempDir dir;
  REQUIRE(crypto::generate_key_folder(dir.path.string(), {.demo = true}));
  auto again = crypto::generate_key_folder(dir.path.string(), {});
  REQUIRE_FALSE(again);
  CHECK(again.error().code == ErrorCode::kUsage);
  auto keys = crypto::load_key_folder(dir.path.string());
  REQUIRE(keys);
  CHECK(keys->is_demo);
}

TEST_CASE("missing and malformed key files name the file", "[crypto][keys]") {
  TempDir dir;
  REQUIRE(crypto::generate_key_folder(dir.path.string(), {}));
  {
    std::ofstream out(dir.path / "vault.key");
    out << "abcd\n";
  }
  auto bad = crypto::load_key_folder(dir.path.string());
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == ErrorCode::kBadKey);
  CHECK(bad.error().where.file == (dir.path / "vault.key").string());

  fs::remove(dir.path / "signing.key");
  auto missing = crypto::load_key_folder(dir.path.string());
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == ErrorCode::kNotFound);
  CHECK(missing.error().where.file == (dir.path / "signing.key").string());
}
