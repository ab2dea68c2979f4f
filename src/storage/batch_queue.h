// The writer thread both SQL stores run: callers queue operations from any
// thread; one thread takes whatever is queued (up to max_batch, in order)
// and hands it to `run` as one batch, which the store runs in one
// transaction. That one thread is what lets concurrent callers share one
// commit (ADR 0003). Internal to src/storage.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "hitlgate/common/thread_annotations.h"

namespace hitlgate::store::internal {

template <typename Op>
class BatchQueue {
 public:
  using RunBatch = std::function<void(const std::vector<Op*>& batch)>;

  // Starts the thread. `run` is called on it only.
  BatchQueue(size_t max_batch, RunBatch run)
      : max_batch_(max_batch == 0 ? 1 : max_batch), run_(std::move(run)), thread_([this] { Loop(); }) {}
  // Runs everything queued, then joins the thread.
  ~BatchQueue() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }
  BatchQueue(const BatchQueue&) = delete;
  BatchQueue& operator=(const BatchQueue&) = delete;

  // Queues `op` (which stays alive until the store finished it).
  void Submit(Op* op) {
    {
      std::lock_guard lock(mu_);
      queue_.push_back(op);
    }
    cv_.notify_one();
  }

  // Batches run so far, and operations in them.
  std::int64_t batches() const { return batches_.load(); }
  std::int64_t ops() const { return ops_.load(); }

 private:
  void Loop() {
    std::vector<Op*> batch;
    while (true) {
      batch.clear();
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and everything was served
        while (!queue_.empty() && batch.size() < max_batch_) {
          batch.push_back(queue_.front());
          queue_.pop_front();
        }
      }
      ++batches_;
      ops_ += static_cast<std::int64_t>(batch.size());
      run_(batch);
    }
  }

  const size_t max_batch_;
  const RunBatch run_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Op*> queue_ HITLGATE_GUARDED_BY(mu_);
  bool stopping_ HITLGATE_GUARDED_BY(mu_) = false;
  std::atomic<std::int64_t> batches_{0};
  std::atomic<std::int64_t> ops_{0};
  std::thread thread_;  // last: starts after everything above is built
};

}  // namespace hitlgate::store::internal
