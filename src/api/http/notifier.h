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

#include "hitlgate/common/thread_annotations.h"
namespace hitlgate::api {

namespace asio = boost::asio;

struct NotifierWaiter;  // notifier.cc: one waiting coroutine's timer and flag

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

  // A wait in two steps, for readers that must not miss a change between
  // reading the state and starting to wait: Arm registers interest in
  // `key` at once; Wait then resolves true at once when a Notify(key)
  // came after Arm, else waits up to `timeout`. Wait consumes the ticket.
  class Ticket {
   public:
    Ticket(Ticket&&) noexcept = default;
    Ticket& operator=(Ticket&&) noexcept = default;
    ~Ticket();

   private:
    friend class Notifier;
    Ticket(Notifier* owner, std::string key, std::shared_ptr<struct NotifierWaiter> waiter);
    Notifier* owner_ = nullptr;
    std::string key_;
    std::shared_ptr<struct NotifierWaiter> waiter_;
  };
  asio::awaitable<Ticket> Arm(std::string key);
  asio::awaitable<bool> Wait(Ticket ticket, std::chrono::milliseconds timeout);
  // Wakes every current waiter for `key`; no effect when there is none.
  void Notify(const std::string& key);

  using Callback =
      std::function<void(std::string_view topic, std::string_view workflow, std::string_view data)>;
  // Registers `callback` for every later Publish; it may run on any thread,
  // concurrently with itself, and must not block (SseWriter::Send does not).
  // Returns the token for Unsubscribe.
  std::uint64_t Subscribe(Callback callback);
  // Later Publish calls skip it; calls from a Publish already under way on
  // another thread may still arrive, so the callback's captures must stay
  // valid (hold them by shared_ptr, as SSE handlers hold their writer).
  void Unsubscribe(std::uint64_t token);
  // Calls every subscriber, outside the lock.
  void Publish(std::string_view topic, std::string_view workflow, std::string_view data);
  size_t subscriber_count() const;
  size_t waiter_count() const;

 private:
  void Forget(const std::string& key, const std::shared_ptr<NotifierWaiter>& waiter);

  mutable std::mutex mu_;
  std::unordered_map<std::string, std::vector<std::weak_ptr<NotifierWaiter>>> waiters_ HITLGATE_GUARDED_BY(mu_);
  std::map<std::uint64_t, std::shared_ptr<Callback>> subscribers_ HITLGATE_GUARDED_BY(mu_);
  std::uint64_t next_token_ HITLGATE_GUARDED_BY(mu_) = 1;
};

}  // namespace hitlgate::api
