#include "core/base/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>

#include "core/base/threads.hpp"

namespace regnet {

void run_parallel(const std::vector<std::function<void()>>& tasks, int threads) {
  threads = std::max(1, std::min<int>(default_threads(threads), static_cast<int>(tasks.size())));
  std::atomic<size_t> next{0};
  std::vector<std::exception_ptr> errors(tasks.size());  // each slot written by one thread only
  auto worker = [&] {
    for (size_t i; (i = next++) < tasks.size();) {
      try {
        tasks[i]();
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace regnet
