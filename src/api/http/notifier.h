// Notifier: wakes coroutines waiting for a key (an agent's long-poll on
// "task:<id>") and fans published events out to subscribers (SSE streams).
// Thread-safe: Notify/Publish may be called from any thread (e.g. a request
// that gave a verdict, or the periodic tick); waiters resume on their own
// executor.
#pragma once

#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "api/http/request.h"

namespace hitlgate::api {

class Notifier {
 public:
  // True when Notify(key) happened after the call began; false on timeout.
  asio::awaitable<bool> WaitFor(std::string key, std::chrono::milliseconds timeout);
  void Notify(const std::string& key);

  using Callback = std::function<void(std::string_view topic, std::string_view data)>;
  std::uint64_t Subscribe(Callback callback);
  void Unsubscribe(std::uint64_t token);
  // Calls every subscriber (outside the lock); callbacks must not block.
  void Publish(std::string_view topic, std::string_view data);
  size_t subscriber_count() const;

 private:
  struct Waiter {
    explicit Waiter(asio::any_io_executor ex) : executor(ex), timer(ex) {}
    asio::any_io_executor executor;
    asio::steady_timer timer;   // touched only on `executor`
    std::atomic<bool> fired{false};
  };

  mutable std::mutex mu_;
  std::unordered_map<std::string, std::vector<std::weak_ptr<Waiter>>> waiters_;  // guarded by mu_
  std::map<std::uint64_t, std::shared_ptr<Callback>> subscribers_;              // guarded by mu_
  std::uint64_t next_token_ = 1;                                                 // guarded by mu_
};

}  // namespace hitlgate::api
