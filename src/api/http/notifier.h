// Notifier: wakes coroutines waiting for a key (an agent's long poll on
// "task:<id>") and fans published events out to subscribers (SSE streams).
//
// Ownership: waiters and subscriptions are owned by their callers; the
// Notifier only holds weak references to waiters and copies of callbacks.
// It must outlive every waiting coroutine and every subscription.
// Thread-safety: everything may be called from any thread (Notify from the
// store's writer, Publish from a request handler); waiters resume on their
// own executor.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hitlgate::api {

namespace asio = boost::asio;

class Notifier {
 public:
  Notifier();
  ~Notifier();
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  // Resolves true when Notify(key) happens after the call began, false when
  // `timeout` passes first. A notification is never lost to a race with the
  // start of the wait; callers re-read state after waking (notifications
  // carry no payload and several may coalesce into one wake-up).
  asio::awaitable<bool> WaitFor(std::string key, std::chrono::milliseconds timeout);
  // Wakes every current waiter for `key`; no effect when there is none.
  void Notify(const std::string& key);

  using Callback = std::function<void(std::string_view topic, std::string_view data)>;
  // Registers `callback` for every later Publish; it may run on any thread,
  // concurrently with itself, and must not block (SseWriter::Send does not).
  // Returns the token for Unsubscribe.
  std::uint64_t Subscribe(Callback callback);
  // Later Publish calls skip it; calls from a Publish already under way on
  // another thread may still arrive, so the callback's captures must stay
  // valid (hold them by shared_ptr, as SSE handlers hold their writer).
  void Unsubscribe(std::uint64_t token);
  // Calls every subscriber, outside the lock.
  void Publish(std::string_view topic, std::string_view data);
  size_t subscriber_count() const;
  size_t waiter_count() const;

 private:
  struct Waiter;

  mutable std::mutex mu_;
  std::unordered_map<std::string, std::vector<std::weak_ptr<Waiter>>> waiters_;  // guarded by mu_
  std::map<std::uint64_t, std::shared_ptr<Callback>> subscribers_;               // guarded by mu_
  std::uint64_t next_token_ = 1;                                                 // guarded by mu_
};

}  // namespace hitlgate::api
