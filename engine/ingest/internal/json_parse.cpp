#include "engine/ingest/internal/json_parse.h"

#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <string>

#include <simdjson.h>

namespace convaudit::ingest::internal {

namespace {

using nlohmann::json;
namespace dom = simdjson::dom;

// Records up to this size reuse the thread's parser (JSONL messages are a few hundred bytes).
constexpr size_t kKeptParserBytes = size_t{256} << 10;

// nlohmann reads "-0" as a signed integer 0; simdjson's tree cannot tell it from "0". Text with
// a '-' and a '0' followed by neither a fraction, an exponent nor a digit ("-01" is no number for
// either parser; dates in strings are full of "-0") goes to nlohmann. Inside strings this may
// send a record there needlessly, never wrongly.
bool has_negative_zero_integer(std::string_view text) {
  for (size_t at = text.find("-0"); at != std::string_view::npos; at = text.find("-0", at + 1)) {
    const size_t next = at + 2;
    if (next >= text.size()) {
      return true;
    }
    const char c = text[next];
    if (c != '.' && c != 'e' && c != 'E' && (c < '0' || c > '9')) {
      return true;
    }
  }
  return false;
}

// simdjson's tree -> nlohmann's value; false if an element has no exact nlohmann equivalent or
// an array or object sits deeper than `depth_left` allows.
bool convert(dom::element element, json& out, int depth_left) {
  switch (element.type()) {
    case dom::element_type::OBJECT: {
      if (--depth_left < 0) {
        return false;
      }
      out = json::object();
      for (dom::key_value_pair field : dom::object(element)) {
        // operator[] keeps the last of duplicate keys, as nlohmann's parser does.
        if (!convert(field.value, out[std::string(field.key)], depth_left)) {
          return false;
        }
      }
      return true;
    }
    case dom::element_type::ARRAY: {
      if (--depth_left < 0) {
        return false;
      }
      out = json::array();
      for (dom::element item : dom::array(element)) {
        out.push_back(json());
        if (!convert(item, out.back(), depth_left)) {
          return false;
        }
      }
      return true;
    }
    case dom::element_type::STRING:
      out = std::string(std::string_view(element));
      return true;
    case dom::element_type::INT64: {
      const int64_t value = int64_t(element);
      if (value >= 0) {
        out = static_cast<uint64_t>(value);  // nlohmann: an integer without '-' is unsigned
      } else {
        out = value;
      }
      return true;
    }
    case dom::element_type::UINT64:
      out = uint64_t(element);
      return true;
    case dom::element_type::DOUBLE:
      out = double(element);
      return true;
    case dom::element_type::BOOL:
      out = bool(element);
      return true;
    case dom::element_type::NULL_VALUE:
      out = nullptr;
      return true;
  }
  return false;
}

}  // namespace

std::optional<json> parse_json_fast(std::string_view text, int max_depth) {
  if (has_negative_zero_integer(text)) {
    return std::nullopt;
  }
  // One parser and one padded copy of the text per thread, kept between records (simdjson reads
  // up to SIMDJSON_PADDING bytes past the end). A parser holds ~14 bytes per byte of the largest
  // text it has seen, so a record over kKeptParserBytes gets a parser of its own, freed with it.
  thread_local dom::parser kept_parser;
  thread_local std::string kept_padded;
  std::optional<dom::parser> own_parser;
  std::string own_padded;
  const bool large = text.size() > kKeptParserBytes;
  dom::parser& parser = large ? own_parser.emplace() : kept_parser;
  std::string& padded = large ? own_padded : kept_padded;
  if (padded.size() < text.size() + simdjson::SIMDJSON_PADDING) {
    padded.resize(text.size() + simdjson::SIMDJSON_PADDING);
  }
  std::memcpy(padded.data(), text.data(), text.size());
  dom::element root;
  if (parser.parse(padded.data(), text.size(), false).get(root) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  json value;
  if (!convert(root, value, max_depth)) {
    return std::nullopt;
  }
  return value;
}

json parse_json(std::string_view text) {
  if (std::optional<json> value = parse_json_fast(text, std::numeric_limits<int>::max())) {
    return std::move(*value);
  }
  return json::parse(text);
}

}  // namespace convaudit::ingest::internal
