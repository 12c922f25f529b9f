// Fuzz target: any text through PII detection and redaction. Spans must be in bounds, sorted and
// non-overlapping, and redacting must never crash.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "redaction/mapping_sink.h"
#include "redaction/pii_detector.h"
#include "redaction/pseudonymizer.h"
#include "redaction/redactor.h"

namespace {
class Discard : public convaudit::redaction::MappingSink {
 public:
  void record(const std::string&, convaudit::redaction::PiiType, std::string_view) override {}
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static auto detector = convaudit::redaction::PiiDetector::create();
  static convaudit::redaction::Pseudonymizer pseudonymizer(std::vector<uint8_t>(32, 7));
  if (!detector) {
    __builtin_trap();
  }
  std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t last_end = 0;
  for (const auto& span : detector->detect(text)) {
    if (span.begin < last_end || span.end <= span.begin || span.end > text.size()) {
      __builtin_trap();
    }
    last_end = span.end;
  }
  convaudit::redaction::Redactor redactor(*detector, pseudonymizer);
  Discard sink;
  (void)redactor.redact_text(text, sink, nullptr);
  return 0;
}
