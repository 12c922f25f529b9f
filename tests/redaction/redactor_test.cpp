#include "redaction/redactor.h"

#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <unistd.h>

#include "redaction/vault.h"
#include "tests/support/conversation_builder.h"

using namespace convaudit::redaction;
using convaudit::testing::ConversationBuilder;

namespace {

struct Collected {
  std::string token;
  PiiType type;
  std::string value;
};

class CollectingSink : public MappingSink {
 public:
  void record(const std::string& token, PiiType type, std::string_view value) override {
    std::lock_guard<std::mutex> lock(mutex_);
    items.push_back({token, type, std::string(value)});
  }
  std::vector<Collected> items;

 private:
  std::mutex mutex_;
};

struct Fixture {
  PiiDetector detector = std::move(*PiiDetector::create());
  Pseudonymizer pseudonymizer{std::vector<uint8_t>(32, 9)};
  Redactor redactor{detector, pseudonymizer};
};

}  // namespace

TEST_CASE("redact_text replaces every span by its token and records the normalised value",
          "[redaction][redactor]") {
  Fixture f;
  CollectingSink sink;
  std::vector<PiiMention> mentions;
  const std::string out = f.redactor.redact_text(
      "Mail Jane@Example.com or call 555-123-4567, card 4111 1111 1111 1111.", sink, &mentions);
  const std::string email = f.pseudonymizer.token(PiiType::kEmail, "jane@example.com");
  const std::string phone = f.pseudonymizer.token(PiiType::kPhone, "5551234567");
  const std::string card = f.pseudonymizer.token(PiiType::kCard, "4111111111111111");
  CHECK(out == "Mail " + email + " or call " + phone + ", card " + card + ".");
  REQUIRE(sink.items.size() == 3);
  CHECK(sink.items[0].token == email);
  // The normalised value the token stands for, the same for every spelling of it.
  CHECK(sink.items[0].value == "jane@example.com");
  CHECK(sink.items[2].value == "4111111111111111");
  REQUIRE(mentions.size() == 3);
  CHECK(mentions[1].type == PiiType::kPhone);
  CHECK(mentions[1].token == phone);
}

TEST_CASE("same value, same token; redacting twice changes nothing", "[redaction][redactor]") {
  Fixture f;
  CollectingSink sink;
  const std::string a = f.redactor.redact_text("a@x.io", sink, nullptr);
  const std::string b = f.redactor.redact_text("A@X.IO", sink, nullptr);
  CHECK(a == b);
  CHECK(is_token(a));
  const std::string twice = f.redactor.redact_text("hi " + a + " 4111111111111111", sink, nullptr);
  CHECK(f.redactor.redact_text(twice, sink, nullptr) == twice);
}

TEST_CASE("PII in metadata keys and integers is redacted too", "[redaction][redactor]") {
  Fixture f;
  CollectingSink sink;
  nlohmann::json metadata = {
      {"vip", {{"carol@corp.example", "gold"}, {"tier", 2}}},
      {"card", 4111111111111111},              // a Visa test number written as a number
      {"created_ms", int64_t{1782864000123}},  // a timestamp in milliseconds is not PII
      {"tokens", 412},
  };
  auto conversation = ConversationBuilder("s9").user("hello", metadata).build();
  RedactedConversation redacted = f.redactor.redact(std::move(conversation), sink);
  const nlohmann::json& out = redacted.conversation().messages[0].metadata;
  const std::string email = f.pseudonymizer.token(PiiType::kEmail, "carol@corp.example");
  REQUIRE(out["vip"].contains(email));
  CHECK(out["vip"][email] == "gold");
  CHECK(out["vip"]["tier"] == 2);
  CHECK(out["card"] == f.pseudonymizer.token(PiiType::kCard, "4111111111111111"));
  CHECK(out["created_ms"] == int64_t{1782864000123});
  CHECK(out["tokens"] == 412);
  CHECK(out.dump().find("carol@") == std::string::npos);
  CHECK(out.dump().find("4111111111111111") == std::string::npos);
  CHECK(redacted.pii()[0].size() == 2);
}

TEST_CASE("redact covers text and metadata strings, recursively", "[redaction][redactor]") {
  Fixture f;
  CollectingSink sink;
  nlohmann::json metadata = {
      {"model", "m1"},
      {"latency_ms", 120},
      {"user", {{"email", "bob@corp.example"}, {"ips", {"10.1.2.3", "no pii", 7}}}},
  };
  auto conversation = ConversationBuilder("s1")
                          .user("my name is Alice Jones", metadata)
                          .assistant("Hello! Nothing here.")
                          .build();
  RedactedConversation redacted = f.redactor.redact(std::move(conversation), sink);
  const auto& messages = redacted.conversation().messages;
  REQUIRE(messages.size() == 2);
  CHECK(messages[0].text ==
        "my name is " + f.pseudonymizer.token(PiiType::kPersonName, "Alice Jones"));
  const auto& user = messages[0].metadata["user"];
  CHECK(user["email"] == f.pseudonymizer.token(PiiType::kEmail, "bob@corp.example"));
  CHECK(user["ips"][0] == f.pseudonymizer.token(PiiType::kIpAddress, "10.1.2.3"));
  CHECK(user["ips"][1] == "no pii");
  CHECK(user["ips"][2] == 7);
  CHECK(messages[0].metadata["model"] == "m1");
  CHECK(messages[0].metadata["latency_ms"] == 120);
  CHECK(messages[1].text == "Hello! Nothing here.");

  REQUIRE(redacted.pii().size() == 2);
  REQUIRE(redacted.pii()[0].size() == 3);
  CHECK(redacted.pii()[0][0].type == PiiType::kPersonName);
  CHECK(redacted.pii()[1].empty());
  CHECK(sink.items.size() == 3);
  const std::string dump = messages[0].metadata.dump() + messages[0].text;
  CHECK(dump.find("bob@corp") == std::string::npos);
  CHECK(dump.find("10.1.2.3") == std::string::npos);
  CHECK(dump.find("Alice") == std::string::npos);
}

TEST_CASE("metadata repeated on every message is redacted on every message",
          "[redaction][redactor]") {
  // Values found free of PII are not scanned again within a conversation; values with PII are
  // redacted (and their mentions listed) on each message that carries them.
  Fixture f;
  CollectingSink sink;
  const nlohmann::json metadata = {
      {"model", "gpt-4o"}, {"agent", "agent-4"}, {"customer", "bob@corp.example"}};
  auto conversation = ConversationBuilder("s2")
                          .user("one", metadata)
                          .assistant("two", metadata)
                          .user("three", {{"model", "gpt-4o"}, {"note", "call +1 202 555 0143"}})
                          .build();
  RedactedConversation redacted = f.redactor.redact(std::move(conversation), sink);
  const auto& messages = redacted.conversation().messages;
  REQUIRE(messages.size() == 3);
  const std::string email = f.pseudonymizer.token(PiiType::kEmail, "bob@corp.example");
  for (size_t i = 0; i < 2; ++i) {
    CHECK(messages[i].metadata["customer"] == email);
    CHECK(messages[i].metadata["model"] == "gpt-4o");
    CHECK(messages[i].metadata["agent"] == "agent-4");
    REQUIRE(redacted.pii()[i].size() == 1);
    CHECK(redacted.pii()[i][0].token == email);
  }
  CHECK(messages[2].metadata["model"] == "gpt-4o");
  CHECK(messages[2].metadata["note"].get<std::string>().find("555") == std::string::npos);
  CHECK(redacted.pii()[2].size() == 1);
  CHECK(sink.items.size() == 3);
}

TEST_CASE("every spelling of one value goes to a real vault as one subject, no collision",
          "[redaction][redactor][vault]") {
  Fixture f;
  const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     ("convaudit-spellings-" + std::to_string(::getpid()));
  std::filesystem::remove(path);
  auto vault = convaudit::redaction::Vault::open(path.string(), std::vector<uint8_t>(32, 4));
  REQUIRE(vault);
  const std::string out = f.redactor.redact_text(
      "Call (202) 555-0143 or 202.555.0143 or 202-555-0143. Mail Jane@Example.com, "
      "jane@example.com or JANE@EXAMPLE.COM. Card 4111 1111 1111 1111 = 4111-1111-1111-1111.",
      **vault, nullptr);
  const std::string phone = f.pseudonymizer.token(PiiType::kPhone, "2025550143");
  const std::string email = f.pseudonymizer.token(PiiType::kEmail, "jane@example.com");
  CHECK(out.find("202") == std::string::npos);
  CHECK(out.find(phone) != std::string::npos);
  CHECK((*vault)->size() == 3);
  auto flushed = (*vault)->flush();
  INFO((flushed ? std::string() : flushed.error().message));
  REQUIRE(flushed);  // was vault.token_collision: the vault kept the first spelling
  auto revealed = (*vault)->reveal(email);
  REQUIRE(revealed);
  CHECK(revealed->value == "jane@example.com");
  CHECK((*vault)->reveal(phone)->value == "2025550143");
  vault->reset();
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + ".lock");
}

TEST_CASE("redact_in_place says whether it changed the text, and matches redact_text",
          "[redaction][redactor]") {
  Fixture f;
  CollectingSink sink;
  std::string clean = "Where is my order? It was due on Monday.";
  const std::string before = clean;
  CHECK_FALSE(f.redactor.redact_in_place(clean, sink, nullptr));
  CHECK(clean == before);
  CHECK(sink.items.empty());
  const std::string raw = "Write to Jane@Example.com, IBAN DE89 3704 0044 0532 0130 00, thanks";
  std::string text = raw;
  std::vector<PiiMention> mentions;
  CHECK(f.redactor.redact_in_place(text, sink, &mentions));
  CHECK(text == f.redactor.redact_text(raw, sink, nullptr));
  CHECK(text.find("Jane@Example.com") == std::string::npos);
  CHECK(text.find("DE89") == std::string::npos);
  CHECK(mentions.size() == 2);
}
