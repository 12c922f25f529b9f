#include "engine/core/timestamp.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

namespace convaudit::core {
namespace {

constexpr int64_t kNsPerSecond = 1'000'000'000;

bool read_digits(std::string_view text, size_t& pos, size_t count, int64_t& out) {
  if (pos + count > text.size()) {
    return false;
  }
  int64_t value = 0;
  for (size_t i = 0; i < count; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') {
      return false;
    }
    value = value * 10 + (c - '0');
  }
  pos += count;
  out = value;
  return true;
}

bool all_digits(std::string_view text) {
  if (text.empty()) {
    return false;
  }
  for (char c : text) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

Result<int64_t> parse_epoch_text(std::string_view text) {
  std::string_view whole = text;
  std::string_view fraction;
  if (auto dot = text.find('.'); dot != std::string_view::npos) {
    whole = text.substr(0, dot);
    fraction = text.substr(dot + 1);
  }
  if (!all_digits(whole) || (!fraction.empty() && !all_digits(fraction)) || whole.size() > 19) {
    return fail(ErrorCode::kBadTimestamp, "not an epoch number: '" + std::string(text) + "'");
  }
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), value);
  if (ec != std::errc()) {
    return fail(ErrorCode::kBadTimestamp, "epoch number out of range: '" + std::string(text) + "'");
  }
  (void)ptr;
  size_t digits = whole.size();
  // Every unit must land inside the int64 nanosecond range (years 1678..2262).
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  const int64_t unit = digits <= 11 ? kNsPerSecond : digits <= 14 ? 1'000'000 : digits <= 17 ? 1'000 : 1;
  if (value > (kMax - kNsPerSecond) / unit) {
    return fail(ErrorCode::kBadTimestamp, "epoch number out of range: '" + std::string(text) + "'");
  }
  if (digits <= 11) {
    int64_t ns = value * kNsPerSecond;
    int64_t scale = kNsPerSecond / 10;
    for (size_t i = 0; i < fraction.size() && i < 9; ++i, scale /= 10) {
      ns += (fraction[i] - '0') * scale;
    }
    return ns;
  }
  if (!fraction.empty()) {
    return fail(ErrorCode::kBadTimestamp,
                "fractional sub-second epoch: '" + std::string(text) + "'");
  }
  if (digits <= 14) {
    return value * 1'000'000;
  }
  if (digits <= 17) {
    return value * 1'000;
  }
  return value;
}

}  // namespace

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t& year, unsigned& month, unsigned& day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  day = doy - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year = y + (month <= 2);
}

Result<int64_t> parse_timestamp(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  auto bad = [&](const char* why) {
    return fail(ErrorCode::kBadTimestamp,
                std::string(why) + ": '" + std::string(text.substr(0, 64)) + "'");
  };
  if (text.empty()) {
    return bad("empty timestamp");
  }
  if (text.size() < 10 || text[4] != '-') {
    return parse_epoch_text(text);
  }
  size_t pos = 0;
  int64_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, frac_ns = 0;
  if (!read_digits(text, pos, 4, year) || text[pos++] != '-' || !read_digits(text, pos, 2, month) ||
      pos >= text.size() || text[pos++] != '-' || !read_digits(text, pos, 2, day)) {
    return bad("not an ISO 8601 date");
  }
  if (month < 1 || month > 12 || day < 1 || day > 31) {
    return bad("date out of range");
  }
  static constexpr int kDaysInMonth[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day > kDaysInMonth[month - 1] || (month == 2 && day == 29 && !leap)) {
    return bad("no such day");
  }
  int64_t offset_seconds = 0;
  if (pos < text.size()) {
    char sep = text[pos++];
    if (sep != 'T' && sep != 't' && sep != ' ') {
      return bad("expected 'T' between date and time");
    }
    if (!read_digits(text, pos, 2, hour) || pos >= text.size() || text[pos++] != ':' ||
        !read_digits(text, pos, 2, minute)) {
      return bad("not an ISO 8601 time");
    }
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      if (!read_digits(text, pos, 2, second)) {
        return bad("bad seconds");
      }
    }
    if (hour > 23 || minute > 59 || second > 60) {
      return bad("time out of range");
    }
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
      ++pos;
      int64_t scale = kNsPerSecond / 10;
      size_t start = pos;
      while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
        if (scale > 0) {
          frac_ns += (text[pos] - '0') * scale;
          scale /= 10;
        }
        ++pos;
      }
      if (pos == start) {
        return bad("empty fraction");
      }
    }
    if (pos < text.size()) {
      char zone = text[pos++];
      if (zone == 'Z' || zone == 'z') {
        // UTC
      } else if (zone == '+' || zone == '-') {
        int64_t oh = 0, om = 0;
        if (!read_digits(text, pos, 2, oh)) {
          return bad("bad zone offset");
        }
        if (pos < text.size() && text[pos] == ':') {
          ++pos;
        }
        if (pos < text.size() && !read_digits(text, pos, 2, om)) {
          return bad("bad zone offset");
        }
        if (oh > 23 || om > 59) {
          return bad("zone offset out of range");
        }
        offset_seconds = (oh * 3600 + om * 60) * (zone == '+' ? 1 : -1);
      } else {
        return bad("unexpected character after time");
      }
    }
    if (pos != text.size()) {
      return bad("trailing characters");
    }
  }
  if (year < 1678 || year > 2261) {
    return bad("year out of range");
  }
  int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
  return seconds * kNsPerSecond + frac_ns;
}

int64_t epoch_number_to_ns(double value) {
  double magnitude = std::fabs(value);
  if (magnitude < 1e11) {
    return static_cast<int64_t>(std::llround(value * 1e9));
  }
  if (magnitude < 1e14) {
    return static_cast<int64_t>(std::llround(value * 1e6));
  }
  if (magnitude < 1e17) {
    return static_cast<int64_t>(std::llround(value * 1e3));
  }
  if (magnitude < 9.2e18) {
    return static_cast<int64_t>(value);
  }
  return 0;
}

std::string format_timestamp(int64_t timestamp_ns) {
  int64_t seconds = timestamp_ns / kNsPerSecond;
  int64_t ns = timestamp_ns % kNsPerSecond;
  if (ns < 0) {
    ns += kNsPerSecond;
    seconds -= 1;
  }
  int64_t days = seconds / 86400;
  int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    days -= 1;
  }
  int64_t year = 0;
  unsigned month = 0, day = 0;
  civil_from_days(days, year, month, day);
  // Digits written by hand: snprintf was most of the cost of a message view and an output line.
  // An int64 of nanoseconds spans the years 1677 to 2262, always four digits.
  char buf[32];
  auto put = [&buf](size_t at, int64_t value, int width) {
    for (int i = width - 1; i >= 0; --i) {
      buf[at + static_cast<size_t>(i)] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
  };
  put(0, year, 4);
  buf[4] = '-';
  put(5, month, 2);
  buf[7] = '-';
  put(8, day, 2);
  buf[10] = 'T';
  put(11, rem / 3600, 2);
  buf[13] = ':';
  put(14, rem / 60 % 60, 2);
  buf[16] = ':';
  put(17, rem % 60, 2);
  size_t size = 19;
  if (ns != 0) {
    buf[size++] = '.';
    put(size, ns, 9);
    size += 9;
    while (buf[size - 1] == '0') {
      --size;
    }
  }
  buf[size++] = 'Z';
  return std::string(buf, size);
}

IsoWeek iso_week(int64_t timestamp_ns) {
  constexpr int64_t kNsPerDay = 86'400'000'000'000;
  int64_t days = timestamp_ns / kNsPerDay;
  if (timestamp_ns % kNsPerDay < 0) {
    --days;  // floor for instants before 1970
  }
  int64_t weekday = ((days + 3) % 7 + 7) % 7;  // 0 = Monday (1970-01-01 was a Thursday)
  int64_t monday = days - weekday;
  int64_t thursday = monday + 3;  // the ISO year is the year of the week's Thursday
  int64_t year = 0;
  unsigned month = 0;
  unsigned day = 0;
  civil_from_days(thursday, year, month, day);
  int64_t day_of_year = thursday - days_from_civil(year, 1, 1);
  IsoWeek result;
  result.year = year;
  result.week = static_cast<unsigned>(day_of_year / 7 + 1);
  result.monday_ns = monday * kNsPerDay;
  char label[24];
  std::snprintf(label, sizeof(label), "%04lld-W%02u", static_cast<long long>(year), result.week);
  result.label = label;
  return result;
}

}  // namespace convaudit::core
