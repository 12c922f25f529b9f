#include "reports/envelope.h"

#include <nlohmann/json.hpp>

#include "engine/core/hex.h"
#include "engine/crypto/sha256.h"

namespace convaudit::reports {

namespace {

using nlohmann::json;

constexpr std::string_view kStatementType = "https://in-toto.io/Statement/v1";
constexpr std::string_view kPredicateType = "https://convaudit.dev/report/v1";

std::string decimal(size_t value) {
  return std::to_string(value);
}

const json* string_field(const json& object, const char* key) {
  auto it = object.find(key);
  return (it != object.end() && it->is_string()) ? &*it : nullptr;
}

}  // namespace

std::string pae(std::string_view payload_type, std::string_view payload) {
  std::string out = "DSSEv1 ";
  out += decimal(payload_type.size());
  out += ' ';
  out += payload_type;
  out += ' ';
  out += decimal(payload.size());
  out += ' ';
  out += payload;
  return out;
}

Result<std::string> sign_report(std::string_view report_json, const crypto::SigningKey& key,
                                std::string_view engine_version) {
  const std::string digest = crypto::sha256_hex(report_json);
  json statement = {
      {"_type", kStatementType},
      {"subject", json::array({{{"name", "report.json"}, {"digest", {{"sha256", digest}}}}})},
      {"predicateType", kPredicateType},
      {"predicate", {{"report_sha256", digest}, {"engine_version", engine_version}}},
  };
  const std::string payload = statement.dump();
  auto signature = key.sign(core::as_bytes(pae(kPayloadType, payload)));
  if (!signature) {
    return fail(signature.error());
  }
  json envelope = {
      {"payloadType", kPayloadType},
      {"payload", core::to_base64(core::as_bytes(payload))},
      {"signatures",
       json::array({{{"keyid", key.key_id()}, {"sig", core::to_base64(*signature)}}})},
  };
  return envelope.dump(2) + "\n";
}

Result<VerifiedEnvelope> verify_envelope(std::string_view envelope_json,
                                         const crypto::VerifyKey& key,
                                         const std::string* report_json) {
  json envelope = json::parse(envelope_json, nullptr, false);
  if (envelope.is_discarded() || !envelope.is_object()) {
    return fail(ErrorCode::kBadEnvelope, "the envelope is not a JSON object");
  }
  const json* type = string_field(envelope, "payloadType");
  const json* payload_b64 = string_field(envelope, "payload");
  auto signatures = envelope.find("signatures");
  if (type == nullptr || payload_b64 == nullptr || signatures == envelope.end() ||
      !signatures->is_array() || signatures->empty()) {
    return fail(ErrorCode::kBadEnvelope,
                "the envelope needs payloadType, payload and a non-empty signatures list");
  }
  auto payload = core::from_base64(payload_b64->get_ref<const std::string&>());
  if (!payload) {
    return fail(ErrorCode::kBadEnvelope, "the payload is not valid base64");
  }
  const std::string payload_text(payload->begin(), payload->end());
  // The payload type is part of the signed bytes: a changed type fails the signature below.
  const std::string signed_bytes = pae(type->get_ref<const std::string&>(), payload_text);
  bool verified = false;
  std::string key_id;
  for (const json& entry : *signatures) {
    if (!entry.is_object()) {
      continue;
    }
    const json* sig_b64 = string_field(entry, "sig");
    if (sig_b64 == nullptr) {
      continue;
    }
    auto sig = core::from_base64(sig_b64->get_ref<const std::string&>());
    if (sig && key.verify(core::as_bytes(signed_bytes), *sig)) {
      verified = true;
      const json* id = string_field(entry, "keyid");
      key_id = id != nullptr ? id->get<std::string>() : key.key_id();
      break;
    }
  }
  if (!verified) {
    return fail(ErrorCode::kBadSignature,
                "no signature in the envelope verifies with key " + key.key_id());
  }
  if (type->get_ref<const std::string&>() != kPayloadType) {
    return fail(ErrorCode::kBadEnvelope,
                "unexpected payload type: " + type->get_ref<const std::string&>());
  }
  json statement = json::parse(payload_text, nullptr, false);
  const json* subject_digest = nullptr;
  if (!statement.is_discarded() && statement.is_object()) {
    const json* statement_type = string_field(statement, "_type");
    const json* predicate_type = string_field(statement, "predicateType");
    auto subject = statement.find("subject");
    if (statement_type != nullptr && *statement_type == kStatementType &&
        predicate_type != nullptr && *predicate_type == kPredicateType &&
        subject != statement.end() && subject->is_array() && subject->size() == 1 &&
        (*subject)[0].is_object()) {
      auto digest = (*subject)[0].find("digest");
      if (digest != (*subject)[0].end() && digest->is_object()) {
        subject_digest = string_field(*digest, "sha256");
      }
    }
  }
  if (subject_digest == nullptr) {
    return fail(ErrorCode::kBadEnvelope,
                "the signed statement is not a convaudit report statement");
  }
  VerifiedEnvelope result{subject_digest->get<std::string>(), key_id};
  if (report_json != nullptr && crypto::sha256_hex(*report_json) != result.report_sha256) {
    return fail(ErrorCode::kDigestMismatch,
                "report.json does not match the signed digest " + result.report_sha256);
  }
  return result;
}

}  // namespace convaudit::reports
