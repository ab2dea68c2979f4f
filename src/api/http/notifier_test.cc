// Notifier and BlockingPool: cross-thread wake-ups and off-thread work.
#include "api/http/notifier.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <stdexcept>
#include <thread>

#include "api/http/blocking_pool.h"

namespace hitlgate::api {
namespace {

using std::chrono::milliseconds;

// An io_context run by `n` threads for the test's duration.
class Loop {
 public:
  explicit Loop(int n) : guard_(asio::make_work_guard(io_)) {
    for (int i = 0; i < n; ++i) threads_.emplace_back([this] { io_.run(); });
  }
  ~Loop() {
    guard_.reset();
    io_.stop();
    for (auto& t : threads_) t.join();
  }
  asio::io_context& io() { return io_; }

 private:
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_;
  std::vector<std::thread> threads_;
};

// Waits (spinning, bounded) until `n` waiters are registered.
bool AwaitWaiters(const Notifier& n, size_t count) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (n.waiter_count() < count) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

TEST(NotifierTest, WaitForWakesOnNotifyFromAnotherThread) {
  Loop loop(2);
  Notifier notifier;
  auto woke =
      asio::co_spawn(loop.io(), notifier.WaitFor("task:1", milliseconds(60000)), asio::use_future);
  ASSERT_TRUE(AwaitWaiters(notifier, 1));
  std::thread([&] { notifier.Notify("task:1"); }).join();
  ASSERT_EQ(woke.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_TRUE(woke.get());
  EXPECT_EQ(notifier.waiter_count(), 0u);
}

TEST(NotifierTest, WaitForTimesOutWithFalse) {
  Loop loop(1);
  Notifier notifier;
  notifier.Notify("task:1");  // before the wait: does not count
  auto woke =
      asio::co_spawn(loop.io(), notifier.WaitFor("task:1", milliseconds(20)), asio::use_future);
  ASSERT_TRUE(AwaitWaiters(notifier, 1) ||
              woke.wait_for(std::chrono::seconds(0)) == std::future_status::ready);
  notifier.Notify("task:2");  // another key
  EXPECT_FALSE(woke.get());
}

TEST(NotifierTest, NoWakeUpIsLostToARace) {
  // Notify immediately after registration, from another thread, many times:
  // the window between registering and starting the timer must be closed.
  Loop loop(4);
  Notifier notifier;
  for (int i = 0; i < 300; ++i) {
    const std::string key = "k" + std::to_string(i);
    auto woke =
        asio::co_spawn(loop.io(), notifier.WaitFor(key, milliseconds(60000)), asio::use_future);
    ASSERT_TRUE(AwaitWaiters(notifier, 1));
    notifier.Notify(key);
    ASSERT_EQ(woke.wait_for(std::chrono::seconds(10)), std::future_status::ready) << i;
    EXPECT_TRUE(woke.get());
  }
}

TEST(NotifierTest, NotifyWakesEveryWaiterOfTheKey) {
  Loop loop(2);
  Notifier notifier;
  std::vector<std::future<bool>> futures;
  for (int i = 0; i < 20; ++i) {
    futures.push_back(
        asio::co_spawn(loop.io(), notifier.WaitFor("same", milliseconds(60000)), asio::use_future));
  }
  ASSERT_TRUE(AwaitWaiters(notifier, 20));
  notifier.Notify("same");
  for (auto& f : futures) {
    ASSERT_EQ(f.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    EXPECT_TRUE(f.get());
  }
}

TEST(NotifierTest, PublishReachesSubscribersUntilUnsubscribed) {
  Notifier notifier;
  std::vector<std::string> seen;
  const auto token =
      notifier.Subscribe([&](std::string_view topic, std::string_view workflow, std::string_view data) {
        seen.push_back(std::string(topic) + "/" + std::string(workflow) + "=" + std::string(data));
      });
  notifier.Publish("a", "w1", "1");
  notifier.Publish("b", "", "2");
  notifier.Unsubscribe(token);
  notifier.Publish("c", "w1", "3");
  EXPECT_EQ(seen, (std::vector<std::string>{"a/w1=1", "b/=2"}));
  EXPECT_EQ(notifier.subscriber_count(), 0u);
}

asio::awaitable<std::pair<std::thread::id, std::thread::id>> PoolRoundTrip(BlockingPool& pool) {
  const auto work_thread = co_await pool.Run([] { return std::this_thread::get_id(); });
  co_return std::make_pair(work_thread, std::this_thread::get_id());
}

TEST(BlockingPoolTest, RunsWorkOffTheIoThreadAndResumesOnIt) {
  BlockingPool pool(4);
  asio::io_context io;  // run by this thread only
  auto result = asio::co_spawn(io, PoolRoundTrip(pool), asio::use_future);
  io.run();
  const auto [work_thread, resumed_on] = result.get();
  EXPECT_NE(work_thread, std::this_thread::get_id());
  EXPECT_EQ(resumed_on, std::this_thread::get_id());
}

asio::awaitable<int> PoolValues(BlockingPool& pool) {
  int sum = 0;
  for (int i = 0; i < 10; ++i) sum += co_await pool.Run([i] { return i * i; });
  co_await pool.Run([] {});  // void works too
  std::string s = co_await pool.Run([] { return std::string("text"); });
  co_return sum + static_cast<int>(s.size());
}

TEST(BlockingPoolTest, ReturnsValues) {
  BlockingPool pool(2);
  asio::io_context io;
  auto result = asio::co_spawn(io, PoolValues(pool), asio::use_future);
  io.run();
  EXPECT_EQ(result.get(), 285 + 4);
}

asio::awaitable<int> PoolThrows(BlockingPool& pool) {
  co_return co_await pool.Run([]() -> int { throw std::runtime_error("store failed"); });
}

TEST(BlockingPoolTest, ExceptionsReachTheCaller) {
  BlockingPool pool(1);
  asio::io_context io;
  auto result = asio::co_spawn(io, PoolThrows(pool), asio::use_future);
  io.run();
  EXPECT_THROW(result.get(), std::runtime_error);
}

}  // namespace
}  // namespace hitlgate::api
