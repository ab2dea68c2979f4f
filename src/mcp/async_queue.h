// AsyncQueue: a FIFO that one coroutine at a time waits on, woken by an Asio
// timer. For the proxy's single io_context thread only: not thread-safe.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <deque>
#include <optional>
#include <utility>

namespace hitlgate::mcp {

template <typename T>
class AsyncQueue {
 public:
  explicit AsyncQueue(boost::asio::any_io_executor executor) : timer_(executor) {}

  void Push(T value) {
    items_.push_back(std::move(value));
    timer_.cancel();
  }
  // Wakes the waiter; Pop() returns what is left, then nullopt.
  void Close() {
    closed_ = true;
    timer_.cancel();
  }
  bool closed() const { return closed_; }
  bool empty() const { return items_.empty(); }

  // The next item; nullopt once closed and drained, or when `timeout`
  // (when positive) passes first.
  boost::asio::awaitable<std::optional<T>> Pop(
      std::chrono::milliseconds timeout = std::chrono::milliseconds(0)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (items_.empty() && !closed_) {
      if (timeout.count() > 0) {
        if (std::chrono::steady_clock::now() >= deadline) co_return std::nullopt;
        timer_.expires_at(deadline);
      } else {
        timer_.expires_at(boost::asio::steady_timer::time_point::max());
      }
      co_await timer_.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    }
    if (items_.empty()) co_return std::nullopt;
    T value = std::move(items_.front());
    items_.pop_front();
    co_return value;
  }

 private:
  boost::asio::steady_timer timer_;
  std::deque<T> items_;
  bool closed_ = false;
};

}  // namespace hitlgate::mcp
