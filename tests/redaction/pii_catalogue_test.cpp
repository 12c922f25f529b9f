// The extended catalogue: IPv6, MAC, passports, driving licences, legacy/segwit/Ethereum
// wallets, multilingual phones, split cards, secret shapes, and the look-alikes that are not PII.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "redaction/pii_detector.h"

using convaudit::redaction::pii_type_name;
using convaudit::redaction::PiiDetector;
using convaudit::redaction::PiiSpan;

namespace {

const PiiDetector& detector() {
  static const PiiDetector instance = [] {
    auto created = PiiDetector::create();
    REQUIRE(created);
    return std::move(*created);
  }();
  return instance;
}

std::vector<std::string> describe(const std::string& text) {
  std::vector<std::string> out;
  for (const PiiSpan& span : detector().detect(text)) {
    out.push_back(std::string(pii_type_name(span.type)) + ":" +
                  text.substr(span.begin, span.end - span.begin));
  }
  return out;
}

std::string normalized(const std::string& text) {
  auto spans = detector().detect(text);
  REQUIRE(spans.size() == 1);
  return spans[0].normalized;
}

using Found = std::vector<std::string>;

}  // namespace

TEST_CASE("IPv6 full, compressed and IPv4-mapped; not times or C++ scopes",
          "[redaction][catalogue]") {
  CHECK(describe("from 2001:0db8:85a3:0000:0000:8a2e:0370:7334 today") ==
        Found{"IP:2001:0db8:85a3:0000:0000:8a2e:0370:7334"});
  CHECK(normalized("2001:0db8:85a3:0000:0000:8a2e:0370:7334") == "2001:db8:85a3::8a2e:370:7334");
  CHECK(describe("peer [2001:db8::1]:443") == Found{"IP:2001:db8::1"});
  CHECK(describe("mapped ::ffff:192.168.1.1 ok") == Found{"IP:::ffff:192.168.1.1"});
  CHECK(describe("link fe80::1ff:fe23:4567:890a") == Found{"IP:fe80::1ff:fe23:4567:890a"});
  CHECK(describe("at 12:30:45 we met").empty());
  CHECK(describe("use std::vector::push_back or a::b").empty());
  CHECK(describe("1:2:3:4:5:6:7:8:9").empty());
}

TEST_CASE("MAC addresses in colon, dash and Cisco forms", "[redaction][catalogue]") {
  CHECK(describe("MAC 00:1A:2B:3C:4D:5E.") == Found{"MAC:00:1A:2B:3C:4D:5E"});
  CHECK(describe("hw 00-1a-2b-3c-4d-5e") == Found{"MAC:00-1a-2b-3c-4d-5e"});
  CHECK(normalized("router 001a.2b3c.4d5e") == "00:1a:2b:3c:4d:5e");
  CHECK(describe("1234.5678.9012").empty());        // no hex letter: a number
  CHECK(describe("00:1a:2b:3c:4d:5e:6f").empty());  // seven groups
}

TEST_CASE("passport and driving-licence numbers only next to their words",
          "[redaction][catalogue]") {
  CHECK(describe("passport number: X12345678.") == Found{"PASSPORT:X12345678"});
  CHECK(describe("Reisepass-Nr. C01X00T47") == Found{"PASSPORT:C01X00T47"});
  CHECK(describe("numéro de passeport 12AB34567") == Found{"PASSPORT:12AB34567"});
  CHECK(describe("driver's license D1234-5678-9012 ok") == Found{"LICENSE:D1234-5678-9012"});
  CHECK(describe("DL# 123 456 789") == Found{"LICENSE:123 456 789"});
  CHECK(normalized("driving licence number: 123 456 789") == "123456789");
  CHECK(describe("X12345678 alone").empty());
  CHECK(describe("software license MIT-2 and passport photos").empty());
}

TEST_CASE("wallets: base58check, bech32 either case, EIP-55", "[redaction][catalogue]") {
  CHECK(describe("to 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2.") ==
        Found{"WALLET:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"});
  CHECK(describe("p2sh 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy") ==
        Found{"WALLET:3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"});
  CHECK(describe("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3").empty());  // checksum
  CHECK(normalized("BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ") ==
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq");
  CHECK(describe("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed") ==
        Found{"WALLET:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"});
  CHECK(describe("0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed").empty());      // bad EIP-55
  CHECK(describe("0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED").size() == 1);  // no checksum
}

TEST_CASE("phones in national formats and several languages", "[redaction][catalogue]") {
  CHECK(describe("teléfono 612 345 678") == Found{"PHONE:612 345 678"});
  CHECK(describe("cellulare 333 1234567") == Found{"PHONE:333 1234567"});
  CHECK(describe("mobiel 06-12345678") == Found{"PHONE:06-12345678"});
  CHECK(describe("mobile 98765 43210") == Found{"PHONE:98765 43210"});
  CHECK(normalized("tél. +33 (0)1 23 45 67 89") == "+330123456789");
  CHECK(normalized("ou 0033 6 12 34 56 78") == "+33612345678");
  // Two numbers in a row are two phones, not one rejected run.
  CHECK(describe("call 555-123-4567 555-987-6543") ==
        Found{"PHONE:555-123-4567", "PHONE:555-987-6543"});
  CHECK(describe("+1 555 123 4567 555 987 6543") ==
        Found{"PHONE:+1 555 123 4567", "PHONE:555 987 6543"});
  CHECK(describe("020 7946 0958 020 7946 0959") ==
        Found{"PHONE:020 7946 0958", "PHONE:020 7946 0959"});
}

TEST_CASE("cards split by spaces, dashes or dots, several in a row", "[redaction][catalogue]") {
  CHECK(describe("qty 2 4111 1111 1111 1111") == Found{"CARD:4111 1111 1111 1111"});
  CHECK(describe("5555 5555 5555 4444 5105 1051 0510 5100") ==
        Found{"CARD:5555 5555 5555 4444", "CARD:5105 1051 0510 5100"});
  CHECK(describe("4111.1111.1111.1111") == Found{"CARD:4111.1111.1111.1111"});
  CHECK(describe("19 digits 4111 1111 1111 1111 003") == Found{"CARD:4111 1111 1111 1111 003"});
  CHECK(describe("diners 3056 930902 5904") == Found{"CARD:3056 930902 5904"});
  CHECK(describe("tracking 9400 1000 0000 0000 0000 00").empty());
}

TEST_CASE("secret shapes", "[redaction][catalogue]") {
  const std::string google = "AIzaSyA1234567890abcdefghijklmnopqrstuv";
  CHECK(describe("key " + google) == Found{"SECRET:" + google});
  const std::string gitlab = "glpat-abcDEF1234567890xyzQ";
  CHECK(describe(gitlab) == Found{"SECRET:" + gitlab});
  const std::string pgp =
      "-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBF\n-----END PGP PRIVATE KEY BLOCK-----";
  CHECK(describe(pgp) == Found{"SECRET:" + pgp});
  CHECK(describe("Passwort: Geheim123!") == Found{"SECRET:Geheim123!"});
}

TEST_CASE("dates of birth in several languages", "[redaction][catalogue]") {
  CHECK(describe("fecha de nacimiento: 12 de marzo de 1990") == Found{"DOB:12 de marzo de 1990"});
  CHECK(describe("né le 3 avril 1985") == Found{"DOB:3 avril 1985"});
  CHECK(describe("geboren am 12. März 1990") == Found{"DOB:12. März 1990"});
}

TEST_CASE("look-alikes are not PII", "[redaction][catalogue]") {
  for (const char* text : {
           "request 550e8400-e29b-41d4-a716-446655440000",
           "commit 3f786850e387550fdab836ed7e6dc881de23001b",
           "color #ff00aa and #123456",
           "ups 1Z999AA10123456784, fedex 123456789012, usps 9400100000000000000000",
           "created_at 1700000000123",
           "upgraded to version 10.2.33, server 1.2.3",
           "ISBN 978-0-306-40615-7",
           "it costs $1,234.56 or €12.345,67",
           "Hola, invoice 0050688926 is due",
           "IBAN DE85 0303 9941 8926 4355 53 looks wrong",
           "on 2024-01-15 at 12:30:45",
       }) {
    CAPTURE(text);
    CHECK(describe(text).empty());
  }
}
