#include "engine/pipeline/internal/ordered_pool.h"

#include <atomic>
#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

namespace convaudit::pipeline::internal {
namespace {

// Items finish out of order: later items are quicker, so consume() must wait for earlier ones.
void stagger(size_t index, size_t count) {
  std::this_thread::sleep_for(std::chrono::microseconds(50 * ((count - index) % 7)));
}

TEST_CASE("run_ordered consumes every item once, in order, whatever the worker count") {
  for (size_t workers : {1, 2, 4, 8}) {
    const size_t count = 200;
    std::vector<size_t> consumed;
    std::set<size_t> workers_seen;
    std::mutex seen_mutex;
    Status st = run_ordered<std::string>(
        count, workers, workers + 1,
        [&](size_t index, size_t worker) -> Result<std::string> {
          {
            std::lock_guard<std::mutex> lock(seen_mutex);
            workers_seen.insert(worker);
          }
          stagger(index, count);
          return "item " + std::to_string(index);
        },
        [&](size_t index, std::string&& item) -> Status {
          CHECK(item == "item " + std::to_string(index));
          consumed.push_back(index);
          return ok_status();
        });
    REQUIRE(st);
    REQUIRE(consumed.size() == count);
    for (size_t i = 0; i < count; ++i) {
      REQUIRE(consumed[i] == i);
    }
    for (size_t worker : workers_seen) {
      CHECK(worker < workers);
    }
  }
}

TEST_CASE("run_ordered holds at most `window` items at once") {
  const size_t count = 300;
  const size_t window = 3;
  std::atomic<int> held{0};
  std::atomic<int> most{0};
  Status st = run_ordered<int>(
      count, 4, window,
      [&](size_t index, size_t) -> Result<int> {
        const int now = ++held;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        stagger(index, count);
        return static_cast<int>(index);
      },
      [&](size_t, int&&) -> Status {
        --held;
        return ok_status();
      });
  REQUIRE(st);
  CHECK(held == 0);
  // Four workers would hold four or more without the window: the window is 4 (at least the
  // worker count), so at most 4 are produced and not yet consumed.
  CHECK(most <= 4);
  CHECK(most >= 2);
}

TEST_CASE("run_ordered stops at the first failure and returns it") {
  SECTION("a producer fails") {
    std::atomic<size_t> produced{0};
    std::vector<size_t> consumed;
    Status st = run_ordered<int>(
        1000, 2, 3,
        [&](size_t index, size_t) -> Result<int> {
          ++produced;
          if (index == 10) {
            return fail(ErrorCode::kIo, "cannot read partition 10");
          }
          return static_cast<int>(index);
        },
        [&](size_t index, int&&) -> Status {
          consumed.push_back(index);
          return ok_status();
        });
    REQUIRE_FALSE(st);
    CHECK(st.error().message == "cannot read partition 10");
    CHECK(produced < 1000);  // the workers stopped taking items
    for (size_t index : consumed) {
      CHECK(index < 10);  // nothing after the failed item is consumed out of order
    }
  }
  SECTION("a consumer fails") {
    std::atomic<size_t> produced{0};
    size_t consumed = 0;
    Status st = run_ordered<int>(
        1000, 2, 3,
        [&](size_t index, size_t) -> Result<int> {
          ++produced;
          return static_cast<int>(index);
        },
        [&](size_t index, int&&) -> Status {
          if (index == 5) {
            return fail(ErrorCode::kIo, "disk full");
          }
          ++consumed;
          return ok_status();
        });
    REQUIRE_FALSE(st);
    CHECK(st.error().message == "disk full");
    CHECK(consumed == 5);
    CHECK(produced <= 5 + 3 + 2);  // the window stops production soon after
  }
}

TEST_CASE("run_ordered with no items and with more workers than items") {
  int calls = 0;
  REQUIRE(run_ordered<int>(
      0, 4, 5, [&](size_t, size_t) -> Result<int> { return ++calls; },
      [&](size_t, int&&) -> Status { return ok_status(); }));
  CHECK(calls == 0);
  std::vector<size_t> consumed;
  REQUIRE(run_ordered<int>(
      2, 8, 9, [&](size_t index, size_t) -> Result<int> { return static_cast<int>(index); },
      [&](size_t index, int&&) -> Status {
        consumed.push_back(index);
        return ok_status();
      }));
  CHECK(consumed == std::vector<size_t>{0, 1});
}

}  // namespace
}  // namespace convaudit::pipeline::internal
