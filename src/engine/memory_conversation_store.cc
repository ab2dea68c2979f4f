#include "hitlgate/engine/memory_conversation_store.h"

#include "hitlgate/common/thread_annotations.h"
#include "hitlgate/engine/conversation_state.h"

#include <algorithm>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace hitlgate::engine {
namespace {

constexpr size_t kShards = 16;

// A map with least-recently-used eviction. Not thread-safe; the shard locks.
template <typename V>
class LruMap {
 public:
  V* Find(const std::string& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);  // most recent first
    return &it->second->second;
  }
  V& Upsert(const std::string& key, size_t capacity) {
    if (V* v = Find(key)) return *v;
    while (!order_.empty() && order_.size() >= capacity) {
      index_.erase(order_.back().first);
      order_.pop_back();
    }
    order_.emplace_front(key, V{});
    index_[key] = order_.begin();
    return order_.front().second;
  }
  void Erase(const std::string& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return;
    order_.erase(it->second);
    index_.erase(it);
  }
  size_t size() const { return index_.size(); }

 private:
  std::list<std::pair<std::string, V>> order_;
  std::unordered_map<std::string, typename std::list<std::pair<std::string, V>>::iterator> index_;
};

size_t ShardOf(std::string_view key) { return StableHash(key) % kShards; }

}  // namespace

struct MemoryConversationStore::Shard {
  mutable std::mutex mu;
  LruMap<InteractionState> interactions HITLGATE_GUARDED_BY(mu);
  LruMap<CustomerState> customers HITLGATE_GUARDED_BY(mu);
};

MemoryConversationStore::MemoryConversationStore(ConversationLimits limits)
    : limits_(limits), shards_(std::make_unique<Shard[]>(kShards)) {}

MemoryConversationStore::~MemoryConversationStore() = default;

ConversationSnapshot MemoryConversationStore::Load(const Event& event, TimePoint at) {
  // Copies taken under the shard locks; the rules run outside them.
  std::optional<InteractionState> interaction;
  const std::string key = InteractionKey(event);
  {
    Shard& shard = shards_[ShardOf(key)];
    std::lock_guard lock(shard.mu);
    if (const InteractionState* s = shard.interactions.Find(key)) interaction = *s;
  }
  std::optional<CustomerState> customer;
  if (!event.customer_id.empty()) {
    Shard& shard = shards_[ShardOf(event.customer_id)];
    std::lock_guard lock(shard.mu);
    if (const CustomerState* c = shard.customers.Find(event.customer_id)) customer = *c;
  }
  return SnapshotBefore(interaction ? &*interaction : nullptr, customer ? &*customer : nullptr, event, at,
                        Rules());
}

void MemoryConversationStore::Record(const Event& event, TimePoint at,
                                     const ConversationUpdate& update) {
  {
    const std::string key = InteractionKey(event);
    Shard& shard = shards_[ShardOf(key)];
    std::lock_guard lock(shard.mu);
    if (event.type == EventType::kInteractionClosed) {
      shard.interactions.Erase(key);
    } else {
      FoldInteraction(shard.interactions.Upsert(key, limits_.max_interactions / kShards + 1),
                      event, at, update, Rules());
    }
  }
  if (event.customer_id.empty()) return;
  Shard& shard = shards_[ShardOf(event.customer_id)];
  std::lock_guard lock(shard.mu);
  FoldCustomer(shard.customers.Upsert(event.customer_id, limits_.max_customers / kShards + 1), event, at);
}

size_t MemoryConversationStore::interaction_count() const {
  size_t n = 0;
  for (size_t i = 0; i < kShards; ++i) {
    std::lock_guard lock(shards_[i].mu);
    n += shards_[i].interactions.size();
  }
  return n;
}

size_t MemoryConversationStore::customer_count() const {
  size_t n = 0;
  for (size_t i = 0; i < kShards; ++i) {
    std::lock_guard lock(shards_[i].mu);
    n += shards_[i].customers.size();
  }
  return n;
}

}  // namespace hitlgate::engine
