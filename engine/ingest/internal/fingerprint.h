#pragma once
// Fingerprint: a 128-bit non-cryptographic hash of a sequence of fields, so that a set of
// identities (say, every call-log message of a session) costs 16 bytes per member instead of a
// copy of each member's text.
//
//   Fingerprint id = FingerprintBuilder().add(call_id).add(position).add(text).finish();
//
// The hash is MurmurHash3 x64_128 (Austin Appleby, public domain; seed 0), fed in pieces: the
// bytes given to append() hash exactly as their concatenation would in one call of the reference
// function. add() frames each field (its length first), so ("ab", "c") and ("a", "bc"), or a
// field holding a NUL, never give the same byte stream.
//
// Collisions: 128 well-mixed bits; among n distinct identities the chance that two share a
// fingerprint is about n^2 / 2^129, below 10^-20 for a session of a hundred million messages.
// Not a cryptographic hash: inputs can be crafted to collide (MurmurHash3 has seed-independent
// differential collisions), so it must only compare values whose differing parts an adversary
// does not fully control, or where a collision costs no more than a misjudged duplicate.
// OpenSSL hashes are only for engine/crypto.

#include <compare>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace convaudit::ingest::internal {

struct Fingerprint {
  uint64_t low = 0;
  uint64_t high = 0;
  auto operator<=>(const Fingerprint&) const = default;
};

// Hashes a Fingerprint for unordered containers (its low half is already well mixed).
struct FingerprintHash {
  size_t operator()(const Fingerprint& fingerprint) const {
    return static_cast<size_t>(fingerprint.low);
  }
};

// Accumulates fields; finish() may be called at any point and does not change the state.
// A value type: copy it to hash several identities that share a prefix.
class FingerprintBuilder {
 public:
  // One field: its length (8 bytes, little-endian), then its bytes.
  FingerprintBuilder& add(std::string_view field);
  // One integer field (8 bytes, little-endian, two's complement).
  FingerprintBuilder& add(int64_t value);
  // Bytes without framing (the reference function's input, for tests against its vectors).
  FingerprintBuilder& append(std::string_view bytes);

  Fingerprint finish() const;

 private:
  void mix_block(const unsigned char* block);

  uint64_t h1_ = 0;
  uint64_t h2_ = 0;
  uint64_t length_ = 0;       // bytes appended so far
  unsigned char tail_[16]{};  // the bytes of an unfinished block
  size_t tail_size_ = 0;
};

}  // namespace convaudit::ingest::internal
