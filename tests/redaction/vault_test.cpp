#include "redaction/vault.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <unistd.h>

#include "redaction/internal/vault_format.h"

using namespace convaudit::redaction;
using convaudit::ErrorCode;
namespace fs = std::filesystem;

namespace {

std::vector<uint8_t> key(uint8_t fill) {
  return std::vector<uint8_t>(32, fill);
}

// Opens the vault at `path` under key(1); the test fails here when it cannot.
std::unique_ptr<Vault> open_vault(const std::string& path) {
  auto vault = Vault::open(path, key(1));
  REQUIRE(vault);
  return std::move(*vault);
}

// A fresh path under the temp folder, removed at the end of the test.
struct TempVault {
  TempVault() {
    static int counter = 0;
    path = (fs::temp_directory_path() / ("convaudit_vault_test_" + std::to_string(::getpid()) +
                                         "_" + std::to_string(counter++) + ".bin"))
               .string();
    fs::remove(path);
  }
  ~TempVault() { fs::remove(path); }
  std::string path;
};

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void append_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::app);
  out << bytes;
}

// The i-th of a run of IP-address tokens.
std::string ip_token(int i) {
  char token[32];
  std::snprintf(token, sizeof token, "<IP_%018x>", i);
  return token;
}

// Calls append() in a loop on its own thread until stop(), which returns how many failed
// (Catch2 assertions are for the test's own thread).
class BackgroundAppender {
 public:
  explicit BackgroundAppender(Vault& vault)
      : thread_([this, &vault] {
          while (!done_) {
            if (!vault.append()) {
              ++failed_;
            }
          }
        }) {}
  ~BackgroundAppender() { stop(); }
  int stop() {
    done_ = true;
    if (thread_.joinable()) {
      thread_.join();
    }
    return failed_;
  }

 private:
  std::atomic<bool> done_{false};
  std::atomic<int> failed_{0};
  std::thread thread_;
};

const std::string kToken1 = "<EMAIL_0123456789abcdef01>";
const std::string kToken2 = "<PHONE_aaaaaaaaaaaaaaaaaa>";

}  // namespace

TEST_CASE("vault round trip and reopen", "[redaction][vault]") {
  TempVault tmp;
  {
    auto vault = open_vault(tmp.path);
    vault->record(kToken1, PiiType::kEmail, "Jane@Example.com");
    vault->record(kToken2, PiiType::kPhone, "+1 555 123 4567");
    vault->record(kToken1, PiiType::kEmail, "Jane@Example.com");
    CHECK(vault->size() == 2);
    auto buffered = vault->reveal(kToken1);
    REQUIRE(buffered);
    CHECK(buffered->value == "Jane@Example.com");
    REQUIRE(vault->flush());
  }
  const std::string bytes = read_all(tmp.path);
  CHECK(bytes.compare(0, 8, "CAVAULT\n") == 0);
  CHECK(bytes.find("Jane@Example.com") == std::string::npos);  // encrypted at rest
  CHECK((fs::status(tmp.path).permissions() & fs::perms::others_read) == fs::perms::none);

  auto reopened = open_vault(tmp.path);
  CHECK(reopened->size() == 2);
  auto value = reopened->reveal(kToken2);
  REQUIRE(value);
  CHECK(value->type == PiiType::kPhone);
  CHECK(value->value == "+1 555 123 4567");
  auto unknown = reopened->reveal("<EMAIL_ffffffffffffffffff>");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().code == ErrorCode::kTokenUnknown);

  // Known with the same value: nothing new is written.
  reopened->record(kToken1, PiiType::kEmail, "Jane@Example.com");
  REQUIRE(reopened->flush());
  CHECK(read_all(tmp.path) == bytes);
}

TEST_CASE("entries not flushed by their owner are appended when the vault closes",
          "[redaction][vault]") {
  TempVault tmp;
  {
    auto vault = open_vault(tmp.path);
    vault->record(kToken2, PiiType::kPhone, "+44 20 7946 0958");
  }  // no flush()
  auto reopened = open_vault(tmp.path);
  auto value = reopened->reveal(kToken2);
  REQUIRE(value);
  CHECK(value->value == "+44 20 7946 0958");
}

TEST_CASE("a token appended by this vault is revealed from its record in the file",
          "[redaction][vault]") {
  // After flush() the vault keeps only a digest and the record's place for its own new entries:
  // reveal reads the sealed key and value back, also after another writer appended.
  TempVault tmp;
  auto vault = open_vault(tmp.path);
  vault->record(kToken1, PiiType::kEmail, "Jane@Example.com");
  REQUIRE(vault->flush());
  {
    auto other = open_vault(tmp.path);
    other->record(kToken2, PiiType::kPhone, "+1 555 123 4567");
    REQUIRE(other->flush());
  }
  auto value = vault->reveal(kToken1);
  REQUIRE(value);
  CHECK(value->type == PiiType::kEmail);
  CHECK(value->value == "Jane@Example.com");
  // The same value again is no collision (the digest answers) and writes nothing.
  const auto size_before = fs::file_size(tmp.path);
  vault->record(kToken1, PiiType::kEmail, "Jane@Example.com");
  REQUIRE(vault->flush());
  CHECK(fs::file_size(tmp.path) == size_before);
  // A different value for the token is still a collision.
  vault->record(kToken1, PiiType::kEmail, "someone.else@example.com");
  auto collided = vault->flush();
  REQUIRE_FALSE(collided);
  CHECK(collided.error().code == ErrorCode::kTokenCollision);

  // The record changed on disk under the vault: an error, never a wrong value.
  std::string bytes = read_all(tmp.path);
  const size_t at = bytes.find(kToken1);
  REQUIRE(at != std::string::npos);
  bytes[at + 1] = 'X';
  std::ofstream(tmp.path, std::ios::binary | std::ios::trunc) << bytes;
  auto damaged = vault->reveal(kToken1);
  REQUIRE_FALSE(damaged);
  CHECK(damaged.error().code == ErrorCode::kVaultCorrupt);
}

TEST_CASE("vault keys: wrong size, wrong key", "[redaction][vault]") {
  TempVault tmp;
  auto bad = Vault::open(tmp.path, std::vector<uint8_t>(16, 1));
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == ErrorCode::kBadKey);
  {
    auto vault = open_vault(tmp.path);
    vault->record(kToken1, PiiType::kEmail, "x@y.io");
    REQUIRE(vault->flush());
  }
  auto wrong = Vault::open(tmp.path, key(2));
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error().code == ErrorCode::kCrypto);
}

TEST_CASE("a wrapped key that fails to open reads as a crypto error", "[redaction][vault]") {
  TempVault tmp;
  {
    auto vault = open_vault(tmp.path);
    vault->record(kToken1, PiiType::kEmail, "x@y.io");
    REQUIRE(vault->flush());
  }
  // Flip the last byte (inside the sealed value's tag).
  std::string bytes = read_all(tmp.path);
  bytes.back() = static_cast<char>(bytes.back() ^ 0x01);
  std::ofstream(tmp.path, std::ios::binary | std::ios::trunc) << bytes;
  auto vault = open_vault(tmp.path);
  auto revealed = vault->reveal(kToken1);
  REQUIRE_FALSE(revealed);
  CHECK(revealed.error().code == ErrorCode::kCrypto);
}

TEST_CASE("a torn last record is ignored and cut on the next append", "[redaction][vault]") {
  TempVault tmp;
  {
    auto vault = open_vault(tmp.path);
    vault->record(kToken1, PiiType::kEmail, "x@y.io");
    vault->record(kToken2, PiiType::kPhone, "+15551234567");
    REQUIRE(vault->flush());
  }
  const std::string whole = read_all(tmp.path);
  // Cut the file in the middle of the second record.
  fs::resize_file(tmp.path, whole.size() - 10);
  {
    auto vault = open_vault(tmp.path);
    CHECK(vault->size() == 1);
    CHECK(vault->reveal(kToken1));
    CHECK(vault->reveal(kToken2).error().code == ErrorCode::kTokenUnknown);
    vault->record(kToken2, PiiType::kPhone, "+15551234567");
    REQUIRE(vault->flush());
  }
  auto vault = open_vault(tmp.path);
  CHECK(vault->size() == 2);
  auto phone = vault->reveal(kToken2);
  REQUIRE(phone);
  CHECK(phone->value == "+15551234567");
}

TEST_CASE("bad magic is corrupt; garbage in the middle is corrupt", "[redaction][vault]") {
  TempVault tmp;
  std::ofstream(tmp.path, std::ios::binary) << "NOTAVAULT and some more bytes to be long enough";
  auto vault = Vault::open(tmp.path, key(1));
  REQUIRE_FALSE(vault);
  CHECK(vault.error().code == ErrorCode::kVaultCorrupt);

  TempVault tmp2;
  {
    auto v = open_vault(tmp2.path);
  }
  // A record whose body is malformed, followed by a good record.
  std::string garbage("\x03\x00\x00\x00\x09xx", 7);
  convaudit::redaction::internal::VaultRecord forget;
  forget.kind = convaudit::redaction::internal::VaultRecordKind::kForget;
  forget.token = kToken1;
  append_bytes(tmp2.path, garbage + convaudit::redaction::internal::encode_vault_record(forget));
  auto corrupt = Vault::open(tmp2.path, key(1));
  REQUIRE_FALSE(corrupt);
  CHECK(corrupt.error().code == ErrorCode::kVaultCorrupt);
}

TEST_CASE("collisions are reported, never merged", "[redaction][vault]") {
  TempVault tmp;
  {
    auto vault = open_vault(tmp.path);
    vault->record(kToken1, PiiType::kEmail, "a@x.io");
    vault->record(kToken1, PiiType::kEmail, "b@x.io");
    auto st = vault->flush();
    REQUIRE_FALSE(st);
    CHECK(st.error().code == ErrorCode::kTokenCollision);
    CHECK(vault->flush());  // reported once
    CHECK(vault->reveal(kToken1)->value == "a@x.io");
  }
  // Against a stored entry, across instances.
  auto vault = open_vault(tmp.path);
  vault->record(kToken1, PiiType::kEmail, "c@x.io");
  auto st = vault->flush();
  REQUIRE_FALSE(st);
  CHECK(st.error().code == ErrorCode::kTokenCollision);
  CHECK(vault->reveal(kToken1)->value == "a@x.io");
}

TEST_CASE("two vault instances appending to one file", "[redaction][vault]") {
  TempVault tmp;
  auto a = Vault::open(tmp.path, key(1));
  auto b = Vault::open(tmp.path, key(1));
  REQUIRE(a);
  REQUIRE(b);
  (*a)->record(kToken1, PiiType::kEmail, "x@y.io");
  (*b)->record(kToken2, PiiType::kPhone, "+15551234567");
  (*b)->record(kToken1, PiiType::kEmail, "other@y.io");
  REQUIRE((*a)->flush());
  auto st = (*b)->flush();  // sees a's record first: its kToken1 collides
  REQUIRE_FALSE(st);
  CHECK(st.error().code == ErrorCode::kTokenCollision);
  auto c = open_vault(tmp.path);
  CHECK(c->size() == 2);
  CHECK(c->reveal(kToken1)->value == "x@y.io");
  CHECK(c->reveal(kToken2)->value == "+15551234567");
}

TEST_CASE("a forget record erases the subject", "[redaction][vault]") {
  TempVault tmp;
  {
    auto vault = open_vault(tmp.path);
    vault->record(kToken1, PiiType::kEmail, "x@y.io");
    vault->record(kToken2, PiiType::kPhone, "+15551234567");
    REQUIRE(vault->flush());
  }
  convaudit::redaction::internal::VaultRecord forget;
  forget.kind = convaudit::redaction::internal::VaultRecordKind::kForget;
  forget.token = kToken1;
  forget.erased_at_ns = 1'700'000'000'000'000'000;
  append_bytes(tmp.path, convaudit::redaction::internal::encode_vault_record(forget));
  auto vault = open_vault(tmp.path);
  auto erased = vault->reveal(kToken1);
  REQUIRE_FALSE(erased);
  CHECK(erased.error().code == ErrorCode::kSubjectErased);
  CHECK(vault->reveal(kToken2));
  // Seen again later: not stored again.
  const auto size_before = fs::file_size(tmp.path);
  vault->record(kToken1, PiiType::kEmail, "x@y.io");
  REQUIRE(vault->flush());
  CHECK(fs::file_size(tmp.path) == size_before);
}

TEST_CASE("append() writes without fsync; flush() makes it durable; both keep tokens revealable",
          "[redaction][vault]") {
  TempVault tmp;
  auto vault = open_vault(tmp.path);
  vault->record(kToken1, PiiType::kEmail, "Jane@Example.com");
  const auto empty_size = fs::file_size(tmp.path);
  REQUIRE(vault->append());
  const auto appended_size = fs::file_size(tmp.path);
  CHECK(appended_size > empty_size);  // in the file already, before any flush()
  CHECK(vault->size() == 1);
  CHECK(vault->reveal(kToken1)->value == "Jane@Example.com");
  {
    auto reader = open_vault(tmp.path);  // another instance sees the appended record
    CHECK(reader->reveal(kToken1)->value == "Jane@Example.com");
  }
  vault->record(kToken2, PiiType::kPhone, "+1 555 123 4567");
  CHECK(vault->size() == 2);
  REQUIRE(vault->flush());
  CHECK(fs::file_size(tmp.path) > appended_size);
  REQUIRE(vault->flush());  // nothing new: nothing written
  auto reopened = open_vault(tmp.path);
  CHECK(reopened->size() == 2);
  CHECK(reopened->reveal(kToken2)->value == "+1 555 123 4567");
}

TEST_CASE("tokens recorded while a flush seals stay visible and are written once",
          "[redaction][vault]") {
  // flush() seals without the lock record() takes: recording, revealing and counting go on
  // meanwhile, and a token recorded twice is written once.
  TempVault tmp;
  auto vault = open_vault(tmp.path);
  BackgroundAppender appender(*vault);
  for (int i = 0; i < 300; ++i) {
    const std::string token = ip_token(i);
    const std::string value = "10.0.0." + std::to_string(i);
    vault->record(token, PiiType::kIpAddress, value);
    vault->record(token, PiiType::kIpAddress, value);
    auto seen = vault->reveal(token);
    REQUIRE(seen);
    CHECK(seen->value == value);
    CHECK(vault->size() == static_cast<size_t>(i + 1));
  }
  CHECK(appender.stop() == 0);
  REQUIRE(vault->flush());
  const auto size = fs::file_size(tmp.path);
  auto reopened = open_vault(tmp.path);
  CHECK(reopened->size() == 300);
  CHECK(reopened->reveal("<IP_00000000000000012b>")->value == "10.0.0.299");
  // Each token once: a second vault with the same 300 entries has the same size.
  TempVault again;
  auto other = open_vault(again.path);
  for (int i = 0; i < 300; ++i) {
    const std::string token = ip_token(i);
    other->record(token, PiiType::kIpAddress, "10.0.0." + std::to_string(i));
  }
  REQUIRE(other->flush());
  CHECK(fs::file_size(again.path) == size);
}

TEST_CASE("forget() while another thread appends: every forgotten subject stays erased",
          "[redaction][vault]") {
  // forget() may erase a pending entry a concurrent append() is sealing; it waits for the
  // append instead (under AddressSanitizer a read of the erased entry would be reported).
  TempVault tmp;
  auto vault = open_vault(tmp.path);
  BackgroundAppender appender(*vault);
  int failed_forgets = 0;
  for (int i = 0; i < 100; ++i) {
    const std::string token = ip_token(i);
    vault->record(token, PiiType::kIpAddress, "10.1.0." + std::to_string(i));
    failed_forgets += vault->forget(token) ? 0 : 1;
  }
  CHECK(appender.stop() == 0);
  CHECK(failed_forgets == 0);
  REQUIRE(vault->flush());
  auto reopened = open_vault(tmp.path);
  for (int i = 0; i < 100; i += 9) {
    const std::string token = ip_token(i);
    auto value = reopened->reveal(token);
    REQUIRE_FALSE(value);
    CHECK(value.error().code == ErrorCode::kSubjectErased);
  }
}

TEST_CASE("discard_pending() drops buffered entries without writing them", "[redaction][vault]") {
  TempVault tmp;
  auto vault = open_vault(tmp.path);
  vault->record(kToken1, PiiType::kEmail, "Jane@Example.com");
  REQUIRE(vault->flush());
  const auto size = fs::file_size(tmp.path);
  vault->record(kToken2, PiiType::kPhone, "+1 555 123 4567");
  CHECK(vault->size() == 2);
  vault->discard_pending();
  CHECK(vault->size() == 1);
  REQUIRE(vault->flush());
  CHECK(fs::file_size(tmp.path) == size);
  CHECK(vault->reveal(kToken1)->value == "Jane@Example.com");
  auto gone = vault->reveal(kToken2);
  REQUIRE_FALSE(gone);
  CHECK(gone.error().code == ErrorCode::kTokenUnknown);
}

TEST_CASE("record() from many threads", "[redaction][vault]") {
  TempVault tmp;
  auto vault = open_vault(tmp.path);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&vault] {
      for (int i = 0; i < 200; ++i) {
        const std::string token = ip_token(i);
        vault->record(token, PiiType::kIpAddress, "10.0.0." + std::to_string(i));
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  CHECK(vault->size() == 200);
  REQUIRE(vault->flush());
  auto reopened = open_vault(tmp.path);
  CHECK(reopened->size() == 200);
  CHECK(reopened->reveal("<IP_0000000000000000c7>")->value == "10.0.0.199");
}
