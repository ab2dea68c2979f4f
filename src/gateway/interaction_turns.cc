#include "gateway/interaction_turns.h"

#include "hitlgate/common/notification.h"
#include "hitlgate/engine/conversation.h"

namespace hitlgate::gateway {

InteractionTurns::Shard& InteractionTurns::ShardOf(std::string_view key) {
  return shards_[engine::StableHash(key) % kShards];
}

void InteractionTurns::Take(std::string key, Start start) {
  Shard& shard = ShardOf(key);
  {
    std::lock_guard lock(shard.mu);
    auto [it, free] = shard.busy.try_emplace(std::move(key));
    if (!free) {
      it->second.push_back(std::move(start));
      return;
    }
  }
  start();  // outside the lock: it may Take or Release other keys
}

void InteractionTurns::Release(const std::string& key) {
  Shard& shard = ShardOf(key);
  Start next;
  {
    std::lock_guard lock(shard.mu);
    auto it = shard.busy.find(key);
    if (it == shard.busy.end()) return;  // not taken: a caller's bug, nothing to hand on
    if (it->second.empty()) {
      shard.busy.erase(it);
      return;
    }
    next = std::move(it->second.front());
    it->second.pop_front();
  }
  next();  // the turn passes on; the key stays busy
}

void InteractionTurns::TakeBlocking(std::string key) {
  Notification mine;
  Take(std::move(key), [&mine] { mine.Notify(); });
  mine.WaitForNotification();
}

}  // namespace hitlgate::gateway
