#include "engine/crypto/ed25519.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "engine/core/check.h"
#include "engine/core/hex.h"
#include "engine/crypto/internal/openssl_error.h"
#include "engine/crypto/sha256.h"

namespace convaudit::crypto {

namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Bio = std::unique_ptr<BIO, BioFree>;

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long length = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(length));
}

std::string public_pem_of(EVP_PKEY* key) {
  Bio bio(BIO_new(BIO_s_mem()));
  CONVAUDIT_CHECK(bio && PEM_write_bio_PUBKEY(bio.get(), key) == 1);
  return bio_text(bio.get());
}

std::string key_id_of(EVP_PKEY* key) {
  uint8_t raw[32];
  size_t length = sizeof(raw);
  CONVAUDIT_CHECK(EVP_PKEY_get_raw_public_key(key, raw, &length) == 1 && length == 32);
  return core::to_hex(sha256(std::span<const uint8_t>(raw, length))).substr(0, 16);
}

bool is_ed25519(EVP_PKEY* key) {
  return EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519;
}

}  // namespace

struct SigningKey::Impl {
  Pkey key;
};

struct VerifyKey::Impl {
  Pkey key;
};

SigningKey::SigningKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SigningKey::SigningKey(SigningKey&&) noexcept = default;
SigningKey& SigningKey::operator=(SigningKey&&) noexcept = default;
SigningKey::~SigningKey() = default;

Result<SigningKey> SigningKey::generate() {
  Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!key) {
    return fail(ErrorCode::kCrypto, internal::openssl_error("Ed25519 key generation"));
  }
  auto impl = std::make_unique<Impl>();
  impl->key = std::move(key);
  return SigningKey(std::move(impl));
}

Result<SigningKey> SigningKey::from_pem(std::string_view pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  Pkey key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key) {
    return fail(ErrorCode::kBadKey, internal::openssl_error("not a PEM private key"));
  }
  if (!is_ed25519(key.get())) {
    return fail(ErrorCode::kBadKey, "private key is not Ed25519");
  }
  auto impl = std::make_unique<Impl>();
  impl->key = std::move(key);
  return SigningKey(std::move(impl));
}

std::string SigningKey::private_pem() const {
  Bio bio(BIO_new(BIO_s_mem()));
  CONVAUDIT_CHECK(bio && PEM_write_bio_PrivateKey(bio.get(), impl_->key.get(), nullptr, nullptr, 0,
                                                  nullptr, nullptr) == 1);
  return bio_text(bio.get());
}

std::string SigningKey::public_pem() const {
  return public_pem_of(impl_->key.get());
}

std::string SigningKey::key_id() const {
  return key_id_of(impl_->key.get());
}

VerifyKey SigningKey::verify_key() const {
  uint8_t raw[32];
  size_t length = sizeof(raw);
  CONVAUDIT_CHECK(EVP_PKEY_get_raw_public_key(impl_->key.get(), raw, &length) == 1);
  auto impl = std::make_unique<VerifyKey::Impl>();
  impl->key.reset(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, raw, length));
  CONVAUDIT_CHECK(impl->key != nullptr);
  return VerifyKey(std::move(impl));
}

Result<std::vector<uint8_t>> SigningKey::sign(std::span<const uint8_t> message) const {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  std::vector<uint8_t> signature(64);
  size_t length = signature.size();
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, impl_->key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), signature.data(), &length, message.data(), message.size()) != 1) {
    return fail(ErrorCode::kCrypto, internal::openssl_error("Ed25519 sign"));
  }
  signature.resize(length);
  return signature;
}

VerifyKey::VerifyKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
VerifyKey::VerifyKey(VerifyKey&&) noexcept = default;
VerifyKey& VerifyKey::operator=(VerifyKey&&) noexcept = default;
VerifyKey::~VerifyKey() = default;

Result<VerifyKey> VerifyKey::from_pem(std::string_view pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  Pkey key(bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key) {
    return fail(ErrorCode::kBadKey, internal::openssl_error("not a PEM public key"));
  }
  if (!is_ed25519(key.get())) {
    return fail(ErrorCode::kBadKey, "public key is not Ed25519");
  }
  auto impl = std::make_unique<Impl>();
  impl->key = std::move(key);
  return VerifyKey(std::move(impl));
}

std::string VerifyKey::public_pem() const {
  return public_pem_of(impl_->key.get());
}

std::string VerifyKey::key_id() const {
  return key_id_of(impl_->key.get());
}

bool VerifyKey::verify(std::span<const uint8_t> message, std::span<const uint8_t> signature) const {
  if (signature.size() != 64) {
    return false;
  }
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  bool ok = ctx &&
            EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, impl_->key.get()) == 1 &&
            EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(),
                             message.size()) == 1;
  internal::openssl_error("");  // a failed verify leaves errors on the queue
  return ok;
}

}  // namespace convaudit::crypto
