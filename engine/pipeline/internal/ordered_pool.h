#pragma once
// run_ordered: work items produced in parallel, consumed strictly in order.
//
//   Status st = run_ordered<Partial>(
//       partitions, threads, /*window=*/threads + 1,
//       [&](size_t i, size_t worker) -> Result<Partial> { ... },    // any worker, any order
//       [&](size_t i, Partial&& partial) -> Status { ... });         // i = 0, 1, 2, ... in turn
//
// `produce(i, worker)` runs for every i in [0, count) on `workers` threads (the calling thread is
// worker 0; `worker` says which, so each can own per-thread state such as a Lua state).
// `consume(i, item)` runs exactly once per i, in increasing i, on whichever worker finished the
// item that is next in line; two consume() calls never overlap. A worker does not start item i
// while item i - window is still unconsumed, so at most `window` items are held at once, whatever
// the count. The first failure (of produce or consume) stops the workers from taking new items,
// and is returned once they have all stopped.

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/core/result.h"

namespace convaudit::pipeline::internal {

template <typename T>
Status run_ordered(size_t count, size_t workers, size_t window,
                   const std::function<Result<T>(size_t index, size_t worker)>& produce,
                   const std::function<Status(size_t index, T&& item)>& consume) {
  workers = std::max<size_t>(1, std::min(workers, count));
  window = std::max<size_t>(window, workers);
  std::mutex mutex;
  std::condition_variable room;  // signalled when an item is consumed or a failure is set
  size_t next_claim = 0;
  size_t next_consume = 0;
  bool consuming = false;
  Status failure = ok_status();
  std::map<size_t, T> ready;

  auto fail_with = [&](Status status) {  // with the lock held
    if (failure) {
      failure = std::move(status);
    }
    room.notify_all();
  };

  // Consumes every ready item that is next in line, unless another worker already does.
  auto drain = [&](std::unique_lock<std::mutex>& lock) {
    if (consuming) {
      return;
    }
    consuming = true;
    while (failure) {
      auto it = ready.find(next_consume);
      if (it == ready.end()) {
        break;
      }
      T item = std::move(it->second);
      ready.erase(it);
      const size_t index = next_consume;
      lock.unlock();
      Status status = consume(index, std::move(item));
      lock.lock();
      if (!status) {
        fail_with(std::move(status));
        break;
      }
      ++next_consume;
      room.notify_all();
    }
    consuming = false;
  };

  auto work = [&](size_t worker) {
    std::unique_lock<std::mutex> lock(mutex);
    for (;;) {
      room.wait(lock, [&] {
        return !failure || next_claim >= count || next_claim < next_consume + window;
      });
      if (!failure || next_claim >= count) {
        return;
      }
      const size_t index = next_claim++;
      lock.unlock();
      Result<T> item = produce(index, worker);
      lock.lock();
      if (!item) {
        fail_with(fail(item.error()));
        return;
      }
      ready.emplace(index, std::move(*item));
      drain(lock);
    }
  };

  std::vector<std::thread> pool;
  for (size_t worker = 1; worker < workers; ++worker) {
    pool.emplace_back(work, worker);
  }
  work(0);
  for (std::thread& thread : pool) {
    thread.join();
  }
  // Every item has been produced; one that finished while its predecessor was being consumed
  // by a worker that has since stopped is consumed here.
  std::unique_lock<std::mutex> lock(mutex);
  drain(lock);
  return failure;
}

}  // namespace convaudit::pipeline::internal
