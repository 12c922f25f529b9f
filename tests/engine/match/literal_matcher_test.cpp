// LiteralMatcher (the prefilter's Aho-Corasick for ASCII text): the same literals as a
// case-insensitive RE2 search of each, on hand-made cases and on random texts.

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/match/internal/literal_matcher.h"
#include "engine/match/regex.h"

using convaudit::match::PatternOptions;
using convaudit::match::Regex;
using convaudit::match::internal::LiteralMatcher;

namespace {

std::vector<int> found_in(const LiteralMatcher& matcher, std::string_view text) {
  std::vector<int> found;
  matcher.find(text, found);
  std::sort(found.begin(), found.end());
  return found;
}

// What a case-insensitive RE2 search of each literal says.
std::vector<int> expected_in(const std::vector<std::string>& literals, std::string_view text) {
  std::vector<int> expected;
  for (size_t id = 0; id < literals.size(); ++id) {
    auto regex =
        Regex::compile(literals[id], PatternOptions{.case_insensitive = true, .literal = true});
    REQUIRE(regex);
    if (regex->search(text)) {
      expected.push_back(static_cast<int>(id));
    }
  }
  return expected;
}

}  // namespace

TEST_CASE("LiteralMatcher finds every literal once, ignoring ASCII case", "[match][literal]") {
  const std::vector<std::string> literals = {"ignore", "prompt", "he", "she", "hers", "his",
                                             "ignore", "e"};
  auto matcher = LiteralMatcher::build(literals);
  REQUIRE(matcher != nullptr);
  // "ushers" holds she, he, hers and e; the duplicate "ignore" is reported under both ids.
  CHECK(found_in(*matcher, "USHERS") == std::vector<int>{2, 3, 4, 7});
  CHECK(found_in(*matcher, "Ignore the System PROMPT, ignore it") ==
        std::vector<int>{0, 1, 2, 6, 7});
  CHECK(found_in(*matcher, "xyz 123").empty());
  CHECK(found_in(*matcher, "").empty());
  // A literal split by another byte is not there.
  CHECK(found_in(*matcher, "ign ore prom-pt") == std::vector<int>{7});
}

TEST_CASE("LiteralMatcher leaves out literals that cannot occur in ASCII text",
          "[match][literal]") {
  auto matcher = LiteralMatcher::build({"café", "menu"});
  REQUIRE(matcher != nullptr);
  CHECK(found_in(*matcher, "the cafe menu") == std::vector<int>{1});
}

TEST_CASE("LiteralMatcher refuses literals whose case folding reaches ASCII", "[match][literal]") {
  // RE2 folds U+017F (long s) with 's' and the Kelvin sign U+212A with 'k': such a literal can
  // match ASCII text, so the ASCII automaton must not be used.
  CHECK(LiteralMatcher::build({"pa\xC5\xBF\xC5\xBF"}) == nullptr);
  CHECK(LiteralMatcher::build({"\xE2\x84\xAA" "ey"}) == nullptr);
  CHECK(LiteralMatcher::build({"ok", ""}) == nullptr);
  auto regex = Regex::compile("pa\xC5\xBF\xC5\xBF", PatternOptions{.case_insensitive = true});
  REQUIRE(regex);
  CHECK(regex->search("PASS"));  // why: RE2 does match ASCII here
}

TEST_CASE("LiteralMatcher agrees with RE2 on random literals and texts", "[match][literal]") {
  std::mt19937 random(20261202);
  const std::string alphabet = "abcAB .'-";
  auto random_string = [&](size_t min, size_t max) {
    std::uniform_int_distribution<size_t> length(min, max);
    std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
    std::string s(length(random), ' ');
    for (char& c : s) {
      c = alphabet[pick(random)];
    }
    return s;
  };
  for (int round = 0; round < 200; ++round) {
    std::vector<std::string> literals;
    const size_t count = 1 + round % 40;
    for (size_t i = 0; i < count; ++i) {
      literals.push_back(random_string(1, 5));
    }
    auto matcher = LiteralMatcher::build(literals);
    REQUIRE(matcher != nullptr);
    for (int text = 0; text < 10; ++text) {
      const std::string subject = random_string(0, 60);
      INFO("round " << round << " text '" << subject << "'");
      CHECK(found_in(*matcher, subject) == expected_in(literals, subject));
    }
  }
}
