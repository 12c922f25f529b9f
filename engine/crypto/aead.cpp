#include "engine/crypto/aead.h"

#include <memory>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "engine/core/check.h"
#include "engine/crypto/internal/openssl_error.h"

namespace convaudit::crypto {

namespace {

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

}  // namespace

Result<std::vector<uint8_t>> aead_seal(std::span<const uint8_t> key,
                                       std::span<const uint8_t> plaintext,
                                       std::span<const uint8_t> aad) {
  if (key.size() != kAeadKeyBytes) {
    return fail(ErrorCode::kBadKey, "AES-256-GCM key must be 32 bytes");
  }
  std::vector<uint8_t> out(kAeadNonceBytes + plaintext.size() + kAeadTagBytes);
  std::vector<uint8_t> nonce = random_bytes(kAeadNonceBytes);
  std::copy(nonce.begin(), nonce.end(), out.begin());
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int length = 0;
  if (!ctx ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce.data()) != 1 ||
      (!aad.empty() && EVP_EncryptUpdate(ctx.get(), nullptr, &length, aad.data(),
                                         static_cast<int>(aad.size())) != 1)) {
    return fail(ErrorCode::kCrypto, internal::openssl_error("AES-256-GCM init"));
  }
  uint8_t* cipher = out.data() + kAeadNonceBytes;
  int written = 0;
  if (!plaintext.empty()) {
    if (EVP_EncryptUpdate(ctx.get(), cipher, &length, plaintext.data(),
                          static_cast<int>(plaintext.size())) != 1) {
      return fail(ErrorCode::kCrypto, internal::openssl_error("AES-256-GCM encrypt"));
    }
    written = length;
  }
  if (EVP_EncryptFinal_ex(ctx.get(), cipher + written, &length) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kAeadTagBytes),
                          out.data() + kAeadNonceBytes + plaintext.size()) != 1) {
    return fail(ErrorCode::kCrypto, internal::openssl_error("AES-256-GCM finish"));
  }
  return out;
}

Result<std::vector<uint8_t>> aead_open(std::span<const uint8_t> key,
                                       std::span<const uint8_t> sealed,
                                       std::span<const uint8_t> aad) {
  if (key.size() != kAeadKeyBytes) {
    return fail(ErrorCode::kBadKey, "AES-256-GCM key must be 32 bytes");
  }
  if (sealed.size() < kAeadNonceBytes + kAeadTagBytes) {
    return fail(ErrorCode::kCrypto, "sealed box too short");
  }
  size_t cipher_size = sealed.size() - kAeadNonceBytes - kAeadTagBytes;
  std::vector<uint8_t> plain(cipher_size);
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int length = 0;
  if (!ctx ||
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), sealed.data()) != 1 ||
      (!aad.empty() && EVP_DecryptUpdate(ctx.get(), nullptr, &length, aad.data(),
                                         static_cast<int>(aad.size())) != 1)) {
    return fail(ErrorCode::kCrypto, internal::openssl_error("AES-256-GCM init"));
  }
  if (cipher_size > 0 &&
      EVP_DecryptUpdate(ctx.get(), plain.data(), &length, sealed.data() + kAeadNonceBytes,
                        static_cast<int>(cipher_size)) != 1) {
    return fail(ErrorCode::kCrypto, internal::openssl_error("AES-256-GCM decrypt"));
  }
  std::vector<uint8_t> tag(sealed.end() - kAeadTagBytes, sealed.end());
  uint8_t final_block[16];
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kAeadTagBytes),
                          tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), final_block, &length) != 1) {
    internal::openssl_error("");  // clear the queue
    return fail(ErrorCode::kCrypto, "authentication failed (wrong key or changed bytes)");
  }
  return plain;
}

std::vector<uint8_t> random_bytes(size_t count) {
  std::vector<uint8_t> out(count);
  if (count > 0) {
    CONVAUDIT_CHECK(RAND_bytes(out.data(), static_cast<int>(count)) == 1);
  }
  return out;
}

}  // namespace convaudit::crypto
