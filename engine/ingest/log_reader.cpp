#include "engine/ingest/log_reader.h"

#include <algorithm>
#include <exception>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/ingest/internal/db_format.h"
#include "engine/ingest/internal/json_parse.h"
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

// Checks and parses one record; nullopt, after a reject through `sinks`, when it cannot be used.
std::optional<json> parse_record(const internal::RawRecord& record, const std::string& path,
                                 uint64_t max_record_bytes, const internal::SessionSinks& sinks) {
  if (record.too_long) {
    sinks.on_reject(Error{ErrorCode::kLineTooLong,
                          "record longer than " + std::to_string(max_record_bytes) + " bytes",
                          {path, record.line}},
                    record.text);
    return std::nullopt;
  }
  // simdjson's parse also proves the text valid UTF-8: most records need no other check.
  if (std::optional<json> value = internal::parse_json_fast(record.text, internal::kMaxJsonDepth)) {
    return value;
  }
  if (auto problem = internal::check_record_text(record.text)) {
    sinks.on_reject(Error{problem->code, std::move(problem->message), {path, record.line}},
                    record.text);
    return std::nullopt;
  }
  try {
    return json::parse(record.text);
  } catch (const json::exception& e) {
    sinks.on_reject(
        Error{ErrorCode::kMalformedJson, parse_error_reason(e.what()), {path, record.line}},
        record.text);
    return std::nullopt;
  }
}

// A record of a format whose records stand alone: per-message JSONL or a database export.
void read_standalone(const json& value, const internal::RawRecord& record, InputFormat format,
                     const std::string& path, const internal::SessionSinks& sinks) {
  if (format == InputFormat::kDb) {
    if (!internal::is_db_session(value)) {
      sinks.on_reject(Error{ErrorCode::kUnknownShape,
                            "database-export record has no 'messages' array",
                            {path, record.line}},
                      record.text);
      return;
    }
    internal::parse_db_session(value, record.text, path, record.line, sinks);
    return;
  }
  auto message = internal::parse_message(value, {path, record.line});
  if (!message) {
    sinks.on_reject(std::move(message.error()), record.text);
    return;
  }
  sinks.on_message(std::move(*message));
}

// Read through `sinks`: a message, or a reject (error and excerpt). Filled on a worker thread,
// delivered in file order on the reader's.
struct Outcome {
  std::optional<core::Message> message;
  Error error;
  std::string excerpt;
};

// Batches of standalone records of about this many bytes are parsed in parallel.
constexpr size_t kBatchBytes = size_t{1} << 20;
constexpr size_t kBatchRecords = 8192;

class FileReader {
 public:
  FileReader(const std::string& path, const ReadOptions& options, const MessageCallback& on_message,
             RejectSink& rejects)
      : path_(path), on_message_(on_message), rejects_(rejects) {
    stats_.format = options.format;
    max_record_bytes_ = options.max_record_bytes;
    parallel_for_ = options.parallel_for;
  }

  Result<ReadStats> run() {
    auto source = internal::LineSource::open(path_, max_record_bytes_);
    if (!source) {
      return fail(source.error());
    }
    internal::RawRecord record;
    while ((*source)->next(record)) {
      ++stats_.records;
      if (parallel_for_ &&
          (stats_.format == InputFormat::kJsonl || stats_.format == InputFormat::kDb)) {
        batch_bytes_ += record.text.size();
        batch_.push_back(std::move(record));
        if (batch_bytes_ >= kBatchBytes || batch_.size() >= kBatchRecords) {
          read_batch();
        }
        continue;
      }
      try {
        read_record(record);
      } catch (const std::exception& e) {
        reject(ErrorCode::kBadField, std::string("record could not be read: ") + e.what(),
               record.line, record.text);
      }
    }
    read_batch();
    if (otel_) {
      otel_->finish();
    }
    if (langchain_) {
      langchain_->finish();
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
    std::optional<json> parsed = parse_record(record, path_, max_record_bytes_, sinks());
    if (!parsed) {
      return;
    }
    const json& value = *parsed;
    if (stats_.format == InputFormat::kAuto && value.is_object()) {
      stats_.format = detect(value);
    }
    switch (stats_.format) {
      case InputFormat::kDb:
      case InputFormat::kJsonl:
        read_standalone(value, record, stats_.format, path_, sinks());
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

  // Parses the batched records on the workers of parallel_for, a share each, then delivers
  // their messages and rejects in file order.
  void read_batch() {
    if (batch_.empty()) {
      return;
    }
    const size_t shares = std::min<size_t>(batch_.size(), 16);
    std::vector<std::vector<Outcome>> outcomes(shares);
    const InputFormat format = stats_.format;
    parallel_for_(shares, [&](size_t share) {
      std::vector<Outcome>& out = outcomes[share];
      internal::SessionSinks sinks{
          [&out](core::Message&& message) {
            out.push_back({std::move(message), {}, {}});
          },
          [&out](Error error, std::string_view raw) {
            out.push_back({std::nullopt, std::move(error), excerpt_of(raw)});
          }};
      const size_t begin = batch_.size() * share / shares;
      const size_t end = batch_.size() * (share + 1) / shares;
      for (size_t i = begin; i < end; ++i) {
        const internal::RawRecord& record = batch_[i];
        try {
          if (std::optional<json> value = parse_record(record, path_, max_record_bytes_, sinks)) {
            read_standalone(*value, record, format, path_, sinks);
          }
        } catch (const std::exception& e) {
          sinks.on_reject(Error{ErrorCode::kBadField,
                                std::string("record could not be read: ") + e.what(),
                                {path_, record.line}},
                          record.text);
        }
      }
    });
    for (std::vector<Outcome>& share : outcomes) {
      for (Outcome& outcome : share) {
        if (outcome.message) {
          emit(std::move(*outcome.message));
        } else {
          ++stats_.rejected;
          rejects_.reject(Reject{path_, outcome.error.where.line, outcome.error.code,
                                 std::move(outcome.error.message), std::move(outcome.excerpt)});
        }
      }
    }
    batch_.clear();
    batch_bytes_ = 0;
  }

  const std::string& path_;
  const MessageCallback& on_message_;
  RejectSink& rejects_;
  uint64_t max_record_bytes_ = 0;
  ReadStats stats_;
  std::unique_ptr<internal::OtelReader> otel_;
  std::unique_ptr<internal::LangchainReader> langchain_;
  ParallelFor parallel_for_;
  std::vector<internal::RawRecord> batch_;  // standalone records waiting for read_batch()
  size_t batch_bytes_ = 0;
};

}  // namespace

Result<ReadStats> read_log(const std::string& path, const ReadOptions& options,
                           const MessageCallback& on_message, RejectSink& rejects) {
  FileReader reader(path, options, on_message, rejects);
  return reader.run();
}

}  // namespace convaudit::ingest
