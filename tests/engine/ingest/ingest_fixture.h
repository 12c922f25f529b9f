#pragma once
// Test fixture for ingest: log files written to a private temporary folder (plain or gzip),
// read back through read_log, and readable dumps of what came out.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>
#include <zlib.h>

#include "engine/core/message.h"
#include "engine/core/timestamp.h"
#include "engine/ingest/log_reader.h"
#include "engine/ingest/reject_sink.h"
#include "engine/ingest/session_assembler.h"

namespace convaudit::ingest::testing {

class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("convaudit-ingest-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string write(const std::string& name, const std::string& content) const {
    std::string file = (path_ / name).string();
    std::ofstream out(file, std::ios::binary);
    out << content;
    return file;
  }

  std::string write_gzip(const std::string& name, const std::string& content) const {
    std::string file = (path_ / name).string();
    gzFile gz = gzopen(file.c_str(), "wb");
    gzwrite(gz, content.data(), static_cast<unsigned>(content.size()));
    gzclose(gz);
    return file;
  }

  std::string path(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

struct ReadOutcome {
  Result<ReadStats> stats = ReadStats{};
  std::vector<core::Message> messages;
  RejectCollector rejects;
};

inline ReadOutcome read_file(const std::string& file, InputFormat format = InputFormat::kAuto,
                             uint64_t max_record_bytes = 16 * 1024 * 1024) {
  ReadOutcome out;
  ReadOptions options;
  options.format = format;
  options.max_record_bytes = max_record_bytes;
  out.stats = read_log(
      file, options, [&](core::Message&& m) { out.messages.push_back(std::move(m)); }, out.rejects);
  return out;
}

inline ReadOutcome read_text(const std::string& content, InputFormat format = InputFormat::kAuto) {
  TempDir dir;
  return read_file(dir.write("log.jsonl", content), format);
}

// "s1 user 'hi' @2026-07-01T10:00:00Z" per message, one per line.
inline std::string describe(const std::vector<core::Message>& messages) {
  std::string out;
  for (const core::Message& m : messages) {
    out += m.session_id + " " + std::string(core::role_name(m.role)) + " '" + m.text + "' @" +
           core::format_timestamp(m.timestamp_ns) + "\n";
  }
  return out;
}

// "line 3: ingest.bad_timestamp" per reject, one per line.
inline std::string describe(const std::vector<Reject>& rejects) {
  std::string out;
  for (const Reject& r : rejects) {
    out += "line " + std::to_string(r.line) + ": " + std::string(error_code_name(r.code)) + "\n";
  }
  return out;
}

// A sample under tests/data/ingest/.
inline std::string data_path(const std::string& name) {
  return std::string(CONVAUDIT_SOURCE_DIR) + "/tests/data/ingest/" + name;
}

// Messages through a SessionAssembler: conversations in order, and the duplicates it dropped.
struct Assembled {
  std::vector<core::Conversation> conversations;
  uint64_t duplicates = 0;
  const core::Conversation* find(const std::string& session) const {
    for (const auto& c : conversations) {
      if (c.session_id == session) {
        return &c;
      }
    }
    return nullptr;
  }
};

inline Assembled assemble(std::vector<core::Message> messages) {
  SessionAssembler assembler;
  for (core::Message& m : messages) {
    assembler.add(std::move(m));
  }
  Assembled out;
  out.conversations = assembler.take_conversations();
  out.duplicates = assembler.duplicate_count();
  return out;
}

// "user: hi" per message, one per line.
inline std::string transcript(const core::Conversation& conversation) {
  std::string out;
  for (const core::Message& m : conversation.messages) {
    out += std::string(core::role_name(m.role)) + ": " + m.text + "\n";
  }
  return out;
}

// "line 3: ingest.bad_timestamp: reason" per reject.
inline std::string describe_reasons(const std::vector<Reject>& rejects) {
  std::string out;
  for (const Reject& r : rejects) {
    out += "line " + std::to_string(r.line) + ": " + std::string(error_code_name(r.code)) + ": " +
           r.reason + "\n";
  }
  return out;
}

}  // namespace convaudit::ingest::testing
