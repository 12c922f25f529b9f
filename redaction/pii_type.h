#pragma once
// PII types. The upper-case name is the token prefix: <EMAIL_...>, <PHONE_...>.

#include <optional>
#include <string_view>

namespace convaudit::redaction {

enum class PiiType {
  kEmail,           // EMAIL
  kPhone,           // PHONE
  kCard,            // CARD   (payment card, Luhn-checked)
  kSsn,             // SSN    (US social security number)
  kIban,            // IBAN   (mod-97 checked)
  kIpAddress,       // IP     (IPv4 and IPv6)
  kSecret,          // SECRET (API keys, tokens)
  kUrlCredentials,  // URLCRED
  kDateOfBirth,     // DOB
  kCryptoWallet,    // WALLET
  kPersonName,      // NAME
  kAddress,         // ADDRESS
  kMacAddress,      // MAC
  kPassport,        // PASSPORT (next to a passport word)
  kDriverLicense,   // LICENSE  (next to a driving-licence word)
};

std::string_view pii_type_name(PiiType type);
std::optional<PiiType> parse_pii_type(std::string_view name);

}  // namespace convaudit::redaction
