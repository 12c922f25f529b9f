#include "engine/ingest/json_rewriter.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>

#include <zlib.h>

#include "engine/core/hex.h"

namespace convaudit::ingest {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool ends_bare_run(char c) {
  switch (c) {
    case '{':
    case '}':
    case '[':
    case ']':
    case ',':
    case ':':
    case '"':
    case '\n':
      return true;
    default:
      return false;
  }
}

std::optional<uint32_t> read_hex4(std::string_view s, size_t at) {
  if (at + 4 > s.size()) {
    return std::nullopt;
  }
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) {
    const int h = core::hex_digit_value(s[at + i]);
    if (h < 0) {
      return std::nullopt;
    }
    v = v << 4 | static_cast<uint32_t>(h);
  }
  return v;
}

// Decodes the body of a string literal (between the quotes). nullopt for an invalid escape.
// A lone surrogate becomes U+FFFD, as JSON parsers commonly do.
std::optional<std::string> decode_body(std::string_view body) {
  std::string out;
  out.reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (c != '\\') {
      out += c;
      continue;
    }
    if (++i >= body.size()) {
      return std::nullopt;
    }
    switch (body[i]) {
      case '"':
        out += '"';
        break;
      case '\\':
        out += '\\';
        break;
      case '/':
        out += '/';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        auto unit = read_hex4(body, i + 1);
        if (!unit) {
          return std::nullopt;
        }
        i += 4;
        uint32_t cp = *unit;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          std::optional<uint32_t> low;
          if (i + 2 < body.size() && body[i + 1] == '\\' && body[i + 2] == 'u') {
            low = read_hex4(body, i + 3);
          }
          if (low && *low >= 0xDC00 && *low <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (*low - 0xDC00);
            i += 6;
          } else {
            cp = 0xFFFD;
          }
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          cp = 0xFFFD;
        }
        core::append_utf8(out, cp);
        break;
      }
      default:
        return std::nullopt;
    }
  }
  return out;
}

// Whether `text` is a JSON number (RFC 8259 grammar).
bool is_json_number(std::string_view text) {
  size_t i = 0;
  auto digits = [&] {
    const size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      ++i;
    }
    return i > start;
  };
  if (i < text.size() && text[i] == '-') {
    ++i;
  }
  if (i < text.size() && text[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (!digits()) {
      return false;
    }
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
      ++i;
    }
    if (!digits()) {
      return false;
    }
  }
  return i == text.size();
}

// Whether the next non-space byte at or after `at` is ':'.
bool followed_by_colon(std::string_view s, size_t at) {
  while (at < s.size() && is_space(s[at])) {
    ++at;
  }
  return at < s.size() && s[at] == ':';
}

}  // namespace

std::string encode_json_string(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\\u00";
          out += kHex[static_cast<unsigned char>(c) >> 4];
          out += kHex[static_cast<unsigned char>(c) & 0xF];
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

JsonRewriteStats rewrite_json_strings(std::string_view input, const TextRewrite& rewrite,
                                      std::string& output) {
  JsonRewriteStats stats;
  output.reserve(output.size() + input.size() + input.size() / 8);
  size_t i = 0;
  while (i < input.size()) {
    const char c = input[i];
    if (c == '"') {
      // A string literal: find its end (a raw newline or the end of input leaves it open).
      size_t j = i + 1;
      bool closed = false;
      while (j < input.size()) {
        if (input[j] == '\\' && (j + 1 >= input.size() || input[j + 1] != '\n')) {
          j += 2;
          continue;
        }
        if (input[j] == '"') {
          closed = true;
          break;
        }
        if (input[j] == '\n') {
          break;
        }
        ++j;
      }
      j = std::min(j, input.size());
      const std::string_view body = input.substr(i + 1, j - i - 1);
      if (closed && followed_by_colon(input, j + 1)) {
        // A key: PII can be a key too ({"alice@example.com": "vip"}). Format keys ("role",
        // "content") never change, so only keys that hold PII are rewritten.
        std::optional<std::string> key = decode_body(body);
        std::string changed = key ? rewrite(*key) : rewrite(body);
        if (key ? changed != *key : changed != body) {
          ++stats.rewritten;
          output += encode_json_string(changed);
        } else {
          output.append(input.substr(i, j + 1 - i));
        }
        i = j + 1;
        continue;
      }
      ++stats.strings;
      std::optional<std::string> decoded = closed ? decode_body(body) : std::nullopt;
      if (decoded) {
        std::string changed = rewrite(*decoded);
        if (changed != *decoded) {
          ++stats.rewritten;
          output += encode_json_string(changed);
        } else {
          output.append(input.substr(i, j + 1 - i));
        }
      } else {
        // Fail closed on broken text: the raw bytes go through the rewrite.
        ++stats.broken;
        std::string changed = rewrite(body);
        if (changed != body) {
          ++stats.rewritten;
        }
        output += '"';
        output += changed;
        if (closed) {
          output += '"';
        }
      }
      i = closed ? j + 1 : j;
      continue;
    }
    if (ends_bare_run(c) || is_space(c)) {
      output += c;
      ++i;
      continue;
    }
    // A bare run: a scalar, or stray text; kept with its inner spaces, trailing spaces trimmed.
    size_t j = i;
    while (j < input.size() && !ends_bare_run(input[j])) {
      ++j;
    }
    size_t end = j;
    while (end > i && is_space(input[end - 1])) {
      --end;
    }
    const std::string_view run = input.substr(i, end - i);
    bool plain = run == "true" || run == "false" || run == "null";
    std::string changed = plain ? std::string(run) : rewrite(run);
    if (changed != run) {
      ++stats.rewritten;
      output += is_json_number(run) ? encode_json_string(changed) : changed;
    } else {
      output.append(run);
    }
    output.append(input.substr(end, j - end));
    i = j;
  }
  return stats;
}

Result<FileBytes> read_file_bytes(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return fail(ErrorCode::kNotFound, "no such file", {path});
  }
  FileBytes result;
  {
    std::ifstream in(path, std::ios::binary);
    char magic[2] = {0, 0};
    in.read(magic, 2);
    result.gzip = in.gcount() == 2 && static_cast<unsigned char>(magic[0]) == 0x1f &&
                  static_cast<unsigned char>(magic[1]) == 0x8b;
  }
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) {
    return fail(ErrorCode::kIo, std::string("cannot open: ") + std::strerror(errno), {path});
  }
  char buffer[1 << 16];
  for (;;) {
    const int n = gzread(file, buffer, sizeof buffer);
    if (n < 0) {
      int errnum = 0;
      std::string message = gzerror(file, &errnum);
      gzclose(file);
      return fail(ErrorCode::kIo, "cannot read: " + message, {path});
    }
    if (n == 0) {
      break;
    }
    result.data.append(buffer, static_cast<size_t>(n));
  }
  if (gzclose(file) != Z_OK) {
    return fail(ErrorCode::kIo, "cannot read (corrupt or truncated gzip stream)", {path});
  }
  return result;
}

Status write_file_bytes(const std::string& path, std::string_view data, bool gzip) {
  if (!gzip) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.close();
    if (!out) {
      return fail(ErrorCode::kIo, "cannot write", {path});
    }
    return ok_status();
  }
  gzFile file = gzopen(path.c_str(), "wb");
  if (file == nullptr) {
    return fail(ErrorCode::kIo, std::string("cannot create: ") + std::strerror(errno), {path});
  }
  while (!data.empty()) {
    const size_t chunk = std::min<size_t>(data.size(), 1U << 20);
    if (gzwrite(file, data.data(), static_cast<unsigned>(chunk)) != static_cast<int>(chunk)) {
      gzclose(file);
      return fail(ErrorCode::kIo, "cannot write gzip stream", {path});
    }
    data.remove_prefix(chunk);
  }
  if (gzclose(file) != Z_OK) {
    return fail(ErrorCode::kIo, "cannot finish gzip stream", {path});
  }
  return ok_status();
}

}  // namespace convaudit::ingest
