#pragma once
// Lower-case hexadecimal and standard base64 (RFC 4648, with padding) text encodings.

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

inline std::span<const uint8_t> as_bytes(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

}  // namespace convaudit::core
