#include "reports/envelope.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "engine/core/hex.h"
#include "engine/crypto/sha256.h"

using namespace convaudit;
using nlohmann::json;

namespace {

const std::string kReport = R"({"schema":"convaudit.report/v1","summary":{"conversations":3}})";

struct Signed {
  crypto::SigningKey key;
  std::string envelope;
};

Signed make_signed() {
  auto key = crypto::SigningKey::generate();
  REQUIRE(key);
  auto envelope = reports::sign_report(kReport, *key, "0.1.0");
  REQUIRE(envelope);
  return Signed{std::move(*key), *envelope};
}

}  // namespace

TEST_CASE("PAE follows the DSSE v1 definition", "[reports][envelope]") {
  CHECK(reports::pae("http://example.com/HelloWorld", "hello world") ==
        "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  CHECK(reports::pae("", "") == "DSSEv1 0  0 ");
}

TEST_CASE("a signed report verifies and names its digest and key", "[reports][envelope]") {
  Signed s = make_signed();
  json envelope = json::parse(s.envelope);
  CHECK(envelope["payloadType"] == std::string(reports::kPayloadType));
  CHECK(envelope["signatures"][0]["keyid"] == s.key.key_id());
  auto payload = core::from_base64(envelope["payload"].get<std::string>());
  REQUIRE(payload);
  json statement = json::parse(std::string(payload->begin(), payload->end()));
  CHECK(statement["_type"] == "https://in-toto.io/Statement/v1");
  CHECK(statement["subject"][0]["name"] == "report.json");
  CHECK(statement["subject"][0]["digest"]["sha256"] == crypto::sha256_hex(kReport));

  auto verified = reports::verify_envelope(s.envelope, s.key.verify_key(), &kReport);
  REQUIRE(verified);
  CHECK(verified->report_sha256 == crypto::sha256_hex(kReport));
  CHECK(verified->key_id == s.key.key_id());
}

TEST_CASE("every changed byte class fails verification", "[reports][envelope]") {
  Signed s = make_signed();
  const crypto::VerifyKey pub = s.key.verify_key();

  SECTION("one byte of the report") {
    std::string changed = kReport;
    changed[changed.size() - 3] = '4';
    auto r = reports::verify_envelope(s.envelope, pub, &changed);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::kDigestMismatch);
  }
  SECTION("the payload type, though the payload is untouched") {
    json envelope = json::parse(s.envelope);
    envelope["payloadType"] = "application/json";
    auto r = reports::verify_envelope(envelope.dump(), pub, &kReport);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::kBadSignature);
  }
  SECTION("each byte of the payload") {
    json envelope = json::parse(s.envelope);
    auto payload = *core::from_base64(envelope["payload"].get<std::string>());
    for (size_t i = 0; i < payload.size(); i += 7) {
      auto changed = payload;
      changed[i] ^= 0x01;
      envelope["payload"] = core::to_base64(changed);
      INFO("payload byte " << i);
      auto r = reports::verify_envelope(envelope.dump(), pub, &kReport);
      REQUIRE_FALSE(r);
      CHECK(r.error().code == ErrorCode::kBadSignature);
    }
  }
  SECTION("each byte of the signature") {
    json envelope = json::parse(s.envelope);
    auto sig = *core::from_base64(envelope["signatures"][0]["sig"].get<std::string>());
    for (size_t i = 0; i < sig.size(); ++i) {
      auto changed = sig;
      changed[i] ^= 0x20;
      envelope["signatures"][0]["sig"] = core::to_base64(changed);
      INFO("signature byte " << i);
      auto r = reports::verify_envelope(envelope.dump(), pub, &kReport);
      REQUIRE_FALSE(r);
      CHECK(r.error().code == ErrorCode::kBadSignature);
    }
  }
  SECTION("another key") {
    auto other = crypto::SigningKey::generate();
    REQUIRE(other);
    auto r = reports::verify_envelope(s.envelope, other->verify_key(), &kReport);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::kBadSignature);
  }
  SECTION("a broken envelope") {
    for (std::string bad : {std::string("not json"), std::string("[]"),
                            std::string(R"({"payloadType":"x","payload":"%%%","signatures":[{}]})"),
                            std::string(R"({"payloadType":"x","payload":"","signatures":[]})")}) {
      INFO(bad);
      auto r = reports::verify_envelope(bad, pub, &kReport);
      REQUIRE_FALSE(r);
      CHECK(r.error().code == ErrorCode::kBadEnvelope);
    }
  }
}
