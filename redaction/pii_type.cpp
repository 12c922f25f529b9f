#include "redaction/pii_type.h"

#include <array>
#include <utility>

namespace convaudit::redaction {
namespace {

constexpr std::array<std::pair<PiiType, std::string_view>, 15> kNames = {{
    {PiiType::kEmail, "EMAIL"},
    {PiiType::kPhone, "PHONE"},
    {PiiType::kCard, "CARD"},
    {PiiType::kSsn, "SSN"},
    {PiiType::kIban, "IBAN"},
    {PiiType::kIpAddress, "IP"},
    {PiiType::kSecret, "SECRET"},
    {PiiType::kUrlCredentials, "URLCRED"},
    {PiiType::kDateOfBirth, "DOB"},
    {PiiType::kCryptoWallet, "WALLET"},
    {PiiType::kPersonName, "NAME"},
    {PiiType::kAddress, "ADDRESS"},
    {PiiType::kMacAddress, "MAC"},
    {PiiType::kPassport, "PASSPORT"},
    {PiiType::kDriverLicense, "LICENSE"},
}};

}  // namespace

std::string_view pii_type_name(PiiType type) {
  for (const auto& [candidate, name] : kNames) {
    if (candidate == type) {
      return name;
    }
  }
  return "UNKNOWN";
}

std::optional<PiiType> parse_pii_type(std::string_view name) {
  for (const auto& [type, candidate] : kNames) {
    if (candidate == name) {
      return type;
    }
  }
  return std::nullopt;
}

}  // namespace convaudit::redaction
