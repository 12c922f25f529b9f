#include "engine/crypto/sha256.h"

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "engine/core/hex.h"

using namespace convaudit;

TEST_CASE("sha256 matches the FIPS 180-2 test vectors", "[crypto][sha256]") {
  CHECK(crypto::sha256_hex("") ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(crypto::sha256_hex("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(crypto::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("incremental hashing equals one-shot hashing", "[crypto][sha256]") {
  crypto::Sha256Hasher hasher;
  hasher.update(std::string_view("ab"));
  hasher.update(std::string_view(""));
  hasher.update(std::string_view("c"));
  CHECK(core::to_hex(hasher.finish()) == crypto::sha256_hex("abc"));
}

TEST_CASE("sha256_file hashes the stored bytes and reports the size", "[crypto][sha256]") {
  auto path = std::filesystem::temp_directory_path() / "convaudit_sha256_file_test.bin";
  std::string content(200000, 'x');
  content[12345] = '\0';
  {
    std::ofstream out(path, std::ios::binary);
    out << content;
  }
  auto digest = crypto::sha256_file(path.string());
  REQUIRE(digest);
  CHECK(digest->size_bytes == content.size());
  CHECK(digest->sha256_hex == crypto::sha256_hex(content));
  std::atomic<bool> stop{false};
  auto not_stopped = crypto::sha256_file(path.string(), &stop);
  REQUIRE(not_stopped);
  CHECK(not_stopped->sha256_hex == digest->sha256_hex);
  stop = true;  // a run that ends early stops hashing its input
  auto stopped = crypto::sha256_file(path.string(), &stop);
  REQUIRE_FALSE(stopped);
  CHECK(stopped.error().message == "stopped");
  std::filesystem::remove(path);

  auto missing = crypto::sha256_file(path.string());
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == ErrorCode::kNotFound);
  CHECK(missing.error().where.file == path.string());
}
