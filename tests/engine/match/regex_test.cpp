#include "engine/match/regex.h"

#include <catch2/catch.hpp>

using namespace convaudit;

TEST_CASE("Regex search and find with capture groups", "[match][regex]") {
  auto re = match::Regex::compile("(\\w+)@(\\w+)\\.com");
  REQUIRE(re);
  CHECK(re->capture_count() == 2);
  CHECK(re->search("write to ann@example.com today"));
  CHECK_FALSE(re->search("no address"));
  auto m = re->find("a@b.com and cat@dog.com", 2);
  REQUIRE(m);
  CHECK(m->span.begin == 12);
  CHECK(m->span.end == 23);
  CHECK(m->groups == std::vector<std::string>{"cat", "dog"});
  CHECK_FALSE(re->find("a@b.com", 100));
}

TEST_CASE("Regex optional groups that do not take part are empty", "[match][regex]") {
  auto re = match::Regex::compile("(x)?(y)");
  REQUIRE(re);
  auto m = re->find("y");
  REQUIRE(m);
  CHECK(m->groups == std::vector<std::string>{"", "y"});
}

TEST_CASE("Regex replace_all with group references and limits", "[match][regex]") {
  auto re = match::Regex::compile("(\\d+)");
  REQUIRE(re);
  auto [all, n] = re->replace_all("a1 b22 c333", "<\\1>");
  CHECK(all == "a<1> b<22> c<333>");
  CHECK(n == 3);
  auto [some, m] = re->replace_all("a1 b22 c333", "#", 2);
  CHECK(some == "a# b# c333");
  CHECK(m == 2);
  auto empty = match::Regex::compile("x*");
  REQUIRE(empty);
  auto [e, k] = empty->replace_all("ab", "-");
  CHECK(e == "-a-b-");
  CHECK(k == 3);
}

TEST_CASE("Regex split", "[match][regex]") {
  auto re = match::Regex::compile("\\s*,\\s*");
  REQUIRE(re);
  CHECK(re->split("a , b,c") == std::vector<std::string>{"a", "b", "c"});
  CHECK(re->split("a,b,c", 2) == std::vector<std::string>{"a", "b,c"});
  CHECK(re->split("") == std::vector<std::string>{""});
  CHECK(re->split(",a,") == std::vector<std::string>{"", "a", ""});
}

TEST_CASE("Regex compile errors and case-insensitive option", "[match][regex]") {
  auto bad = match::Regex::compile("a{2,1}");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == ErrorCode::kBadPattern);
  auto ci = match::Regex::compile("developer mode", {.case_insensitive = true});
  REQUIRE(ci);
  CHECK(ci->search("Enable DEVELOPER MODE now"));
}
