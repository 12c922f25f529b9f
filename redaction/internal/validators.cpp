#include "redaction/internal/validators.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <utility>

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
constexpr std::array<std::pair<std::string_view, size_t>, 77> kIbanLengths = {{
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24}, {"DE", 22},
    {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18}, {"FO", 18}, {"FR", 27},
    {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28},
    {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20},
    {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27},
    {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NL", 18}, {"NO", 15},
    {"PK", 24}, {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"SA", 24},
    {"SC", 31}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"ST", 25}, {"SV", 28}, {"TL", 23},
    {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"XK", 20},
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
  if (p2 == 34 || p2 == 37) {
    return n == 15;
  }
  if (p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649)) {
    return n >= 16;
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

}  // namespace convaudit::redaction::internal
