// Notification: a one-shot event one thread waits for and another sets
// (the shape of absl::Notification). Used where a caller blocks until a
// worker thread has finished its request.
//
// Why not std::binary_semaphore: libstdc++ 12's acquire() spins calling
// sched_yield before it sleeps. With dozens of callers waiting on one
// group commit (one per HTTP request in flight) that spinning took about a
// tenth of the gateway's CPU in a profile; a condition variable sleeps at
// once.
//
// Thread-safe. Notify() at most once.
#pragma once

#include <condition_variable>
#include <mutex>

namespace hitlgate {

class Notification {
 public:
  void Notify() {
    {
      std::lock_guard lock(mu_);
      notified_ = true;
    }
    cv_.notify_one();
  }

  void WaitForNotification() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return notified_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool notified_ = false;
};

}  // namespace hitlgate
