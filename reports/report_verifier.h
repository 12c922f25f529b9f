#pragma once
// verify_report: what `convaudit verify` checks, from files.
//
//   1. the envelope (report.dsse.json) is well-formed DSSE and its Ed25519 signature over
//      PAE(payloadType, payload) verifies with the given public key;
//   2. report.json beside the envelope has exactly the SHA-256 the signed statement names;
//   3. with inputs: the SHA-256 of each given file is one the report's provenance names, and
//      every input the report names is given (so nothing was added, dropped or changed).
// Any failure is an Error with code kBadEnvelope, kBadSignature or kDigestMismatch (exit 3),
// or kNotFound / kIo / kBadKey for files that cannot be read (exit 2).

#include <cstdint>
#include <string>
#include <vector>

#include "engine/core/result.h"

namespace convaudit::reports {

struct VerifyRequest {
  std::string envelope_path;
  std::string public_key_path;
  std::vector<std::string> inputs;  // optional
};

struct VerifyOutcome {
  std::string report_path;
  std::string report_sha256;
  std::string key_id;
  uint64_t inputs_checked = 0;
};

Result<VerifyOutcome> verify_report(const VerifyRequest& request);

}  // namespace convaudit::reports
