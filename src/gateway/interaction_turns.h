// InteractionTurns: events of one conversation are decided one at a time,
// each after the previous one's write has finished, because each decision
// reads the conversation state the previous one committed. A waiting event
// does not hold a thread: its continuation is queued and started by the
// thread that ends the turn before it (the HTTP layer's I/O threads must
// never block). Internal to src/gateway.
//
// Thread-safe. Every Take must be matched by exactly one Release of the same
// key, after `start` ran.
#pragma once

#include <array>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "hitlgate/common/thread_annotations.h"
namespace hitlgate::gateway {

class InteractionTurns {
 public:
  using Start = std::move_only_function<void()>;

  // Runs `start` now, on this thread, when no turn for `key` is under way;
  // otherwise queues it, and the Release that ends the turn before runs it
  // (on the releasing thread: `start` must be quick and must not block;
  // typically it posts a continuation to its own executor).
  void Take(std::string key, Start start);

  // Ends the turn for `key`; starts the next queued one, if any.
  void Release(const std::string& key);

  // Take, blocking the calling thread until the turn is this caller's.
  void TakeBlocking(std::string key);

 private:
  static constexpr size_t kShards = 64;
  struct Shard {
    std::mutex mu;
    // key -> continuations waiting behind the turn under way (present while
    // a turn is under way, possibly with an empty queue).
    std::unordered_map<std::string, std::deque<Start>> busy HITLGATE_GUARDED_BY(mu);
  };
  Shard& ShardOf(std::string_view key);
  std::array<Shard, kShards> shards_;
};

}  // namespace hitlgate::gateway
