#include "redaction/access_log.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>

#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <sys/file.h>
#include <unistd.h>

#include "engine/core/timestamp.h"
#include "engine/crypto/sha256.h"

namespace convaudit::redaction {
namespace {

using nlohmann::json;

const std::string kGenesis(64, '0');

bool is_hash(const json& value) {
  if (!value.is_string()) {
    return false;
  }
  const std::string& s = value.get_ref<const std::string&>();
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// Compact, keys sorted (nlohmann objects are std::map); invalid UTF-8 replaced, never thrown.
std::string canonical(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// The canonical text the hash covers: the record without "hash", keys sorted, compact.
std::string chain_hash(const json& record) {
  json body = record;
  body.erase("hash");
  return crypto::sha256_hex(canonical(body));
}

struct ChainLink {
  uint64_t seq = 0;
  std::string hash;
};

// Checks one line against the previous link; the link it forms, or a description of the fault.
std::optional<ChainLink> check_line(const std::string& line, const ChainLink& previous,
                                    std::string& fault) {
  json record = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (record.is_discarded() || !record.is_object()) {
    fault = "not a JSON object";
    return std::nullopt;
  }
  for (const char* key : {"who", "action", "token", "reason", "time"}) {
    if (!record.contains(key) || !record[key].is_string()) {
      fault = std::string("missing or non-string \"") + key + "\"";
      return std::nullopt;
    }
  }
  if (!record.contains("seq") || !record["seq"].is_number_unsigned() || record.size() != 8 ||
      !record.contains("prev") || !is_hash(record["prev"]) || !record.contains("hash") ||
      !is_hash(record["hash"])) {
    fault = "malformed record";
    return std::nullopt;
  }
  const uint64_t seq = record["seq"].get<uint64_t>();
  if (seq != previous.seq + 1) {
    fault =
        "sequence number " + std::to_string(seq) + ", expected " + std::to_string(previous.seq + 1);
    return std::nullopt;
  }
  if (record["prev"].get_ref<const std::string&>() != previous.hash) {
    fault = "\"prev\" does not match the previous record's hash";
    return std::nullopt;
  }
  const std::string hash = chain_hash(record);
  if (record["hash"].get_ref<const std::string&>() != hash) {
    fault = "\"hash\" does not match the record";
    return std::nullopt;
  }
  return ChainLink{seq, hash};
}

Status write_all(int fd, const std::string& data, const std::string& path) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return fail(ErrorCode::kIo, std::string("cannot write access log: ") + std::strerror(errno),
                  {path});
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    return fail(ErrorCode::kIo, std::string("cannot sync access log: ") + std::strerror(errno),
                {path});
  }
  return ok_status();
}

// The last complete line of the file open at `fd` ("" for an empty file), read backwards.
Result<std::string> last_line(int fd, const std::string& path) {
  const off_t size = ::lseek(fd, 0, SEEK_END);
  if (size < 0) {
    return fail(ErrorCode::kIo, "cannot seek access log", {path});
  }
  std::string tail;
  off_t pos = size;
  constexpr off_t kChunk = 4096;
  while (pos > 0) {
    const off_t from = pos > kChunk ? pos - kChunk : 0;
    std::string chunk(static_cast<size_t>(pos - from), '\0');
    if (::pread(fd, chunk.data(), chunk.size(), from) != static_cast<ssize_t>(chunk.size())) {
      return fail(ErrorCode::kIo, "cannot read access log", {path});
    }
    tail = chunk + tail;
    pos = from;
    // The line ends with '\n'; its start is the previous '\n' (or the file start).
    if (tail.size() >= 2) {
      const size_t nl = tail.rfind('\n', tail.size() - 2);
      if (nl != std::string::npos) {
        return tail.substr(nl + 1);
      }
    }
  }
  return tail;
}

}  // namespace

Status append_access_record(const std::string& path, const AccessRecord& record) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    return fail(ErrorCode::kIo, std::string("cannot open access log: ") + std::strerror(errno),
                {path});
  }
  struct Closer {
    int fd;
    ~Closer() {
      ::flock(fd, LOCK_UN);
      ::close(fd);
    }
  } closer{fd};
  if (::flock(fd, LOCK_EX) != 0) {
    return fail(ErrorCode::kIo, std::string("cannot lock access log: ") + std::strerror(errno),
                {path});
  }
  auto last = last_line(fd, path);
  if (!last) {
    return fail(last.error());
  }
  ChainLink previous{0, kGenesis};
  if (!last->empty()) {
    if (last->back() != '\n') {
      return fail(ErrorCode::kAccessLogBroken, "the last line is incomplete", {path});
    }
    json tail = json::parse(last->substr(0, last->size() - 1), nullptr, false);
    if (tail.is_discarded() || !tail.is_object() || !tail.contains("seq") ||
        !tail["seq"].is_number_unsigned() || !tail.contains("hash") || !is_hash(tail["hash"]) ||
        chain_hash(tail) != tail["hash"].get_ref<const std::string&>()) {
      return fail(ErrorCode::kAccessLogBroken, "the last line cannot be read", {path});
    }
    previous = {tail["seq"].get<uint64_t>(), tail["hash"].get<std::string>()};
  }
  json line = json::object();
  line["seq"] = previous.seq + 1;
  line["time"] = core::format_timestamp(record.time_ns);
  line["who"] = record.who;
  line["action"] = record.action;
  line["token"] = record.token;
  line["reason"] = record.reason;
  line["prev"] = previous.hash;
  line["hash"] = chain_hash(line);
  return write_all(fd, canonical(line) + "\n", path);
}

Result<uint64_t> verify_access_log(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(ErrorCode::kNotFound, "cannot open access log", {path});
  }
  ChainLink previous{0, kGenesis};
  std::string line;
  int64_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    std::string fault;
    auto link = check_line(line, previous, fault);
    if (!link) {
      return fail(ErrorCode::kAccessLogBroken, "chain broken: " + fault, {path, line_number});
    }
    previous = *link;
  }
  return previous.seq;
}

}  // namespace convaudit::redaction
