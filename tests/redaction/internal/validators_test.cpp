#include "redaction/internal/validators.h"

#include <optional>
#include <random>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/core/hex.h"
#include "engine/match/regex.h"

using namespace convaudit::redaction::internal;

TEST_CASE("Luhn", "[redaction][validators]") {
  CHECK(luhn_valid("4111111111111111"));
  CHECK(luhn_valid("79927398713"));
  CHECK_FALSE(luhn_valid("79927398710"));
  CHECK_FALSE(luhn_valid("4111x11111111111"));
  CHECK_FALSE(luhn_valid(""));
}

TEST_CASE("card issuer prefixes and lengths", "[redaction][validators]") {
  CHECK(card_issuer_valid("4111111111111111"));
  CHECK(card_issuer_valid("2720990000000000"));
  CHECK_FALSE(card_issuer_valid("2721000000000000"));
  CHECK(card_issuer_valid("371449635398431"));
  CHECK_FALSE(card_issuer_valid("3714496353984310"));  // Amex is 15 digits
  CHECK(card_issuer_valid("6449000000000000"));
  CHECK_FALSE(card_issuer_valid("6430000000000000"));
  CHECK(card_issuer_valid("3589000000000000"));
  CHECK_FALSE(card_issuer_valid("3590000000000000"));
  CHECK_FALSE(card_issuer_valid("411111111111"));
}

TEST_CASE("SSN ranges", "[redaction][validators]") {
  CHECK(ssn_valid("123456789"));
  CHECK(ssn_valid("899991234"));
  CHECK_FALSE(ssn_valid("000123456"));
  CHECK_FALSE(ssn_valid("666123456"));
  CHECK_FALSE(ssn_valid("900123456"));
  CHECK_FALSE(ssn_valid("123004567"));
  CHECK_FALSE(ssn_valid("123450000"));
  CHECK_FALSE(ssn_valid("12345678"));
}

TEST_CASE("IBAN mod-97 and lengths", "[redaction][validators]") {
  CHECK(iban_valid("DE89370400440532013000"));
  CHECK(iban_valid("GB82WEST12345698765432"));
  CHECK(iban_valid("NO9386011117947"));
  CHECK_FALSE(iban_valid("DE88370400440532013000"));
  CHECK_FALSE(iban_valid("DE8937040044053201300"));
  CHECK(iban_length("FR") == 27u);
  CHECK_FALSE(iban_length("ZZ"));
}

TEST_CASE("IPv4 octets", "[redaction][validators]") {
  CHECK(ipv4_valid("0.0.0.0"));
  CHECK(ipv4_valid("255.255.255.255"));
  CHECK_FALSE(ipv4_valid("256.0.0.1"));
  CHECK_FALSE(ipv4_valid("1.2.3"));
  CHECK_FALSE(ipv4_valid("1.2.3.4.5"));
  CHECK_FALSE(ipv4_valid("1..3.4"));
  CHECK_FALSE(ipv4_valid("1234.1.1.1"));
}

TEST_CASE("bech32 checksums", "[redaction][validators]") {
  CHECK(bech32_valid("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"));
  CHECK(bech32_valid("bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297"));  // m
  CHECK_FALSE(bech32_valid("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5"));
  CHECK_FALSE(bech32_valid("bc1qw508d6qejxtdg4y5r3zarvaryb0c5xw7kv8f3t4"));
}

TEST_CASE("entropy", "[redaction][validators]") {
  CHECK(shannon_entropy("aaaa") == Approx(0.0));
  CHECK(shannon_entropy("abcd") == Approx(2.0));
}

TEST_CASE("Keccak-256, EIP-55, base58check, IPv6", "[redaction][validators]") {
  auto hex = [](const std::string& bytes) {
    return convaudit::core::to_hex(
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  };
  // Keccak-256, not SHA3-256 (which gives a7ffc6f8...).
  CHECK(hex(keccak256("")) == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  CHECK(hex(keccak256(std::string(200, 'a'))).size() == 64);  // more than one block
  CHECK(eth_address_valid("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"));
  CHECK(eth_address_valid("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB"));
  CHECK_FALSE(eth_address_valid("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d35A"));
  CHECK(eth_address_valid("0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359"));
  CHECK_FALSE(eth_address_valid("0xfb6916095ca1df60bb79ce92ce3ea74c37c5d35"));
  CHECK(base58check_valid("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"));
  CHECK_FALSE(base58check_valid("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb"));
  CHECK_FALSE(base58check_valid("1A1zP1eP5QGefi2DMPTfTL5SLmv7Divf0a"));  // '0' not base58
  CHECK(ipv6_canonical("2001:DB8:0:0:0:0:0:1") == std::optional<std::string>("2001:db8::1"));
  CHECK_FALSE(ipv6_canonical("12:30:45"));
  CHECK_FALSE(ipv6_canonical("2001:db8::1::2"));
  CHECK(card_issuer_valid("30569309025904"));    // Diners 14
  CHECK(card_issuer_valid("6200000000000005"));  // UnionPay
  CHECK(iban_length("RU") == std::optional<size_t>(33));
}

namespace {

// Random strings over the bytes that matter to the two digit-run patterns.
std::string random_digit_text(std::mt19937& rng, size_t length) {
  static const std::string kAlphabet = "0123456789012345678901234567890123456789 -./()+a_x,#";
  std::string out;
  for (size_t i = 0; i < length; ++i) {
    out.push_back(kAlphabet[rng() % kAlphabet.size()]);
  }
  return out;
}

// Every leftmost non-overlapping match, from `next` or from RE2.
template <class Next>
std::vector<std::pair<size_t, size_t>> all_runs(std::string_view text, Next next) {
  std::vector<std::pair<size_t, size_t>> out;
  for (auto r = next(text, 0); r; r = next(text, r->end)) {
    out.emplace_back(r->begin, r->end);
  }
  return out;
}

std::vector<std::pair<size_t, size_t>> regex_runs(const convaudit::match::Regex& re,
                                                  std::string_view text) {
  std::vector<std::pair<size_t, size_t>> out;
  size_t from = 0;
  while (auto m = re.find(text, from)) {
    out.emplace_back(m->span.begin, m->span.end);
    from = m->span.end;
  }
  return out;
}

}  // namespace

TEST_CASE("phone and card run scanners match exactly what RE2 matches", "[redaction][validators]") {
  auto phone = convaudit::match::Regex::compile(R"(\+?\(?\d[\d\-. /()]*\d)");
  auto card = convaudit::match::Regex::compile(R"(\b\d(?:[ \-.]?\d){12,}\b)");
  REQUIRE(phone);
  REQUIRE(card);
  const std::vector<std::string> fixed = {
      "",
      "call +1 415 555 0100.",
      "+(33) 1 23 45 67 89",
      "++(1)",
      "4111 1111 1111 1111x 4111-1111-1111-1111",
      "a4111111111111111 4111111111111111_ 12 4111111111111 1",
      "1 2 3 4 5 6 7 8 9 0 1 2 3 4--5",
      "(((1))) 1/2 3.",
  };
  for (const std::string& text : fixed) {
    INFO(text);
    CHECK(all_runs(text, next_phone_run) == regex_runs(*phone, text));
    CHECK(all_runs(text, next_card_run) == regex_runs(*card, text));
  }
  std::mt19937 rng(20261201);
  for (int i = 0; i < 3000; ++i) {
    const std::string text = random_digit_text(rng, rng() % 80);
    INFO(text);
    REQUIRE(all_runs(text, next_phone_run) == regex_runs(*phone, text));
    REQUIRE(all_runs(text, next_card_run) == regex_runs(*card, text));
  }
}

TEST_CASE("first_digit finds the first ASCII digit past any byte value",
          "[redaction][validators]") {
  CHECK(first_digit("") == 0);
  CHECK(first_digit("no digits here at all, none") == 27);
  CHECK(first_digit("abcdefgh9") == 8);
  CHECK(first_digit("7") == 0);
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    std::string text;
    const size_t length = rng() % 40;
    for (size_t k = 0; k < length; ++k) {
      // Mostly non-digits of every byte value, including 0x80-0xff and the neighbours of '0'-'9'.
      const auto byte = static_cast<char>(rng() % 256);
      text.push_back(rng() % 16 == 0 || (byte >= '0' && byte <= '9') ? byte : byte ^ 0x40);
    }
    size_t want = text.size();
    for (size_t k = 0; k < text.size(); ++k) {
      if (text[k] >= '0' && text[k] <= '9') {
        want = k;
        break;
      }
    }
    INFO(i);
    REQUIRE(first_digit(text) == want);
  }
}

TEST_CASE("issue 5: Maestro issuer prefixes", "[redaction][validators]") {
  using convaudit::redaction::internal::card_issuer_valid;
  CHECK(card_issuer_valid("6759649826438453"));
  CHECK(card_issuer_valid("5018000000000009"));
  CHECK(card_issuer_valid("6304000000000000"));
  CHECK(card_issuer_valid("676100000000000"));
  CHECK(!card_issuer_valid("6758000000000000"));
  CHECK(!card_issuer_valid("5019000000000000"));
}
