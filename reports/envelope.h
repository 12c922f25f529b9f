#pragma once
// DSSE envelope over an in-toto statement about report.json (spec: docs/report-format.md).
//
//   report.dsse.json = {"payloadType":"application/vnd.in-toto+json",
//                       "payload":"<base64 of statement>",
//                       "signatures":[{"keyid":"<signing key id>","sig":"<base64 Ed25519>"}]}
//   statement = {"_type":"https://in-toto.io/Statement/v1",
//                "subject":[{"name":"report.json","digest":{"sha256":"<hex of report.json>"}}],
//                "predicateType":"https://convaudit.dev/report/v1",
//                "predicate":{"report_sha256":"<hex>","engine_version":"..."}}
//   signed bytes = PAE(payloadType, payload) =
//     "DSSEv1" SP len(type) SP type SP len(payload) SP payload   (lengths in ASCII decimal)
//
// Signing happens only here; verification too.

#include <string>
#include <string_view>

#include "engine/core/result.h"
#include "engine/crypto/ed25519.h"

namespace convaudit::reports {

inline constexpr std::string_view kPayloadType = "application/vnd.in-toto+json";

// The DSSE pre-authentication encoding.
std::string pae(std::string_view payload_type, std::string_view payload);

// Returns the envelope JSON text for the report bytes.
Result<std::string> sign_report(std::string_view report_json, const crypto::SigningKey& key,
                                std::string_view engine_version);

struct VerifiedEnvelope {
  std::string report_sha256;  // the subject digest the signature covers
  std::string key_id;
};

// Checks the envelope's structure and signature (kBadEnvelope, kBadSignature). When
// `report_json` is given, also that its SHA-256 is the signed subject (kDigestMismatch).
Result<VerifiedEnvelope> verify_envelope(std::string_view envelope_json,
                                         const crypto::VerifyKey& key,
                                         const std::string* report_json = nullptr);

}  // namespace convaudit::reports
