#include "train/batch_loader.hpp"

#include <algorithm>
#include <chrono>

namespace regnet::train {

BatchLoader::BatchLoader(std::int64_t num_batches, int threads, Fill fill)
    : num_batches_(num_batches), capacity_(std::max(2, 2 * threads)), fill_(std::move(fill)) {
  const int n = static_cast<int>(std::clamp<std::int64_t>(num_batches, 1, std::max(1, threads)));
  for (int i = 0; i < n; ++i) workers_.emplace_back([this] { work(); });
}

BatchLoader::~BatchLoader() {
  {
    std::lock_guard<std::mutex> lock(m_);
    stop_ = true;
  }
  cv_.notify_all();
  for (auto& w : workers_) w.join();
}

bool BatchLoader::next(HostBatch& out) {
  if (consumed_ >= num_batches_) return false;
  {
    std::unique_lock<std::mutex> lock(m_);
    const auto ready = [&] { return ready_.count(consumed_) || error_; };
    if (!ready()) {
      const auto t0 = std::chrono::steady_clock::now();
      cv_.wait(lock, ready);
      wait_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
    if (error_) std::rethrow_exception(error_);
    out = std::move(ready_[consumed_]);
    ready_.erase(consumed_);
    ++consumed_;
  }
  cv_.notify_all();
  return true;
}

void BatchLoader::work() {
  for (;;) {
    std::int64_t k;
    {
      std::unique_lock<std::mutex> lock(m_);
      cv_.wait(lock, [&] { return stop_ || error_ || claimed_ >= num_batches_ || claimed_ < consumed_ + capacity_; });
      if (stop_ || error_ || claimed_ >= num_batches_) return;
      k = claimed_++;
    }
    try {
      HostBatch b = fill_(k);
      std::lock_guard<std::mutex> lock(m_);
      ready_[k] = std::move(b);
    } catch (...) {
      std::lock_guard<std::mutex> lock(m_);
      if (!error_) error_ = std::current_exception();
    }
    cv_.notify_all();
  }
}

}  // namespace regnet::train
