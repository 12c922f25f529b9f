#pragma once
// Lower-case hexadecimal and standard base64 (RFC 4648, with padding) text encodings, and the
// two small pieces every text decoder needs: one hex digit's value and a code point as UTF-8.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace convaudit::core {

std::string to_hex(std::span<const uint8_t> bytes);
// nullopt on odd length or a non-hex character.
std::optional<std::vector<uint8_t>> from_hex(std::string_view text);

std::string to_base64(std::span<const uint8_t> bytes);
// nullopt on any character outside the alphabet or bad padding.
std::optional<std::vector<uint8_t>> from_base64(std::string_view text);

// 0-15 for '0'-'9', 'a'-'f', 'A'-'F'; -1 for any other character.
int hex_digit_value(char c);
// Appends code point `code` (at most 0x10FFFF) to `out` as UTF-8, in 1 to 4 bytes.
void append_utf8(std::string& out, uint32_t code);

inline std::span<const uint8_t> as_bytes(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

}  // namespace convaudit::core
