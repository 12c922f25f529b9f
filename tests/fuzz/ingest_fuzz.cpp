// Fuzz target: any bytes as a log file, through format detection and every reader. The reader
// must never crash, hang or leak, and every record it cannot use must become a counted reject.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include <unistd.h>

#include "engine/ingest/log_reader.h"
#include "engine/ingest/reject_sink.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/convaudit-fuzz-ingest-" + std::to_string(::getpid());
  FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) {
    return 0;
  }
  std::fwrite(data, 1, size, file);
  std::fclose(file);
  for (auto format :
       {convaudit::ingest::InputFormat::kAuto, convaudit::ingest::InputFormat::kJsonl,
        convaudit::ingest::InputFormat::kDb, convaudit::ingest::InputFormat::kOtel,
        convaudit::ingest::InputFormat::kLangchain, convaudit::ingest::InputFormat::kOpenai}) {
    convaudit::ingest::ReadOptions options;
    options.format = format;
    convaudit::ingest::RejectCollector rejects;
    uint64_t messages = 0;
    auto stats = convaudit::ingest::read_log(
        path, options, [&](convaudit::core::Message&&) { ++messages; }, rejects);
    if (stats && stats->messages != messages) {
      __builtin_trap();  // the count the report shows must be what was delivered
    }
  }
  std::remove(path.c_str());
  return 0;
}
