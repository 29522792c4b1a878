#include "core/base/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>

#include "core/base/threads.hpp"

namespace regnet {

namespace {

// The exception of the lowest index that threw.
class FirstError {
 public:
  void offer(std::int64_t i) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!error_ || i < index_) {
      index_ = i;
      error_ = std::current_exception();
    }
  }
  void rethrow() const {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::mutex mu_;
  std::int64_t index_ = 0;
  std::exception_ptr error_;
};

std::int64_t thread_count(std::int64_t n, int threads) {
  return std::max<std::int64_t>(1, std::min<std::int64_t>(default_threads(threads), n));
}

}  // namespace

void parallel_for(std::int64_t n, int threads, const std::function<void(std::int64_t)>& body) {
  if (n <= 0) return;
  std::atomic<std::int64_t> next{0};
  FirstError first;
  auto worker = [&] {
    for (std::int64_t i; (i = next++) < n;) {
      try {
        body(i);
      } catch (...) {
        first.offer(i);
      }
    }
  };
  std::vector<std::thread> pool;
  for (std::int64_t t = 1; t < thread_count(n, threads); ++t) {
    try {
      pool.emplace_back(worker);
    } catch (const std::system_error&) {
      break;  // no more threads to be had: the ones running (this one at least) do the rest
    }
  }
  worker();
  for (auto& t : pool) t.join();
  first.rethrow();
}

void parallel_slices(std::int64_t n, int threads,
                     const std::function<void(int slice, std::int64_t begin, std::int64_t end)>& body) {
  if (n <= 0) return;
  const std::int64_t slices = thread_count(n, threads);
  parallel_for(slices, static_cast<int>(slices),
               [&](std::int64_t s) { body(static_cast<int>(s), n * s / slices, n * (s + 1) / slices); });
}

void run_parallel(const std::vector<std::function<void()>>& tasks, int threads) {
  parallel_for(static_cast<std::int64_t>(tasks.size()), threads,
               [&](std::int64_t i) { tasks[static_cast<size_t>(i)](); });
}

}  // namespace regnet
