#include "reports/report_verifier.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "engine/crypto/key_set.h"
#include "engine/crypto/sha256.h"

#include "reports/envelope.h"

namespace convaudit::reports {
namespace {

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(ErrorCode::kNotFound, "cannot open file", {path});
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    return fail(ErrorCode::kIo, "cannot read file", {path});
  }
  return buffer.str();
}

}  // namespace

Result<VerifyOutcome> verify_report(const VerifyRequest& request) {
  auto envelope = read_file(request.envelope_path);
  if (!envelope) {
    return fail(envelope.error());
  }
  auto key = crypto::load_verify_key(request.public_key_path);
  if (!key) {
    return fail(key.error());
  }
  VerifyOutcome outcome;
  outcome.report_path =
      (std::filesystem::path(request.envelope_path).parent_path() / "report.json").string();
  auto report = read_file(outcome.report_path);
  if (!report) {
    return fail(report.error());
  }
  auto verified = verify_envelope(*envelope, *key, &*report);
  if (!verified) {
    Error error = verified.error();
    if (error.where.file.empty()) {
      error.where.file =
          error.code == ErrorCode::kDigestMismatch ? outcome.report_path : request.envelope_path;
    }
    return fail(error);
  }
  outcome.report_sha256 = verified->report_sha256;
  outcome.key_id = verified->key_id;
  if (request.inputs.empty()) {
    return outcome;
  }
  nlohmann::json document = nlohmann::json::parse(*report, nullptr, false);
  const nlohmann::json* named = nullptr;
  if (!document.is_discarded() && document.contains("provenance") &&
      document["provenance"].is_object() && document["provenance"].contains("inputs") &&
      document["provenance"]["inputs"].is_array()) {
    named = &document["provenance"]["inputs"];
  }
  if (named == nullptr) {
    return fail(ErrorCode::kBadEnvelope, "report names no inputs", {outcome.report_path});
  }
  std::map<std::string, std::string> expected;  // sha256 -> path as named
  for (const nlohmann::json& input : *named) {
    if (input.is_object() && input.contains("sha256") && input["sha256"].is_string()) {
      expected[input["sha256"].get<std::string>()] = input.value("path", "");
    }
  }
  for (const std::string& path : request.inputs) {
    auto digest = crypto::sha256_file(path);
    if (!digest) {
      return fail(digest.error());
    }
    auto it = expected.find(digest->sha256_hex);
    if (it == expected.end()) {
      return fail(ErrorCode::kDigestMismatch,
                  "input is not one the report names (sha256 " + digest->sha256_hex + ")", {path});
    }
    expected.erase(it);
    ++outcome.inputs_checked;
  }
  if (!expected.empty()) {
    return fail(ErrorCode::kDigestMismatch,
                "the report names an input that was not given: " + expected.begin()->second +
                    " (sha256 " + expected.begin()->first + ")",
                {outcome.report_path});
  }
  return outcome;
}

}  // namespace convaudit::reports
