#include "engine/crypto/key_set.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/core/hex.h"
#include "engine/crypto/aead.h"
#include "engine/crypto/sha256.h"

namespace convaudit::crypto {

namespace {

namespace fs = std::filesystem;

// Writes `content` to a new file with `mode`, atomically (temp file + rename).
Status write_key_file(const std::string& path, std::string_view content, mode_t mode) {
  std::string temp = path + ".tmp";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) {
    return fail(ErrorCode::kIo, std::string("cannot create: ") + std::strerror(errno),
                SourceLocation{temp});
  }
  ::fchmod(fd, mode);  // umask may have narrowed or widened nothing; make it exact
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      ::close(fd);
      return fail(ErrorCode::kIo, std::string("write failed: ") + std::strerror(errno),
                  SourceLocation{temp});
    }
    done += static_cast<size_t>(n);
  }
  ::fsync(fd);
  ::close(fd);
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    return fail(ErrorCode::kIo, std::string("rename failed: ") + std::strerror(errno),
                SourceLocation{path});
  }
  return ok_status();
}

Result<std::string> read_key_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(ErrorCode::kNotFound, "key file missing or unreadable", SourceLocation{path});
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Result<std::vector<uint8_t>> read_symmetric_key(const std::string& path) {
  auto text = read_key_file(path);
  if (!text) {
    return fail(text.error());
  }
  std::string_view body = *text;
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r' || body.back() == ' ')) {
    body.remove_suffix(1);
  }
  auto bytes = core::from_hex(body);
  if (!bytes || bytes->size() != 32) {
    return fail(ErrorCode::kBadKey, "expected 32 bytes as 64 hex digits", SourceLocation{path});
  }
  return *bytes;
}

}  // namespace

std::string symmetric_key_id(const std::vector<uint8_t>& key) {
  return core::to_hex(sha256(std::span<const uint8_t>(key))).substr(0, 16);
}

std::string KeySet::pseudonym_key_id() const {
  return symmetric_key_id(pseudonym_key);
}
std::string KeySet::vault_key_id() const {
  return symmetric_key_id(vault_key);
}

Status generate_key_folder(const std::string& dir, const KeygenOptions& options) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return fail(ErrorCode::kIo, "cannot create key folder: " + ec.message(), SourceLocation{dir});
  }
  ::chmod(dir.c_str(), 0700);
  const std::string signing_path = dir + "/signing.key";
  if (!options.overwrite && (fs::exists(signing_path) || fs::exists(dir + "/vault.key") ||
                             fs::exists(dir + "/pseudonym.key"))) {
    return fail(ErrorCode::kUsage, "keys already exist; refusing to overwrite them",
                SourceLocation{dir});
  }
  auto signing = SigningKey::generate();
  if (!signing) {
    return fail(signing.error());
  }
  std::vector<uint8_t> pseudonym = random_bytes(32);
  std::vector<uint8_t> vault = random_bytes(32);
  if (auto st = write_key_file(signing_path, signing->private_pem(), 0600); !st)
    return st;
  if (auto st = write_key_file(dir + "/signing.pub", signing->public_pem(), 0644); !st)
    return st;
  if (auto st = write_key_file(dir + "/pseudonym.key", core::to_hex(pseudonym) + "\n", 0600); !st)
    return st;
  if (auto st = write_key_file(dir + "/vault.key", core::to_hex(vault) + "\n", 0600); !st)
    return st;
  if (options.demo) {
    if (auto st = write_key_file(dir + "/demo", "", 0644); !st)
      return st;
  } else {
    fs::remove(dir + "/demo", ec);
  }
  return ok_status();
}

Result<KeySet> load_key_folder(const std::string& dir) {
  auto pem = read_key_file(dir + "/signing.key");
  if (!pem) {
    return fail(pem.error());
  }
  auto signing = SigningKey::from_pem(*pem);
  if (!signing) {
    Error error = signing.error();
    error.where.file = dir + "/signing.key";
    return fail(error);
  }
  auto pseudonym = read_symmetric_key(dir + "/pseudonym.key");
  if (!pseudonym) {
    return fail(pseudonym.error());
  }
  auto vault = read_symmetric_key(dir + "/vault.key");
  if (!vault) {
    return fail(vault.error());
  }
  if (*vault == *pseudonym) {
    return fail(ErrorCode::kBadKey, "vault key and pseudonym key must differ",
                SourceLocation{dir + "/vault.key"});
  }
  return KeySet{std::move(*signing), std::move(*pseudonym), std::move(*vault),
                fs::exists(dir + "/demo")};
}

Result<VerifyKey> load_verify_key(const std::string& path) {
  auto pem = read_key_file(path);
  if (!pem) {
    return fail(pem.error());
  }
  auto key = VerifyKey::from_pem(*pem);
  if (!key) {
    Error error = key.error();
    error.where.file = path;
    return fail(error);
  }
  return key;
}

}  // namespace convaudit::crypto
