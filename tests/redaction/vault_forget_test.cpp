// Erasure: Vault::forget and forget_subject (docs/vault-format.md, "Erasure").

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <catch2/catch.hpp>
#include <unistd.h>

#include "redaction/access_log.h"
#include "redaction/subject_access.h"
#include "redaction/vault.h"

using namespace convaudit::redaction;
using convaudit::ErrorCode;
namespace fs = std::filesystem;

namespace {

std::vector<uint8_t> key(uint8_t fill) {
  return std::vector<uint8_t>(32, fill);
}

struct TempVault {
  TempVault() {
    static int counter = 0;
    path = (fs::temp_directory_path() / ("convaudit_forget_test_" + std::to_string(::getpid()) +
                                         "_" + std::to_string(counter++) + ".bin"))
               .string();
    fs::remove(path);
    fs::remove(access_log_path(path));
  }
  ~TempVault() {
    fs::remove(path);
    fs::remove(access_log_path(path));
  }
  std::string path;
};

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

const std::string kToken1 = "<EMAIL_0123456789abcdef01>";
const std::string kToken2 = "<PHONE_aaaaaaaaaaaaaaaaaa>";

void store_two(const std::string& path) {
  auto vault = Vault::open(path, key(1));
  REQUIRE(vault);
  (*vault)->record(kToken1, PiiType::kEmail, "jane@example.com");
  (*vault)->record(kToken2, PiiType::kPhone, "+1 555 123 4567");
  REQUIRE((*vault)->flush());
}

}  // namespace

TEST_CASE("forget erases one subject, zeroes its wrapped key and keeps the others",
          "[redaction][vault][forget]") {
  TempVault tmp;
  store_two(tmp.path);
  const std::string before = read_all(tmp.path);
  {
    auto vault = Vault::open(tmp.path, key(1));
    REQUIRE(vault);
    REQUIRE((*vault)->forget(kToken1));
    auto erased = (*vault)->reveal(kToken1);
    REQUIRE_FALSE(erased);
    CHECK(erased.error().code == ErrorCode::kSubjectErased);
  }
  const std::string after = read_all(tmp.path);
  // Same bytes up to the old end except for a zeroed run (the wrapped key), then the forget record.
  REQUIRE(after.size() > before.size());
  size_t changed = 0;
  size_t first = std::string::npos;
  for (size_t i = 0; i < before.size(); ++i) {
    if (before[i] != after[i]) {
      CHECK(after[i] == '\0');
      first = std::min(first, i);
      ++changed;
    }
  }
  CHECK(changed >= 40);  // a 32-byte key sealed: nonce 12 + 32 + tag 16, almost all non-zero
  CHECK(first < before.size());

  auto reopened = Vault::open(tmp.path, key(1));
  REQUIRE(reopened);
  auto erased = (*reopened)->reveal(kToken1);
  REQUIRE_FALSE(erased);
  CHECK(erased.error().code == ErrorCode::kSubjectErased);
  auto other = (*reopened)->reveal(kToken2);
  REQUIRE(other);
  CHECK(other->value == "+1 555 123 4567");
  auto unknown = (*reopened)->reveal("<EMAIL_ffffffffffffffffff>");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().code == ErrorCode::kTokenUnknown);

  // An erased subject is never stored again, even when a later run sees the value.
  (*reopened)->record(kToken1, PiiType::kEmail, "jane@example.com");
  REQUIRE((*reopened)->flush());
  auto still = Vault::open(tmp.path, key(1));
  REQUIRE(still);
  CHECK((*still)->reveal(kToken1).error().code == ErrorCode::kSubjectErased);
  CHECK(read_all(tmp.path).find("jane@example.com") == std::string::npos);
}

TEST_CASE("forget of an unknown token fails, a second forget is harmless",
          "[redaction][vault][forget]") {
  TempVault tmp;
  store_two(tmp.path);
  auto vault = Vault::open(tmp.path, key(1));
  REQUIRE(vault);
  auto unknown = (*vault)->forget("<EMAIL_ffffffffffffffffff>");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().code == ErrorCode::kTokenUnknown);
  REQUIRE((*vault)->forget(kToken2));
  const auto size = fs::file_size(tmp.path);
  REQUIRE((*vault)->forget(kToken2));
  CHECK(fs::file_size(tmp.path) == size);  // no second forget record
  CHECK((*vault)->reveal(kToken1)->value == "jane@example.com");
}

TEST_CASE("forget seen by another open vault", "[redaction][vault][forget]") {
  TempVault tmp;
  store_two(tmp.path);
  auto first = Vault::open(tmp.path, key(1));
  auto second = Vault::open(tmp.path, key(1));
  REQUIRE(first);
  REQUIRE(second);
  REQUIRE((*first)->forget(kToken2));
  // The second handle indexed the file before the forget; its next forget re-reads the file.
  REQUIRE((*second)->forget(kToken2));
  CHECK((*second)->reveal(kToken2).error().code == ErrorCode::kSubjectErased);
}

TEST_CASE("forget_subject logs the erasure before it erases", "[redaction][forget]") {
  TempVault tmp;
  store_two(tmp.path);
  ForgetRequest request;
  request.token = kToken1;
  request.reason = "erasure request #7";
  request.who = "dpo";
  request.vault_path = tmp.path;
  request.vault_key = key(1);
  REQUIRE(forget_subject(request));
  const std::string log = read_all(access_log_path(tmp.path));
  CHECK(log.find("\"action\":\"forget\"") != std::string::npos);
  CHECK(log.find(kToken1) != std::string::npos);
  CHECK(log.find("erasure request #7") != std::string::npos);
  auto count = verify_access_log(access_log_path(tmp.path));
  REQUIRE(count);
  CHECK(*count == 1);

  // An attempt on an unknown token is still on the record, then fails.
  request.token = "<EMAIL_ffffffffffffffffff>";
  auto unknown = forget_subject(request);
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().code == ErrorCode::kTokenUnknown);
  CHECK(*verify_access_log(access_log_path(tmp.path)) == 2);

  request.reason.clear();
  auto no_reason = forget_subject(request);
  REQUIRE_FALSE(no_reason);
  CHECK(no_reason.error().code == ErrorCode::kUsage);
  request.reason = "x";
  request.token = "jane@example.com";
  CHECK(forget_subject(request).error().code == ErrorCode::kUsage);
  CHECK(*verify_access_log(access_log_path(tmp.path)) == 2);

  RevealRequest reveal;
  reveal.token = kToken1;
  reveal.reason = "check";
  reveal.who = "dpo";
  reveal.vault_path = tmp.path;
  reveal.vault_key = key(1);
  auto revealed = reveal_subject(reveal);
  REQUIRE_FALSE(revealed);
  CHECK(revealed.error().code == ErrorCode::kSubjectErased);
}
