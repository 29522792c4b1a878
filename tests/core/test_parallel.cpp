// The thread pool: run_parallel, parallel_for and parallel_slices run everything once, on a few
// threads, and rethrow the first (lowest-index) error after all have run.
#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "core/base/parallel.hpp"

using namespace regnet;

TEST_CASE("parallel: every task runs once, on at most the threads asked for", "[parallel]") {
  std::vector<std::atomic<int>> runs(50);
  std::mutex mu;
  std::set<std::thread::id> ids;
  std::vector<std::function<void()>> tasks;
  for (size_t i = 0; i < runs.size(); ++i)
    tasks.push_back([&, i] {
      ++runs[i];
      std::lock_guard<std::mutex> lock(mu);
      ids.insert(std::this_thread::get_id());
    });
  run_parallel(tasks, 3);
  for (const auto& r : runs) CHECK(r == 1);
  CHECK(ids.size() <= 3);
  run_parallel({}, 4);     // nothing to do is fine
  run_parallel(tasks, 0);  // 0: default_threads
  for (const auto& r : runs) CHECK(r == 2);
}

TEST_CASE("parallel: the first exception is rethrown after every other task has run", "[parallel]") {
  std::atomic<int> done{0};
  std::vector<std::function<void()>> tasks;
  for (int i = 0; i < 20; ++i)
    tasks.push_back([&, i] {
      if (i == 5) throw std::runtime_error("task 5");
      ++done;
    });
  CHECK_THROWS_WITH(run_parallel(tasks, 1), "task 5");
  CHECK(done == 19);
}

TEST_CASE("parallel: parallel_for visits every index 0..n-1 once, in any thread count", "[parallel]") {
  for (int threads : {1, 2, 3, 8}) {
    std::vector<std::atomic<int>> hits(1000);
    parallel_for(1000, threads, [&](std::int64_t i) { ++hits[static_cast<size_t>(i)]; });
    for (const auto& h : hits) CHECK(h == 1);
  }
  bool ran = false;
  parallel_for(0, 4, [&](std::int64_t) { ran = true; });
  parallel_for(-3, 4, [&](std::int64_t) { ran = true; });
  CHECK(!ran);
}

TEST_CASE("parallel: the lowest failing index's exception wins, whatever the timing", "[parallel]") {
  for (int threads : {1, 4}) {
    std::atomic<int> done{0};
    // Index 90 throws at once; index 10 throws late. With 4 threads 90 usually fails first in
    // time, but 10 is the one rethrown.
    auto body = [&](std::int64_t i) {
      if (i == 10) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        throw std::runtime_error("index 10");
      }
      if (i == 90) throw std::runtime_error("index 90");
      ++done;
    };
    CHECK_THROWS_WITH(parallel_for(100, threads, body), "index 10");
    CHECK(done == 98);  // every other index still ran
  }
}

TEST_CASE("parallel: parallel_slices cuts 0..n-1 into contiguous slices, one per thread", "[parallel]") {
  for (std::int64_t n : {1, 2, 7, 1000}) {
    for (int threads : {1, 3, 16}) {
      const std::int64_t slices = std::min<std::int64_t>(threads, n);
      std::vector<std::pair<std::int64_t, std::int64_t>> seen(static_cast<size_t>(slices), {-1, -1});
      std::mutex mu;
      std::set<std::thread::id> ids;
      parallel_slices(n, threads, [&](int s, std::int64_t b, std::int64_t e) {
        REQUIRE(s >= 0);
        REQUIRE(s < slices);
        seen[static_cast<size_t>(s)] = {b, e};
        std::lock_guard<std::mutex> lock(mu);
        ids.insert(std::this_thread::get_id());
      });
      INFO("n " << n << ", threads " << threads);
      std::int64_t next = 0;
      for (const auto& [b, e] : seen) {  // in slice order they tile [0, n), sizes differing by at most 1
        CHECK(b == next);
        CHECK((e - b == n / slices || e - b == n / slices + 1));
        next = e;
      }
      CHECK(next == n);
      CHECK(static_cast<std::int64_t>(ids.size()) <= slices);
    }
  }
  CHECK_THROWS_WITH(parallel_slices(10, 2,
                                    [](int s, std::int64_t, std::int64_t) {
                                      if (s == 1) throw std::runtime_error("slice 1");
                                    }),
                    "slice 1");
}
