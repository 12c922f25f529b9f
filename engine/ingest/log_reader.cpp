#include "engine/ingest/log_reader.h"

#include <exception>
#include <memory>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "engine/ingest/internal/db_format.h"
#include "engine/ingest/internal/jsonl_format.h"
#include "engine/ingest/internal/langchain_format.h"
#include "engine/ingest/internal/line_source.h"
#include "engine/ingest/internal/openai_format.h"
#include "engine/ingest/internal/otel_format.h"

namespace convaudit::ingest {
namespace {

using nlohmann::json;

constexpr size_t kExcerptBytes = 200;

std::string excerpt_of(std::string_view raw) {
  while (!raw.empty() && (raw.back() == '\n' || raw.back() == '\r' || raw.back() == ' ' ||
                          raw.back() == ',' || raw.back() == '\t')) {
    raw.remove_suffix(1);
  }
  if (raw.size() <= kExcerptBytes) {
    return std::string(raw);
  }
  size_t cut = kExcerptBytes;
  while (cut > 0 && (static_cast<unsigned char>(raw[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return std::string(raw.substr(0, cut));
}

// nlohmann's messages start with "[json.exception.parse_error.101] "; the id adds nothing for
// a reader of rejects.jsonl, the code says it is malformed JSON.
std::string parse_error_reason(const char* what) {
  std::string_view text(what);
  if (!text.empty() && text.front() == '[') {
    if (auto close = text.find("] "); close != std::string_view::npos) {
      text.remove_prefix(close + 2);
    }
  }
  return std::string(text);
}

class FileReader {
 public:
  FileReader(const std::string& path, const ReadOptions& options, const MessageCallback& on_message,
             RejectSink& rejects)
      : path_(path), on_message_(on_message), rejects_(rejects) {
    stats_.format = options.format;
    max_record_bytes_ = options.max_record_bytes;
  }

  Result<ReadStats> run() {
    auto source = internal::LineSource::open(path_, max_record_bytes_);
    if (!source) {
      return fail(source.error());
    }
    internal::RawRecord record;
    while ((*source)->next(record)) {
      ++stats_.records;
      try {
        read_record(record);
      } catch (const std::exception& e) {
        reject(ErrorCode::kBadField, std::string("record could not be read: ") + e.what(),
               record.line, record.text);
      }
    }
    if (otel_) {
      otel_->finish();
    }
    if (const auto& problem = (*source)->structure_problem()) {
      reject(problem->code, problem->reason, problem->line, {});
    }
    stats_.bytes = (*source)->bytes_read();
    return stats_;
  }

 private:
  void reject(ErrorCode code, std::string reason, int64_t line, std::string_view raw) {
    ++stats_.rejected;
    rejects_.reject(Reject{path_, line, code, std::move(reason), excerpt_of(raw)});
  }

  void reject(Error error, std::string_view raw) {
    reject(error.code, std::move(error.message), error.where.line, raw);
  }

  void emit(core::Message&& message) {
    message.source.file = path_;
    ++stats_.messages;
    on_message_(std::move(message));
  }

  void read_record(const internal::RawRecord& record) {
    if (record.too_long) {
      reject(ErrorCode::kLineTooLong,
             "record longer than " + std::to_string(max_record_bytes_) + " bytes", record.line,
             record.text);
      return;
    }
    if (auto problem = internal::check_record_text(record.text)) {
      reject(problem->code, std::move(problem->message), record.line, record.text);
      return;
    }
    json value;
    try {
      value = json::parse(record.text);
    } catch (const json::exception& e) {
      reject(ErrorCode::kMalformedJson, parse_error_reason(e.what()), record.line, record.text);
      return;
    }
    if (stats_.format == InputFormat::kAuto && value.is_object()) {
      stats_.format = detect(value);
    }
    switch (stats_.format) {
      case InputFormat::kDb:
        read_session(value, record);
        return;
      case InputFormat::kOtel:
        if (!otel_) {
          otel_ = std::make_unique<internal::OtelReader>(path_, sinks());
        }
        otel_->read(value, record.text, record.line);
        return;
      case InputFormat::kLangchain:
        if (!langchain_) {
          langchain_ = std::make_unique<internal::LangchainReader>(path_, sinks());
        }
        langchain_->read(value, record.text, record.line);
        return;
      case InputFormat::kOpenai:
        internal::parse_openai_record(value, record.text, path_, record.line, sinks());
        return;
      case InputFormat::kJsonl: {
        auto message = internal::parse_message(value, {path_, record.line});
        if (!message) {
          reject(std::move(message.error()), record.text);
          return;
        }
        emit(std::move(*message));
        return;
      }
      default:
        reject(ErrorCode::kUnknownShape,
               std::string("record is a JSON ") + value.type_name() + ", expected an object",
               record.line, record.text);
        return;
    }
  }

  // The shape of the first object decides the file's format; the most specific shapes first
  // (an OpenAI request also has a `messages` array, like a database export).
  static InputFormat detect(const json& value) {
    if (internal::is_otel_record(value)) {
      return InputFormat::kOtel;
    }
    if (internal::is_langchain_record(value)) {
      return InputFormat::kLangchain;
    }
    if (internal::is_openai_record(value)) {
      return InputFormat::kOpenai;
    }
    return internal::is_db_session(value) ? InputFormat::kDb : InputFormat::kJsonl;
  }

  internal::SessionSinks sinks() {
    return internal::SessionSinks{
        [this](core::Message&& message) { emit(std::move(message)); },
        [this](Error error, std::string_view raw) { reject(std::move(error), raw); }};
  }

  void read_session(const json& value, const internal::RawRecord& record) {
    if (!internal::is_db_session(value)) {
      reject(ErrorCode::kUnknownShape, "database-export record has no 'messages' array",
             record.line, record.text);
      return;
    }
    internal::SessionSinks sinks{
        [this](core::Message&& message) { emit(std::move(message)); },
        [this](Error error, std::string_view raw) { reject(std::move(error), raw); }};
    internal::parse_db_session(value, record.text, path_, record.line, sinks);
  }

  const std::string& path_;
  const MessageCallback& on_message_;
  RejectSink& rejects_;
  uint64_t max_record_bytes_ = 0;
  ReadStats stats_;
  std::unique_ptr<internal::OtelReader> otel_;
  std::unique_ptr<internal::LangchainReader> langchain_;
};

}  // namespace

Result<ReadStats> read_log(const std::string& path, const ReadOptions& options,
                           const MessageCallback& on_message, RejectSink& rejects) {
  FileReader reader(path, options, on_message, rejects);
  return reader.run();
}

}  // namespace convaudit::ingest
