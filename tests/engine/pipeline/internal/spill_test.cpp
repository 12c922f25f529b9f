#include "engine/pipeline/internal/spill.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include <catch2/catch.hpp>
#include <unistd.h>

using namespace convaudit;
namespace fs = std::filesystem;

namespace {

core::Message make(const std::string& session, int index) {
  core::Message m;
  m.session_id = session;
  m.role = index % 2 == 0 ? core::Role::kUser : core::Role::kAssistant;
  m.text = "message " + std::to_string(index) + " of " + session + " \xC3\xA9\xF0\x9F\x98\x80";
  m.timestamp_ns = 1'782'864'000'000'000'000 + index;
  // Every JSON type, numbers at their edges, and Unicode keys and values.
  m.metadata = {{"model", "gpt-4o"},
                {"latency_ms", index},
                {"nested", {{"a", {1, 2}}}},
                {"cost", 0.1 + 0.2},
                {"float_one", 1.0},
                {"negative", -9'223'372'036'854'775'807LL - 1},
                {"big", 18'446'744'073'709'551'615ULL},
                {"flag", false},
                {"none", nullptr},
                {"empty_object", nlohmann::json::object()},
                {"empty_array", nlohmann::json::array()},
                {"m\xC3\xBCnchen", "\xE2\x82\xAC 5 \xF0\x9F\x98\x80"}};
  m.source.file = "logs/a.jsonl";
  m.source.line = index + 1;
  return m;
}

fs::path temp_dir() {
  static int counter = 0;
  fs::path dir = fs::temp_directory_path() / ("convaudit_spill_" + std::to_string(::getpid()) +
                                              "_" + std::to_string(counter++));
  fs::create_directories(dir);
  return dir;
}

}  // namespace

TEST_CASE("partitions_for rounds up and stays in range", "[pipeline][spill]") {
  using pipeline::internal::partitions_for;
  CHECK(partitions_for(0, 100) == 1);
  CHECK(partitions_for(100, 100) == 1);
  CHECK(partitions_for(101, 100) == 2);
  CHECK(partitions_for(1000, 100) == 10);
  CHECK(partitions_for(uint64_t{1} << 50, 1) == 4096);
}

TEST_CASE("a spilled session stays in one partition and every field round-trips",
          "[pipeline][spill]") {
  fs::path dir = temp_dir();
  auto store = pipeline::internal::SpillStore::create(dir.string(), 7);
  REQUIRE(store);
  REQUIRE((*store)->partition_count() == 7);
  std::string spill_path = (*store)->path();
  CHECK(fs::exists(spill_path));
  for (int i = 0; i < 300; ++i) {
    REQUIRE((*store)->add(make("s" + std::to_string(i % 23), i)));
  }
  REQUIRE((*store)->finish());
  std::map<std::string, size_t> partition_of_session;
  size_t total = 0;
  for (size_t p = 0; p < 7; ++p) {
    auto messages = (*store)->take(p);
    REQUIRE(messages);
    for (const core::Message& m : *messages) {
      ++total;
      auto [it, inserted] = partition_of_session.emplace(m.session_id, p);
      CHECK(it->second == p);  // never split across partitions
      int index = static_cast<int>(m.source.line) - 1;
      core::Message expected = make(m.session_id, index);
      CHECK(m.text == expected.text);
      CHECK(m.role == expected.role);
      CHECK(m.timestamp_ns == expected.timestamp_ns);
      CHECK(m.metadata == expected.metadata);
      CHECK(m.metadata.dump() == expected.metadata.dump());  // 1.0 stays a float, and so on
      CHECK(m.source.file == expected.source.file);
    }
  }
  CHECK(total == 300);
  CHECK(partition_of_session.size() == 23);
  store->reset();
  CHECK_FALSE(fs::exists(spill_path));  // the temporary folder is gone with the store
  fs::remove_all(dir);
}

TEST_CASE("the write buffers share one budget however many partitions there are",
          "[pipeline][spill]") {
  fs::path dir = temp_dir();
  auto make_store = [&](size_t partitions, size_t budget) {
    auto store = pipeline::internal::SpillStore::create(dir.string(), partitions, budget);
    REQUIRE(store);
    return std::move(*store);
  };
  // The budget is split: more partitions, smaller buffers, within 4 KiB .. 1 MiB each.
  CHECK(make_store(8, size_t{4} << 20)->flush_bytes() == size_t{512} << 10);
  CHECK(make_store(64, size_t{4} << 20)->flush_bytes() == size_t{64} << 10);
  CHECK(make_store(2, size_t{64} << 20)->flush_bytes() == size_t{1} << 20);
  CHECK(make_store(4096, size_t{1} << 20)->flush_bytes() == size_t{4} << 10);
  // A small buffer reaches the file early: the bytes are on disk before finish(). The buffers
  // never hold more than their budget (no capacity doubling past it), and nothing after finish().
  auto store = make_store(2, size_t{8} << 10);
  size_t most_held = 0;
  for (int i = 0; i < 200; ++i) {
    REQUIRE(store->add(make("s" + std::to_string(i % 5), i)));
    most_held = std::max(most_held, store->buffer_capacity());
  }
  CHECK(most_held > 0);
  CHECK(most_held <= 2 * store->flush_bytes());
  uintmax_t on_disk = 0;
  for (const auto& entry : fs::directory_iterator(store->path())) {
    on_disk += entry.file_size();
  }
  CHECK(on_disk > 0);
  REQUIRE(store->finish());
  CHECK(store->buffer_capacity() == 0);
  size_t total = 0;
  for (size_t p = 0; p < 2; ++p) {
    auto messages = store->take(p);
    REQUIRE(messages);
    total += messages->size();
  }
  CHECK(total == 200);
  store.reset();
  fs::remove_all(dir);
}

TEST_CASE("one partition keeps messages in memory, in order", "[pipeline][spill]") {
  fs::path dir = temp_dir();
  auto store = pipeline::internal::SpillStore::create(dir.string(), 1);
  REQUIRE(store);
  CHECK((*store)->path().empty());
  for (int i = 0; i < 5; ++i) {
    REQUIRE((*store)->add(make("only", i)));
  }
  REQUIRE((*store)->finish());
  auto messages = (*store)->take(0);
  REQUIRE(messages);
  REQUIRE(messages->size() == 5);
  CHECK((*messages)[3].source.line == 4);
  CHECK(fs::is_empty(dir));
  fs::remove_all(dir);
}

TEST_CASE("the partition of a session is stable", "[pipeline][spill]") {
  using pipeline::internal::partition_of;
  CHECK(partition_of("sess-00000042", 16) == partition_of("sess-00000042", 16));
  CHECK(partition_of("", 3) < 3);
  // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c: pinned so findings order is the same everywhere.
  CHECK(partition_of("a", 1000) == 0xaf63dc4c8601ec8cull % 1000);
}
