#include "redaction/internal/validators.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <utility>

#include <arpa/inet.h>

#include "engine/core/hex.h"
#include "engine/crypto/sha256.h"

namespace convaudit::redaction::internal {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

int prefix_value(std::string_view digits, size_t n) {
  int value = 0;
  for (size_t i = 0; i < n && i < digits.size(); ++i) {
    value = value * 10 + (digits[i] - '0');
  }
  return value;
}

// ISO 13616 registry lengths (SWIFT IBAN registry).
constexpr std::array<std::pair<std::string_view, size_t>, 89> kIbanLengths = {{
    {"BI", 27}, {"DJ", 27}, {"FK", 18}, {"HN", 28}, {"MN", 20}, {"NI", 28}, {"OM", 23}, {"RU", 33},
    {"SD", 18}, {"SO", 23}, {"VG", 24}, {"YE", 30}, {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20},
    {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22}, {"BH", 22}, {"BR", 29}, {"BY", 28}, {"CH", 21},
    {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29},
    {"ES", 24}, {"FI", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18},
    {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26},
    {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20},
    {"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MR", 27},
    {"MT", 31}, {"MU", 30}, {"NL", 18}, {"NO", 15}, {"PK", 24}, {"PL", 28}, {"PS", 29}, {"PT", 25},
    {"QA", 29}, {"RO", 24}, {"RS", 22}, {"SA", 24}, {"SC", 31}, {"SE", 24}, {"SI", 19}, {"SK", 24},
    {"SM", 27}, {"ST", 25}, {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22},
    {"XK", 20},
}};

uint32_t bech32_polymod(const std::string& values) {
  constexpr std::array<uint32_t, 5> kGen = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd,
                                            0x2a1462b3};
  uint32_t chk = 1;
  for (char v : values) {
    const uint32_t top = chk >> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ static_cast<uint8_t>(v);
    for (size_t i = 0; i < kGen.size(); ++i) {
      if ((top >> i) & 1U) {
        chk ^= kGen[i];
      }
    }
  }
  return chk;
}

// Keccak-f[1600] permutation (FIPS 202 round constants and rotation offsets).
void keccak_f(std::array<uint64_t, 25>& a) {
  constexpr std::array<uint64_t, 24> kRc = {
      0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
      0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
      0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
      0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
      0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
      0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL};
  constexpr std::array<int, 25> kRot = {0,  1,  62, 28, 27, 36, 44, 6,  55, 20, 3,  10, 43,
                                        25, 39, 41, 45, 15, 21, 8,  18, 2,  61, 56, 14};
  auto rotl = [](uint64_t v, int n) { return n == 0 ? v : (v << n) | (v >> (64 - n)); };
  for (uint64_t rc : kRc) {
    std::array<uint64_t, 5> c{};
    for (int x = 0; x < 5; ++x) {
      c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
    }
    for (int x = 0; x < 5; ++x) {
      const uint64_t d = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
      for (int y = 0; y < 25; y += 5) {
        a[y + x] ^= d;
      }
    }
    std::array<uint64_t, 25> b{};
    for (int x = 0; x < 5; ++x) {
      for (int y = 0; y < 5; ++y) {
        b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(a[x + 5 * y], kRot[x + 5 * y]);
      }
    }
    for (int x = 0; x < 5; ++x) {
      for (int y = 0; y < 25; y += 5) {
        a[y + x] = b[y + x] ^ (~b[y + (x + 1) % 5] & b[y + (x + 2) % 5]);
      }
    }
    a[0] ^= rc;
  }
}

}  // namespace

std::string digits_of(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (is_digit(c)) {
      out.push_back(c);
    }
  }
  return out;
}

bool luhn_valid(std::string_view digits) {
  if (digits.empty()) {
    return false;
  }
  int sum = 0;
  bool double_it = false;
  for (size_t i = digits.size(); i-- > 0;) {
    if (!is_digit(digits[i])) {
      return false;
    }
    int d = digits[i] - '0';
    if (double_it) {
      d *= 2;
      if (d > 9) {
        d -= 9;
      }
    }
    sum += d;
    double_it = !double_it;
  }
  return sum % 10 == 0;
}

bool card_issuer_valid(std::string_view digits) {
  const size_t n = digits.size();
  if (n < 13 || n > 19) {
    return false;
  }
  const int p1 = prefix_value(digits, 1);
  const int p2 = prefix_value(digits, 2);
  const int p3 = prefix_value(digits, 3);
  const int p4 = prefix_value(digits, 4);
  if (p1 == 4) {
    return n == 13 || n == 16 || n == 19;
  }
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) {
    return n == 16;
  }
  // Diners Club International (300-305, 36, 38-39; 14 digits, or 16 when co-branded).
  if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39) {
    return n == 14 || n == 16;
  }
  // UnionPay (62, 16-19), which Discover also accepts.
  if (p2 == 62) {
    return n >= 16;
  }
  if (p2 == 34 || p2 == 37) {
    return n == 15;
  }
  if (p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649)) {
    return n >= 16;
  }
  // Maestro (5018, 5020, 5038, 5893, 6304, 6759, 6761-6763; 13-19 digits).
  if (p4 == 5018 || p4 == 5020 || p4 == 5038 || p4 == 5893 || p4 == 6304 || p4 == 6759 ||
      (p4 >= 6761 && p4 <= 6763)) {
    return true;
  }
  if (p4 >= 3528 && p4 <= 3589) {
    return n >= 16;
  }
  return false;
}

bool ssn_valid(std::string_view digits) {
  if (digits.size() != 9 || digits_of(digits).size() != 9) {
    return false;
  }
  const int area = prefix_value(digits, 3);
  const int group = prefix_value(digits.substr(3), 2);
  const int serial = prefix_value(digits.substr(5), 4);
  return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
}

std::optional<size_t> iban_length(std::string_view country) {
  for (const auto& [code, length] : kIbanLengths) {
    if (code == country) {
      return length;
    }
  }
  return std::nullopt;
}

bool iban_valid(std::string_view compact) {
  if (compact.size() < 4) {
    return false;
  }
  const auto length = iban_length(compact.substr(0, 2));
  if (!length || *length != compact.size() || !is_digit(compact[2]) || !is_digit(compact[3])) {
    return false;
  }
  // Move the first four characters to the end, letters become 10..35, then mod 97 piecewise.
  int remainder = 0;
  for (size_t k = 0; k < compact.size(); ++k) {
    const char c = compact[(k + 4) % compact.size()];
    if (is_digit(c)) {
      remainder = (remainder * 10 + (c - '0')) % 97;
    } else if (c >= 'A' && c <= 'Z') {
      remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
    } else {
      return false;
    }
  }
  return remainder == 1;
}

bool ipv4_valid(std::string_view text) {
  int parts = 0;
  size_t i = 0;
  while (i <= text.size()) {
    size_t j = i;
    int value = 0;
    while (j < text.size() && is_digit(text[j])) {
      value = value * 10 + (text[j] - '0');
      ++j;
    }
    const size_t len = j - i;
    if (len == 0 || len > 3 || value > 255) {
      return false;
    }
    ++parts;
    if (j == text.size()) {
      break;
    }
    if (text[j] != '.') {
      return false;
    }
    i = j + 1;
  }
  return parts == 4;
}

bool bech32_valid(std::string_view address) {
  constexpr std::string_view kCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  const size_t sep = address.rfind('1');
  if (sep == std::string_view::npos || sep == 0 || address.size() - sep < 7 ||
      address.size() > 90) {
    return false;
  }
  const std::string_view hrp = address.substr(0, sep);
  std::string values;
  for (char c : hrp) {
    values.push_back(static_cast<char>(static_cast<uint8_t>(c) >> 5));
  }
  values.push_back(0);
  for (char c : hrp) {
    values.push_back(static_cast<char>(static_cast<uint8_t>(c) & 31));
  }
  for (char c : address.substr(sep + 1)) {
    const size_t v = kCharset.find(c);
    if (v == std::string_view::npos) {
      return false;
    }
    values.push_back(static_cast<char>(v));
  }
  const uint32_t check = bech32_polymod(values);
  return check == 1 || check == 0x2bc830a3;
}

bool base58check_valid(std::string_view address) {
  constexpr std::string_view kAlphabet =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  if (address.size() < 26 || address.size() > 35) {
    return false;
  }
  // Big-endian base-256 accumulator; 25 bytes is all a valid address can hold.
  std::array<uint8_t, 25> bytes{};
  for (char c : address) {
    const size_t v = kAlphabet.find(c);
    if (v == std::string_view::npos) {
      return false;
    }
    uint32_t carry = static_cast<uint32_t>(v);
    for (size_t i = bytes.size(); i-- > 0;) {
      carry += 58U * bytes[i];
      bytes[i] = static_cast<uint8_t>(carry & 0xff);
      carry >>= 8;
    }
    if (carry != 0) {
      return false;  // more than 25 bytes
    }
  }
  // Each leading '1' is one leading zero byte; the value must not have more or fewer.
  size_t ones = 0;
  while (ones < address.size() && address[ones] == '1') {
    ++ones;
  }
  size_t zeros = 0;
  while (zeros < bytes.size() && bytes[zeros] == 0) {
    ++zeros;
  }
  if (ones != zeros) {
    return false;
  }
  if (bytes[0] != 0x00 && bytes[0] != 0x05) {
    return false;
  }
  const crypto::Digest first =
      crypto::sha256(std::span<const uint8_t>(bytes.data(), bytes.size() - 4));
  const crypto::Digest second =
      crypto::sha256(std::span<const uint8_t>(first.data(), first.size()));
  for (size_t i = 0; i < 4; ++i) {
    if (second[i] != bytes[21 + i]) {
      return false;
    }
  }
  return true;
}

std::string keccak256(std::string_view data) {
  constexpr size_t kRate = 136;  // bytes, for a 256-bit output
  std::array<uint64_t, 25> state{};
  auto absorb = [&state](const uint8_t* block) {
    for (size_t i = 0; i < kRate / 8; ++i) {
      uint64_t lane = 0;
      for (size_t b = 0; b < 8; ++b) {
        lane |= static_cast<uint64_t>(block[i * 8 + b]) << (8 * b);
      }
      state[i] ^= lane;
    }
    keccak_f(state);
  };
  size_t off = 0;
  while (data.size() - off >= kRate) {
    absorb(reinterpret_cast<const uint8_t*>(data.data() + off));
    off += kRate;
  }
  std::array<uint8_t, kRate> last{};
  for (size_t i = 0; off + i < data.size(); ++i) {
    last[i] = static_cast<uint8_t>(data[off + i]);
  }
  last[data.size() - off] ^= 0x01;  // Keccak padding (SHA-3 would use 0x06)
  last[kRate - 1] ^= 0x80;
  absorb(last.data());
  std::string out(32, '\0');
  for (size_t i = 0; i < 32; ++i) {
    out[i] = static_cast<char>((state[i / 8] >> (8 * (i % 8))) & 0xff);
  }
  return out;
}

bool eth_address_valid(std::string_view address) {
  if (address.size() != 42 || address[0] != '0' || (address[1] != 'x' && address[1] != 'X')) {
    return false;
  }
  const std::string_view hex = address.substr(2);
  bool has_lower = false;
  bool has_upper = false;
  std::string lowered;
  for (char c : hex) {
    if (core::hex_digit_value(c) < 0) {
      return false;
    }
    has_lower = has_lower || (c >= 'a' && c <= 'f');
    has_upper = has_upper || (c >= 'A' && c <= 'F');
    lowered.push_back(c >= 'A' && c <= 'F' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  if (!(has_lower && has_upper)) {
    return true;  // no checksum carried
  }
  const std::string hash = keccak256(lowered);
  for (size_t i = 0; i < 40; ++i) {
    const uint8_t byte = static_cast<uint8_t>(hash[i / 2]);
    const int nibble = i % 2 == 0 ? byte >> 4 : byte & 0x0f;
    const char c = hex[i];
    if (c >= '0' && c <= '9') {
      continue;
    }
    const bool upper = c >= 'A' && c <= 'F';
    if (upper != (nibble >= 8)) {
      return false;
    }
  }
  return true;
}

std::optional<std::string> ipv6_canonical(std::string_view text) {
  if (text.size() < 2 || text.size() > 45) {
    return std::nullopt;
  }
  const std::string copy(text);
  in6_addr addr{};
  if (inet_pton(AF_INET6, copy.c_str(), &addr) != 1) {
    return std::nullopt;
  }
  std::array<char, INET6_ADDRSTRLEN> buf{};
  if (inet_ntop(AF_INET6, &addr, buf.data(), buf.size()) == nullptr) {
    return std::nullopt;
  }
  return std::string(buf.data());
}

double shannon_entropy(std::string_view text) {
  if (text.empty()) {
    return 0.0;
  }
  std::array<size_t, 256> counts{};
  for (char c : text) {
    ++counts[static_cast<uint8_t>(c)];
  }
  double bits = 0.0;
  const double n = static_cast<double>(text.size());
  for (size_t count : counts) {
    if (count != 0) {
      const double p = static_cast<double>(count) / n;
      bits -= p * std::log2(p);
    }
  }
  return bits;
}

namespace {

bool ascii_digit(char c) {
  return c >= '0' && c <= '9';
}
bool word_char(char c) {
  return ascii_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool phone_char(char c) {
  return ascii_digit(c) || c == '-' || c == '.' || c == ' ' || c == '/' || c == '(' || c == ')';
}

// \d[\d\-. /()]*\d from `i`: the greedy star backs off to the last digit of the run.
std::optional<size_t> phone_tail(std::string_view text, size_t i) {
  if (i >= text.size() || !ascii_digit(text[i])) {
    return std::nullopt;
  }
  std::optional<size_t> end;
  for (size_t j = i + 1; j < text.size() && phone_char(text[j]); ++j) {
    if (ascii_digit(text[j])) {
      end = j + 1;
    }
  }
  return end;
}

}  // namespace

size_t first_digit(std::string_view text) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t word = 0;
    std::memcpy(&word, text.data() + i, 8);
    // Per byte b < 0x80: b + 0x50 has the high bit iff b >= '0', b + 0x46 iff b > '9'; no carry
    // crosses bytes once the high bits are masked off, and bytes >= 0x80 are excluded.
    const uint64_t low = word & ~kHigh;
    const uint64_t digits = (low + 0x50 * kOnes) & ~(low + 0x46 * kOnes) & ~word & kHigh;
    if (digits != 0) {
      break;  // the digit is in this word; the byte loop below finds which byte
    }
  }
  for (; i < text.size(); ++i) {
    if (ascii_digit(text[i])) {
      return i;
    }
  }
  return text.size();
}

// Bytes a match can start at: digits, plus '+' and '(' for phones.
constexpr std::array<bool, 256> kPhoneStart = [] {
  std::array<bool, 256> start{};
  for (char c : std::string_view("0123456789+(")) {
    start[static_cast<unsigned char>(c)] = true;
  }
  return start;
}();

std::optional<ByteRange> next_phone_run(std::string_view text, size_t from) {
  for (size_t s = from; s < text.size(); ++s) {
    if (!kPhoneStart[static_cast<unsigned char>(text[s])]) {
      continue;
    }
    const char c = text[s];
    std::optional<size_t> end;
    if (c == '+') {
      // \+ taken; \(? prefers the bracket, else the digit must follow the plus.
      if (s + 1 < text.size() && text[s + 1] == '(') {
        end = phone_tail(text, s + 2);
      } else {
        end = phone_tail(text, s + 1);
      }
    } else if (c == '(') {
      end = phone_tail(text, s + 1);
    } else if (ascii_digit(c)) {
      end = phone_tail(text, s);
    }
    if (end) {
      return ByteRange{s, *end};
    }
  }
  return std::nullopt;
}

std::optional<ByteRange> next_card_run(std::string_view text, size_t from) {
  const size_t n = text.size();
  size_t s = from;
  while (s < n) {
    while (s < n && !ascii_digit(text[s])) {
      ++s;
    }
    if (s == n) {
      break;
    }
    if (s > 0 && word_char(text[s - 1])) {
      ++s;
      continue;
    }
    // The chain digit ([ -.]? digit)* from s; the greedy repetition takes the longest prefix of
    // it with 13+ digits that ends at a word boundary.
    size_t count = 1;
    size_t j = s + 1;
    std::optional<size_t> best;
    while (true) {
      if (count >= 13 && (j == n || !word_char(text[j]))) {
        best = j;
      }
      if (j < n && ascii_digit(text[j])) {
        ++count;
        ++j;
      } else if (j + 1 < n && (text[j] == ' ' || text[j] == '-' || text[j] == '.') &&
                 ascii_digit(text[j + 1])) {
        ++count;
        j += 2;
      } else {
        break;
      }
    }
    if (best) {
      return ByteRange{s, *best};
    }
    // A later start inside the chain reaches the same ends with fewer digits: none matches.
    s = j;
  }
  return std::nullopt;
}

}  // namespace convaudit::redaction::internal
