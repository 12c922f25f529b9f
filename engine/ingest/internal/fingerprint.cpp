#include "engine/ingest/internal/fingerprint.h"

#include <algorithm>
#include <cstring>

namespace convaudit::ingest::internal {
namespace {

constexpr uint64_t kC1 = 0x87c37b91114253d5ULL;
constexpr uint64_t kC2 = 0x4cf5ad432745937fULL;

uint64_t rotl(uint64_t x, int r) {
  return (x << r) | (x >> (64 - r));
}

uint64_t fmix(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

// Little-endian on every platform, so a fingerprint never depends on the machine.
uint64_t load_le(const unsigned char* bytes, size_t count) {
  uint64_t value = 0;
  for (size_t i = 0; i < count; ++i) {
    value |= static_cast<uint64_t>(bytes[i]) << (8 * i);
  }
  return value;
}

void store_le(uint64_t value, unsigned char* bytes) {
  for (size_t i = 0; i < 8; ++i) {
    bytes[i] = static_cast<unsigned char>(value >> (8 * i));
  }
}

}  // namespace

void FingerprintBuilder::mix_block(const unsigned char* block) {
  uint64_t k1 = load_le(block, 8);
  uint64_t k2 = load_le(block + 8, 8);
  k1 *= kC1;
  k1 = rotl(k1, 31);
  k1 *= kC2;
  h1_ ^= k1;
  h1_ = rotl(h1_, 27);
  h1_ += h2_;
  h1_ = h1_ * 5 + 0x52dce729;
  k2 *= kC2;
  k2 = rotl(k2, 33);
  k2 *= kC1;
  h2_ ^= k2;
  h2_ = rotl(h2_, 31);
  h2_ += h1_;
  h2_ = h2_ * 5 + 0x38495ab5;
}

FingerprintBuilder& FingerprintBuilder::append(std::string_view bytes) {
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t size = bytes.size();
  length_ += size;
  if (tail_size_ > 0) {
    const size_t take = std::min(size, sizeof(tail_) - tail_size_);
    std::memcpy(tail_ + tail_size_, data, take);
    tail_size_ += take;
    data += take;
    size -= take;
    if (tail_size_ < sizeof(tail_)) {
      return *this;
    }
    mix_block(tail_);
    tail_size_ = 0;
  }
  for (; size >= sizeof(tail_); data += sizeof(tail_), size -= sizeof(tail_)) {
    mix_block(data);
  }
  if (size > 0) {
    std::memcpy(tail_, data, size);
    tail_size_ = size;
  }
  return *this;
}

FingerprintBuilder& FingerprintBuilder::add(std::string_view field) {
  add(static_cast<int64_t>(field.size()));
  return append(field);
}

FingerprintBuilder& FingerprintBuilder::add(int64_t value) {
  unsigned char bytes[8];
  store_le(static_cast<uint64_t>(value), bytes);
  return append(std::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)));
}

Fingerprint FingerprintBuilder::finish() const {
  uint64_t h1 = h1_;
  uint64_t h2 = h2_;
  if (tail_size_ > 8) {
    uint64_t k2 = load_le(tail_ + 8, tail_size_ - 8);
    k2 *= kC2;
    k2 = rotl(k2, 33);
    k2 *= kC1;
    h2 ^= k2;
  }
  if (tail_size_ > 0) {
    uint64_t k1 = load_le(tail_, std::min<size_t>(tail_size_, 8));
    k1 *= kC1;
    k1 = rotl(k1, 31);
    k1 *= kC2;
    h1 ^= k1;
  }
  h1 ^= length_;
  h2 ^= length_;
  h1 += h2;
  h2 += h1;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h1 += h2;
  h2 += h1;
  return Fingerprint{h1, h2};
}

}  // namespace convaudit::ingest::internal
