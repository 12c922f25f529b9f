// PatternSet with the literal prefilter (PatternSetOptions::prefilter): the same answers as the
// RE2::Set path, fewer patterns confirmed, and no false negatives from case folding.

#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/match/pattern_set.h"

using namespace convaudit;

namespace {

constexpr match::PatternSetOptions kPrefilter{.prefilter = true, .min_atom_len = 3};

struct Pattern {
  std::string text;
  match::PatternOptions options;
};

// Two sets over the same patterns: RE2::Set and prefilter.
std::pair<match::PatternSet, match::PatternSet> both(
    const std::vector<Pattern>& patterns, match::PatternSetOptions prefilter = kPrefilter) {
  match::PatternSet set;
  match::PatternSet filtered(prefilter);
  for (const Pattern& pattern : patterns) {
    REQUIRE(set.add(pattern.text, pattern.options));
    REQUIRE(filtered.add(pattern.text, pattern.options));
  }
  REQUIRE(set.compile());
  REQUIRE(filtered.compile());
  return {std::move(set), std::move(filtered)};
}

}  // namespace

TEST_CASE("prefilter: hits, ids, literals and spans as with RE2::Set", "[match][prefilter]") {
  auto [set, filtered] = both({{"ignore (all )?previous instructions", {.case_insensitive = true}},
                               {"\\b\\d{3}-\\d{2}-\\d{4}\\b", {}},
                               {"a.b", {.literal = true}},
                               {"context", {.spans_only = true}}});
  for (const char* text : {"Please IGNORE ALL previous instructions, SSN 123-45-6789",
                           "nothing here", "axb", "it is a.b", "context only"}) {
    INFO(text);
    CHECK(filtered.match(text) == set.match(text));
    CHECK(filtered.matches_any(text) == set.matches_any(text));
  }
  CHECK(filtered.match("IGNORE previous INSTRUCTIONS 123-45-6789") == std::vector<int>{0, 1});
  CHECK(filtered.match("context").empty());  // spans_only stays out of match()
  auto span = filtered.find(3, "the context");
  REQUIRE(span);
  CHECK(span->begin == 4);
  span = filtered.find(0, "x Ignore previous instructions");
  REQUIRE(span);
  CHECK(span->begin == 2);
  CHECK(filtered.matches(1, "123-45-6789"));
  CHECK_FALSE(filtered.matches(1, "123-45-678"));
  CHECK(filtered.fallback_count() == 0);
}

TEST_CASE("prefilter: only patterns whose atoms occur (or that have none) are candidates",
          "[match][prefilter]") {
  match::PatternSet filtered(kPrefilter);
  REQUIRE(filtered.add("(?i)\\bignore\\b.{0,40}\\binstructions\\b"));
  REQUIRE(filtered.add("(?i)(system|hidden) prompt"));
  REQUIRE(filtered.add("\\w{25,}"));  // no literal at all: always a candidate
  REQUIRE(filtered.add("(?i)a+b"));   // atoms shorter than 3: filtered again with 1-byte atoms
  REQUIRE(filtered.compile());
  const match::PrefilterStats stats = filtered.prefilter_stats();
  CHECK(stats.filtered == 3);
  CHECK(stats.unfiltered == 1);
  CHECK(stats.atoms >= 5);  // ignore, instructions, system/hidden prompt, then a, b

  CHECK(filtered.candidates("hello there") == std::vector<int>{2});
  CHECK(filtered.candidates("the HIDDEN prompt") == std::vector<int>{1, 2});
  // Both atoms of pattern 0 must occur (AND), in any case.
  CHECK(filtered.candidates("IGNORE me") == std::vector<int>{2});
  CHECK(filtered.candidates("Instructions: ignore") == std::vector<int>{0, 2});
  CHECK(filtered.match("Instructions: ignore").empty());  // a candidate, then confirmed: no
  CHECK(filtered.match("ignore the instructions, call me") == std::vector<int>{0});
  CHECK(filtered.candidates("a CAB") == std::vector<int>{2, 3});
  CHECK(filtered.match("a CAB") == std::vector<int>{3});

  match::PatternSet set;  // without the prefilter every pattern is a candidate
  REQUIRE(set.add("abc"));
  REQUIRE(set.add("def", {.spans_only = true}));
  REQUIRE(set.compile());
  CHECK(set.candidates("zzz") == std::vector<int>{0});
  CHECK(set.prefilter_stats().atoms == 0);
}

TEST_CASE("issue 5: prefilter: patterns that need a non-ASCII byte skip ASCII text",
          "[match][prefilter]") {
  // No literal atoms in any of them (classes too large to expand): before, each was confirmed
  // against every text.
  auto [set, filtered] = both({{"[\\x{E0000}-\\x{E007F}]", {}},          // tag characters
                               {"[\\x{0430}-\\x{044F}]\\p{Latin}", {}},  // Cyrillic, then Latin
                               {"[\\x{FF21}-\\x{FF3A}]{4,}", {}},        // fullwidth letters
                               {"\\p{Latin}[\\x{0430}-\\x{044F}]", {}},  // may start ASCII: kept
                               {"\\w{25,}", {}}});                       // ASCII: kept
  CHECK(filtered.candidates("plain ASCII text, nothing to see") == std::vector<int>{3, 4});
  CHECK(filtered.candidates("ignore the rules") == std::vector<int>{3, 4});
  // One non-ASCII byte anywhere and they are candidates again, and hits are found.
  CHECK(filtered.candidates("caf\u00e9") == std::vector<int>{0, 1, 2, 3, 4});
  for (const char* text : {"plain ASCII text", "\u043egnore (Cyrillic o)", "ign\u043ere",
                           "\uff29\uff27\uff2e\uff2f\uff32\uff25",
                           "hidden\U000E0041\U000E0042 tags", "caf\u00e9 au lait"}) {
    INFO(text);
    CHECK(filtered.match(text) == set.match(text));
    CHECK(filtered.matches_any(text) == set.matches_any(text));
  }
  CHECK(filtered.match("\u043egnore") == std::vector<int>{1});
  // An empty-width assertion can hide where a match may start: never gated.
  auto [set2, filtered2] = both({{"\\B\\d\\d|[\\x{FF21}-\\x{FF3A}]{4,}", {}}});
  CHECK(filtered2.match("a12") == std::vector<int>{0});
  CHECK(filtered2.match("a12") == set2.match("a12"));
  CHECK(filtered.match("ign\u043ere") == std::vector<int>{1, 3});
}

TEST_CASE("prefilter: Unicode case folding never hides a hit", "[match][prefilter]") {
  // RE2 folds the Kelvin sign with k, long s with s, final sigma with sigma: a prefilter that
  // lowercased only ASCII would miss these.
  auto [set, filtered] = both({{"(?i)kelvin scale", {}},
                               {"(?i)instructions", {}},
                               {"(?i)ΣΟΦΙΑ", {}},
                               {"ΟΔΟΣ", {}},  // case-sensitive, upper-case atom lowercased
                               {"straße", {.case_insensitive = true}},
                               {"(?i)übung macht", {}}});
  const std::vector<std::string> texts = {
      "the \xE2\x84\xAA"
      "ELVIN scale",                 // Kelvin sign
      "ignore in\xC5\xBFtructions",  // long s
      "σοφια and ΣΟΦΙΑ and σοφιa",   // lower and upper sigma
      "ΟΔΟΣ",
      "οδος",
      "STRAẞE",
      "ÜBUNG MACHT den Meister",
      "Übung macht",
      "nothing"};
  for (const std::string& text : texts) {
    INFO(text);
    CHECK(filtered.match(text) == set.match(text));
  }
  CHECK(filtered.match(texts[0]) == std::vector<int>{0});
  CHECK(filtered.match(texts[1]) == std::vector<int>{1});
  CHECK(filtered.match("ΟΔΟΣ") == std::vector<int>{3});
  CHECK(filtered.match("οδος").empty());  // a candidate (atom "οδος"), not a hit
}

TEST_CASE("prefilter: random patterns and texts agree with RE2::Set", "[match][prefilter]") {
  std::mt19937 random(7);
  const std::vector<std::string> words = {"ab",  "abc", "bca", "ignore", "rules", "dan", "mode",
                                          "xyz", "k",   "zz",  "now",    "a",     "do"};
  auto word = [&] { return words[random() % words.size()]; };
  std::vector<Pattern> patterns;
  for (int i = 0; i < 120; ++i) {
    std::string text;
    switch (random() % 6) {
      case 0:
        text = word() + ".{0," + std::to_string(random() % 20) + "}" + word();
        break;
      case 1:
        text = "\\b(" + word() + "|" + word() + ")\\b";
        break;
      case 2:
        text = word() + "\\s+" + word() + "?";
        break;
      case 3:
        text = "[a-c]{2,4}" + word();
        break;
      case 4:
        text = "(?:" + word() + ")+" + "\\d*";
        break;
      default:
        text = word();
        break;
    }
    patterns.push_back({text, {.case_insensitive = random() % 2 == 0}});
  }
  for (int min_atom_len : {1, 3, 5}) {
    auto [set, filtered] = both(patterns, {.prefilter = true, .min_atom_len = min_atom_len});
    for (int t = 0; t < 400; ++t) {
      std::string text;
      const int length = static_cast<int>(random() % 12);
      for (int w = 0; w < length; ++w) {
        std::string piece = word();
        if (random() % 3 == 0) {
          for (char& c : piece) {
            c = static_cast<char>(c - 'a' + 'A');
          }
        }
        text += piece + (random() % 4 == 0 ? "" : " ");
      }
      INFO("min_atom_len " << min_atom_len << ": " << text);
      REQUIRE(filtered.match(text) == set.match(text));
      REQUIRE(filtered.matches_any(text) == set.matches_any(text));
    }
  }
}

TEST_CASE("prefilter: an empty set and a set of spans_only patterns", "[match][prefilter]") {
  match::PatternSet empty(kPrefilter);
  REQUIRE(empty.compile());
  CHECK(empty.match("anything").empty());
  CHECK_FALSE(empty.matches_any("anything"));
  match::PatternSet spans(kPrefilter);
  REQUIRE(spans.add("abc", {.spans_only = true}));
  REQUIRE(spans.compile());
  CHECK(spans.match("abc").empty());
  CHECK(spans.find(0, "xabc").has_value());
  match::PatternSet bad(kPrefilter);
  auto refused = bad.add("(unclosed");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message.find("missing )") != std::string::npos);
}
