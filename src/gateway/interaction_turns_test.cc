#include "gateway/interaction_turns.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace hitlgate::gateway {
namespace {

TEST(InteractionTurnsTest, FreeKeyStartsAtOnceOnTheCallersThread) {
  InteractionTurns turns;
  bool started = false;
  turns.Take("w\x1f" "c-1", [&] { started = true; });
  EXPECT_TRUE(started);
  turns.Release("w\x1f" "c-1");
}

TEST(InteractionTurnsTest, SecondTurnWaitsUntilTheFirstIsReleasedThenRunsInOrder) {
  InteractionTurns turns;
  std::vector<int> order;
  turns.Take("k", [&] { order.push_back(1); });
  turns.Take("k", [&] { order.push_back(2); });
  turns.Take("k", [&] { order.push_back(3); });
  turns.Take("other", [&] { order.push_back(10); });  // another key is not held up
  EXPECT_EQ(order, (std::vector<int>{1, 10}));
  turns.Release("k");
  EXPECT_EQ(order, (std::vector<int>{1, 10, 2}));
  turns.Release("k");
  EXPECT_EQ(order, (std::vector<int>{1, 10, 2, 3}));
  turns.Release("k");
  turns.Release("other");
  bool again = false;
  turns.Take("k", [&] { again = true; });
  EXPECT_TRUE(again) << "the key is free once every turn ended";
  turns.Release("k");
}

TEST(InteractionTurnsTest, BlockingTakersOfOneKeyNeverOverlap) {
  InteractionTurns turns;
  std::atomic<int> inside{0};
  std::atomic<int> overlaps{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        turns.TakeBlocking("k");
        if (inside.fetch_add(1) != 0) overlaps.fetch_add(1);
        inside.fetch_sub(1);
        turns.Release("k");
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(overlaps.load(), 0);
}

}  // namespace
}  // namespace hitlgate::gateway
