#pragma once
// Checksums and shape checks behind the PII detector: a regex finds a candidate, one of these
// decides whether it is the real thing. Pure functions of their argument; no allocation beyond
// the returned values.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace convaudit::redaction::internal {

// The decimal digits of `text`, in order.
std::string digits_of(std::string_view text);

// Luhn mod-10 over a digit string (false for anything else).
bool luhn_valid(std::string_view digits);
// Issuer prefix and length: Visa 4 (13/16/19), Mastercard 51-55 and 2221-2720 (16), Amex 34/37
// (15), Discover 6011/65/644-649 (16-19), JCB 3528-3589 (16-19), Maestro 5018/5020/5038/5893/
// 6304/6759/6761-6763 (13-19).
bool card_issuer_valid(std::string_view digits);

// ddd-dd-dddd digits (9) with a valid area (not 000, 666, 900-999), group (not 00) and serial
// (not 0000).
bool ssn_valid(std::string_view digits);

// The registered IBAN length for a two-letter country code, or nullopt for an unknown country.
std::optional<size_t> iban_length(std::string_view country);
// Upper-case, space-free IBAN: known country, right length, mod-97 == 1.
bool iban_valid(std::string_view compact);

// Four dotted decimal octets, each 0-255 (no sign, at most 3 digits).
bool ipv4_valid(std::string_view text);

// Segwit address (bc1..., lower-case) with a valid bech32 or bech32m checksum.
bool bech32_valid(std::string_view address);

// Legacy Bitcoin address (P2PKH "1...", P2SH "3..."): base58 decodes to 25 bytes, version 0x00 or
// 0x05, and the last 4 bytes are the first 4 of SHA-256(SHA-256(first 21)).
bool base58check_valid(std::string_view address);

// Keccak-256 (the pre-SHA-3 padding used by Ethereum) of `data`, 32 bytes.
std::string keccak256(std::string_view data);
// "0x" + 40 hex digits. All-lower or all-upper hex carries no checksum and is accepted; mixed case
// must match the EIP-55 checksum (upper-case where the Keccak-256 nibble of the lower-case hex is
// >= 8).
bool eth_address_valid(std::string_view address);

// IPv6 in any textual form RFC 4291 allows (full, "::"-compressed, IPv4-mapped/embedded).
// Returns the canonical RFC 5952 form, or nullopt.
std::optional<std::string> ipv6_canonical(std::string_view text);

// Shannon entropy of the bytes of `text`, in bits per character.
double shannon_entropy(std::string_view text);

// Hand-written scanners for the two digit-run patterns that hit almost every text, so the
// detector needs no regex pass for them. Each returns exactly the leftmost match at or after
// `from` that RE2 returns for the pattern (word boundaries look at the byte before `from`), or
// nullopt. Linear in the scanned bytes.
struct ByteRange {
  size_t begin = 0;
  size_t end = 0;
};
// Offset of the first ASCII digit in `text`, or text.size(): eight bytes per step.
size_t first_digit(std::string_view text);
// \+?\(?\d[\d\-. /()]*\d
std::optional<ByteRange> next_phone_run(std::string_view text, size_t from);
// \b\d(?:[ \-.]?\d){12,}\b
std::optional<ByteRange> next_card_run(std::string_view text, size_t from);

}  // namespace convaudit::redaction::internal
