#include "engine/match/pattern_set.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

using namespace convaudit;

TEST_CASE("a pattern set reports which patterns hit, ascending", "[match][set]") {
  match::PatternSet set;
  auto a = set.add("ignore (all )?previous instructions", {.case_insensitive = true});
  auto b = set.add("\\b\\d{3}-\\d{2}-\\d{4}\\b");
  auto c = set.add("a.b", {.literal = true});
  REQUIRE(a);
  REQUIRE(b);
  REQUIRE(c);
  CHECK(*a == 0);
  CHECK(*b == 1);
  CHECK(*c == 2);
  REQUIRE(set.compile());
  CHECK(set.size() == 3);

  CHECK(set.match("Please IGNORE ALL previous instructions, SSN 123-45-6789") ==
        std::vector<int>{0, 1});
  CHECK(set.match("nothing here").empty());
  CHECK(set.match("axb").empty());  // literal: the dot is not a wildcard
  CHECK(set.match("it is a.b") == std::vector<int>{2});
  CHECK(set.fallback_count() == 0);
}

TEST_CASE("a bad pattern is refused with RE2's reason", "[match][set]") {
  match::PatternSet set;
  auto bad = set.add("(unclosed");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == ErrorCode::kBadPattern);
  CHECK(bad.error().message.find("missing )") != std::string::npos);
  // Backreferences are not RE2 syntax: refused, not silently accepted.
  CHECK_FALSE(set.add("(a)\\1"));
  // A stray ")" is refused too, also case-insensitive (no wrapper group can balance it).
  CHECK_FALSE(set.add("a)(?:b"));
  CHECK_FALSE(set.add("a)(?:b", {.case_insensitive = true}));
  CHECK_FALSE(set.add("x)|(y", {.spans_only = true}));
}

TEST_CASE("spans from many threads at once: each pattern is compiled alone once, on demand",
          "[match][set]") {
  match::PatternSet set;
  std::vector<int> ids;
  for (int i = 0; i < 40; ++i) {
    auto id = set.add("word" + std::to_string(i) + "[a-z]*\\b", {.case_insensitive = (i % 2) == 0});
    REQUIRE(id);
    ids.push_back(*id);
  }
  REQUIRE(set.compile());
  const std::string text = "x WORD0abc word1 Word2 word39zz";
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int round = 0; round < 50; ++round) {
        for (int id : ids) {
          auto span = set.find(id, text);
          const bool expect = id == 0 || id == 1 || id == 2 || id == 39;
          if (span.has_value() != expect) {
            ++wrong;
          }
        }
      }
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  CHECK(wrong == 0);
  auto span = set.find(0, text);
  REQUIRE(span);
  CHECK(text.substr(span->begin, span->end - span->begin) == "WORD0abc");
  CHECK_FALSE(set.find(3, text));   // "word3" only starts "word39zz": no word boundary after it
  CHECK_FALSE(set.find(21, text));  // "word21" is absent
}

TEST_CASE("for_each_match yields every non-overlapping span", "[match][set]") {
  match::PatternSet set;
  REQUIRE(set.add("[a-z]+@[a-z]+\\.com"));
  REQUIRE(set.add("x*"));
  REQUIRE(set.compile());
  std::string text = "mail ann@ex.com or bob@ex.com.";
  std::vector<std::string> found;
  set.for_each_match(0, text, [&](match::MatchSpan span) {
    found.push_back(text.substr(span.begin, span.end - span.begin));
  });
  CHECK(found == std::vector<std::string>{"ann@ex.com", "bob@ex.com"});
  // A pattern that can match empty terminates and reports only real spans.
  std::vector<std::string> xs;
  std::string xtext = "axxbx";
  set.for_each_match(1, xtext, [&](match::MatchSpan span) {
    xs.push_back(xtext.substr(span.begin, span.end - span.begin));
  });
  CHECK(xs == std::vector<std::string>{"xx", "x"});
}

TEST_CASE("matching is linear: a classic catastrophic pattern does not hang", "[match][set]") {
  match::PatternSet set;
  REQUIRE(set.add("(a+)+$"));
  REQUIRE(set.compile());
  std::string text(100000, 'a');
  text += "!";
  CHECK(set.match(text).empty());
}

TEST_CASE("many patterns over a long input never miss a hit", "[match][set]") {
  // Many large counted repetitions make the set's DFA exceed its budget on a long input.
  match::PatternSet set;
  for (int i = 0; i < 40; ++i) {
    REQUIRE(set.add("[a-q][^u-z]{13}x" + std::to_string(i % 10) + ".{0,40}y" + std::to_string(i)));
  }
  REQUIRE(set.compile());
  std::string text;
  for (int i = 0; i < 20000; ++i) {
    text += static_cast<char>('a' + (i * 7) % 26);
  }
  text += "abcdefghijklmnx7" + std::string(10, 'k') + "y17";
  auto hits = set.match(text);
  CHECK(std::find(hits.begin(), hits.end(), 17) != hits.end());
}

TEST_CASE("spans_only patterns are left out of match() but found by find()", "[match][set]") {
  match::PatternSet set;
  REQUIRE(set.add("cat"));
  match::PatternOptions only_spans;
  only_spans.spans_only = true;
  auto dog = set.add("d[o0]g", only_spans);
  REQUIRE(dog);
  CHECK(*dog == 1);
  REQUIRE(set.add("bird"));
  REQUIRE(set.compile());
  const std::string text = "a dog, a d0g and a bird";
  CHECK(set.match(text) == std::vector<int>{2});  // ids stay in add order; 1 is never reported
  auto first = set.find(1, text);
  REQUIRE(first);
  CHECK(text.substr(first->begin, first->end - first->begin) == "dog");
  auto second = set.find(1, text, first->end);
  REQUIRE(second);
  CHECK(text.substr(second->begin, second->end - second->begin) == "d0g");
  CHECK_FALSE(set.find(1, text, second->end));
}

TEST_CASE("find with anchor_start only takes a match at the position", "[match][set]") {
  match::PatternSet set;
  REQUIRE(set.add("\\bkey:\\s*"));
  REQUIRE(set.compile());
  const std::string text = "my key: x, monkey: y";
  CHECK_FALSE(set.find(0, text, 0, true));
  auto at = set.find(0, text, 3, true);
  REQUIRE(at);
  CHECK(at->begin == 3);
  CHECK(at->end == 8);
  // \b sees the byte before `from`: "monkey" has no word boundary before "key".
  CHECK_FALSE(set.find(0, text, 14, true));
  CHECK_FALSE(set.find(0, text, 8));
}

TEST_CASE("a set of spans_only patterns compiles and matches nothing", "[match][set]") {
  match::PatternSet set;
  match::PatternOptions only_spans;
  only_spans.spans_only = true;
  REQUIRE(set.add("abc", only_spans));
  REQUIRE(set.compile());
  CHECK(set.match("xxabcxx").empty());
  CHECK(set.find(0, "xxabcxx"));
}

TEST_CASE("matches_any agrees with match() and ignores spans_only patterns", "[match][set]") {
  match::PatternSet set;
  REQUIRE(set.add("\\b\\d{3}-\\d{2}-\\d{4}\\b"));
  match::PatternOptions only_spans;
  only_spans.spans_only = true;
  REQUIRE(set.add("hello", only_spans));
  REQUIRE(set.add("[a-z]+@[a-z]+\\.com"));
  REQUIRE(set.compile());
  for (const std::string text :
       {"", "hello world", "ssn 123-45-6789", "mail ann@ex.com", "1234-45-6789", "x@y.org"}) {
    INFO(text);
    CHECK(set.matches_any(text) == !set.match(text).empty());
  }
  CHECK_FALSE(set.matches_any("hello world"));
  CHECK(set.matches_any("write to ann@ex.com"));
}
