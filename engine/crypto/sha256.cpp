#include "engine/crypto/sha256.h"

#include <cstdio>
#include <memory>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "engine/core/check.h"
#include "engine/core/hex.h"
#include "engine/crypto/internal/openssl_error.h"

namespace convaudit::crypto {

namespace internal {

std::string openssl_error(const std::string& what) {
  std::string text = what;
  bool first = true;
  while (unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof(buffer));
    text += first ? ": " : "; ";
    text += buffer;
    first = false;
  }
  return text;
}

}  // namespace internal

namespace {

struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

}  // namespace

struct Sha256Hasher::Impl {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx;
  bool finished = false;
};

Sha256Hasher::Sha256Hasher() : impl_(std::make_unique<Impl>()) {
  impl_->ctx.reset(EVP_MD_CTX_new());
  CONVAUDIT_CHECK(impl_->ctx != nullptr);
  CONVAUDIT_CHECK(EVP_DigestInit_ex(impl_->ctx.get(), EVP_sha256(), nullptr) == 1);
}

Sha256Hasher::~Sha256Hasher() = default;

void Sha256Hasher::update(std::span<const uint8_t> data) {
  CONVAUDIT_CHECK(!impl_->finished);
  if (!data.empty()) {
    CONVAUDIT_CHECK(EVP_DigestUpdate(impl_->ctx.get(), data.data(), data.size()) == 1);
  }
}

void Sha256Hasher::update(std::string_view data) {
  update(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(data.data()), data.size()));
}

Digest Sha256Hasher::finish() {
  CONVAUDIT_CHECK(!impl_->finished);
  impl_->finished = true;
  Digest digest{};
  unsigned int length = 0;
  CONVAUDIT_CHECK(EVP_DigestFinal_ex(impl_->ctx.get(), digest.data(), &length) == 1);
  CONVAUDIT_CHECK(length == digest.size());
  return digest;
}

Digest sha256(std::span<const uint8_t> data) {
  Sha256Hasher hasher;
  hasher.update(data);
  return hasher.finish();
}

Digest sha256(std::string_view data) {
  Sha256Hasher hasher;
  hasher.update(data);
  return hasher.finish();
}

std::string sha256_hex(std::string_view data) {
  return core::to_hex(sha256(data));
}

Result<FileDigest> sha256_file(const std::string& path, const std::atomic<bool>* stop) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) {
    return fail(ErrorCode::kNotFound, "cannot open file", SourceLocation{path});
  }
  Sha256Hasher hasher;
  FileDigest result;
  std::vector<uint8_t> buffer(1 << 16);
  while (true) {
    if (stop != nullptr && stop->load(std::memory_order_relaxed)) {
      return fail(ErrorCode::kInternal, "stopped", SourceLocation{path});
    }
    size_t got = std::fread(buffer.data(), 1, buffer.size(), file.get());
    if (got > 0) {
      hasher.update(std::span<const uint8_t>(buffer.data(), got));
      result.size_bytes += got;
    }
    if (got < buffer.size()) {
      if (std::ferror(file.get())) {
        return fail(ErrorCode::kIo, "read error", SourceLocation{path});
      }
      break;
    }
  }
  result.sha256_hex = core::to_hex(hasher.finish());
  return result;
}

}  // namespace convaudit::crypto
