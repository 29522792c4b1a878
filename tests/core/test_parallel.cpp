// run_parallel: every task once, on a few threads, the first error rethrown after all have run.
#include <catch2/catch.hpp>
#include <atomic>
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
  run_parallel({}, 4);  // nothing to do is fine
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
