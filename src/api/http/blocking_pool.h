// BlockingPool: runs blocking work (a store write that waits for its group
// commit's fsync, a database read) on threads of its own, so the HTTP I/O
// threads keep serving. It is large (64 threads in the server) because most
// of its threads sleep on fsync: many concurrent requests then share one
// commit.
//
// Ownership: owns its threads; must outlive every Run() in flight.
// Thread-safety: Run from any coroutine; Stop from any non-pool thread.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstddef>
#include <type_traits>
#include <utility>

namespace hitlgate::api {

namespace asio = boost::asio;

class BlockingPool {
 public:
  explicit BlockingPool(int threads) : pool_(static_cast<size_t>(threads > 0 ? threads : 1)) {}
  ~BlockingPool() { Stop(); }
  BlockingPool(const BlockingPool&) = delete;
  BlockingPool& operator=(const BlockingPool&) = delete;

  // Runs `f` on a pool thread; the calling coroutine resumes on its own
  // executor (its strand) with f's result. An exception from `f` is
  // rethrown in the caller, but callers should return Result instead.
  // After Stop() the work never runs and the caller never resumes.
  template <typename F>
  asio::awaitable<std::invoke_result_t<F&>> Run(F f) {
    // The work is a coroutine taking `f` as a parameter (so it lives in the
    // coroutine frame), named before co_await: g++ 12 mishandles lambda
    // captures and temporaries with destructors inside co_await expressions.
    auto work = Invoke<F>(std::move(f));
    co_return co_await asio::co_spawn(pool_.get_executor(), std::move(work), asio::use_awaitable);
  }

  // Stops and joins the threads; idempotent.
  void Stop() {
    pool_.stop();
    pool_.join();
  }

 private:
  template <typename F>
  static asio::awaitable<std::invoke_result_t<F&>> Invoke(F f) {
    co_return f();
  }

  asio::thread_pool pool_;
};

}  // namespace hitlgate::api
