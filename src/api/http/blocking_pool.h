// BlockingPool: runs blocking work (a store write that waits for its group
// commit's fsync, a database read) on threads of its own, so the HTTP
// threads keep serving. It is large (64 threads by default) because most of
// its threads sleep on fsync: many concurrent requests then share one commit.
// Thread-safe.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <type_traits>

#include "api/http/request.h"

namespace hitlgate::api {

class BlockingPool {
 public:
  explicit BlockingPool(int threads) : pool_(static_cast<size_t>(threads)) {}
  ~BlockingPool() { Stop(); }

  // Runs `f` on the pool; the calling coroutine resumes on its own executor
  // with f's result. `f` must not throw across (callers return Result).
  template <typename F>
  asio::awaitable<std::invoke_result_t<F&>> Run(F f) {
    // The work is a coroutine taking `f` as a parameter (so it lives in the
    // coroutine frame), named before co_await: g++ 12 mishandles lambda
    // captures and temporaries with destructors inside co_await expressions.
    auto work = Invoke<F>(std::move(f));
    co_return co_await asio::co_spawn(pool_.get_executor(), std::move(work), asio::use_awaitable);
  }

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
