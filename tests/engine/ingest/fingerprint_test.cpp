#include "engine/ingest/internal/fingerprint.h"

#include <cstdint>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

namespace convaudit::ingest::internal {
namespace {

Fingerprint of_bytes(std::string_view bytes) {
  return FingerprintBuilder().append(bytes).finish();
}

}  // namespace

TEST_CASE("fingerprint: MurmurHash3 x64_128 reference vectors (seed 0)", "[ingest][fingerprint]") {
  // From the reference implementation (aappleby/smhasher MurmurHash3_x64_128): out[0], out[1].
  struct Vector {
    std::string_view input;
    uint64_t low;
    uint64_t high;
  };
  const Vector vectors[] = {
      {"", 0x0000000000000000ULL, 0x0000000000000000ULL},
      {"a", 0x85555565f6597889ULL, 0xe6b53a48510e895aULL},
      {"abc", 0xb4963f3f3fad7867ULL, 0x3ba2744126ca2d52ULL},
      {"0123456789abcde", 0xa62dd5f6c0bf2351ULL, 0x4fccf50c7c544cf0ULL},
      {"0123456789abcdef", 0x4be06d94cf4ad1a7ULL, 0x87c35b5c63a708daULL},
      {"0123456789abcdefg", 0x8e32612daa45f9deULL, 0x0800f4c206c372eeULL},
      {"The quick brown fox jumps over the lazy dog", 0xe34bbc7bbc071b6cULL, 0x7a433ca9c49a9347ULL},
  };
  for (const Vector& v : vectors) {
    INFO("input '" << v.input << "'");
    const Fingerprint fingerprint = of_bytes(v.input);
    CHECK(fingerprint.low == v.low);
    CHECK(fingerprint.high == v.high);
  }
}

TEST_CASE("fingerprint: bytes appended in pieces hash as their concatenation",
          "[ingest][fingerprint]") {
  const std::string text = "The quick brown fox jumps over the lazy dog, then naps.";
  const Fingerprint whole = of_bytes(text);
  for (size_t a = 0; a <= text.size(); ++a) {
    for (size_t b = a; b <= text.size(); b += 7) {
      FingerprintBuilder builder;
      builder.append(std::string_view(text).substr(0, a));
      builder.append(std::string_view(text).substr(a, b - a));
      builder.append(std::string_view(text).substr(b));
      INFO("split at " << a << " and " << b);
      CHECK(builder.finish() == whole);
    }
  }
}

TEST_CASE("fingerprint: fields are framed by their length", "[ingest][fingerprint]") {
  const Fingerprint ab_c = FingerprintBuilder().add("ab").add("c").finish();
  CHECK(ab_c != FingerprintBuilder().add("a").add("bc").finish());
  CHECK(ab_c != FingerprintBuilder().add("abc").finish());
  CHECK(ab_c == FingerprintBuilder().add("ab").add("c").finish());
  using namespace std::string_literals;
  CHECK(FingerprintBuilder().add("x\0"s).add("y").finish() !=
        FingerprintBuilder().add("x").add("\0y"s).finish());
  CHECK(FingerprintBuilder().add(int64_t{1}).finish() !=
        FingerprintBuilder().add(int64_t{256}).finish());
  // finish() leaves the builder as it was: a shared prefix can go on.
  FingerprintBuilder prefix;
  prefix.add("call");
  const Fingerprint first = prefix.finish();
  CHECK(prefix.finish() == first);
  CHECK(prefix.add("more").finish() != first);
}

}  // namespace convaudit::ingest::internal
