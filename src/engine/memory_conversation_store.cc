#include "hitlgate/engine/memory_conversation_store.h"

#include <algorithm>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

namespace hitlgate::engine {
namespace {

constexpr size_t kShards = 16;

struct InteractionState {
  std::int64_t event_count = 0;
  std::array<TimePoint, ConversationSnapshot::kMaxRecentMessages> recent{};  // ring
  int recent_head = 0;   // next write position
  int recent_count = 0;
  int customer_message_count = 0;
  double first_sentiment = 0.0;
  double smoothed_sentiment = 0.0;
  double last_sentiment = 0.0;
  bool last_human_request = false;
  bool legal_threat_seen = false;
  bool last_frustration = false;
  std::uint64_t sticky_bits = 0;
  std::uint64_t intent_hash = 0;
  TimePoint last_seen{};
};

struct CustomerState {
  std::array<Contact, ConversationSnapshot::kMaxContacts> contacts{};  // oldest first
  int count = 0;
};

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
  LruMap<InteractionState> interactions;  // guarded by mu
  LruMap<CustomerState> customers;        // guarded by mu
};

MemoryConversationStore::MemoryConversationStore(ConversationLimits limits)
    : limits_(limits), shards_(std::make_unique<Shard[]>(kShards)) {}

MemoryConversationStore::~MemoryConversationStore() = default;

ConversationSnapshot MemoryConversationStore::Load(const Event& event, TimePoint at) {
  ConversationSnapshot snap;
  snap.now = at;
  const std::uint64_t self_hash = StableHash(event.interaction_id);
  {
    Shard& shard = shards_[ShardOf(event.interaction_id)];
    std::lock_guard lock(shard.mu);
    InteractionState* s = shard.interactions.Find(event.interaction_id);
    if (s != nullptr && at - s->last_seen > limits_.idle_ttl) s = nullptr;  // idle: a new start
    if (s != nullptr) {
      snap.known_interaction = true;
      snap.event_index = s->event_count;
      // Unroll the ring, oldest first.
      int start = (s->recent_head - s->recent_count + ConversationSnapshot::kMaxRecentMessages) %
                  ConversationSnapshot::kMaxRecentMessages;
      for (int i = 0; i < s->recent_count; ++i) {
        snap.recent_messages[i] = s->recent[(start + i) % ConversationSnapshot::kMaxRecentMessages];
      }
      snap.recent_message_count = s->recent_count;
      snap.customer_message_count = s->customer_message_count;
      snap.first_sentiment = s->first_sentiment;
      snap.smoothed_sentiment = s->smoothed_sentiment;
      snap.last_sentiment = s->last_sentiment;
      snap.last_human_request = s->last_human_request;
      snap.legal_threat_seen = s->legal_threat_seen;
      snap.last_frustration = s->last_frustration;
      snap.sticky_category_bits = s->sticky_bits;
      snap.intent_hash = s->intent_hash;
    }
  }
  if (event.type == EventType::kCustomerMessage) {
    // The current message counts toward its own rate.
    if (snap.recent_message_count == ConversationSnapshot::kMaxRecentMessages) {
      std::shift_left(snap.recent_messages.begin(), snap.recent_messages.end(), 1);
      --snap.recent_message_count;
    }
    snap.recent_messages[snap.recent_message_count++] = at;
  }
  const std::uint64_t intent = event.intent.empty() ? snap.intent_hash : StableHash(event.intent);
  if (!event.customer_id.empty()) {
    Shard& shard = shards_[ShardOf(event.customer_id)];
    std::lock_guard lock(shard.mu);
    if (CustomerState* c = shard.customers.Find(event.customer_id)) {
      for (int i = 0; i < c->count; ++i) {
        if (at - c->contacts[i].first_at > limits_.contact_horizon) continue;
        snap.contacts[snap.contact_count++] = c->contacts[i];
      }
    }
  }
  bool self_listed = false;
  for (int i = 0; i < snap.contact_count; ++i) {
    if (snap.contacts[i].interaction_hash == self_hash) {
      self_listed = true;
      if (intent != 0) snap.contacts[i].intent_hash = intent;
    }
  }
  if (!self_listed) {
    if (snap.contact_count == ConversationSnapshot::kMaxContacts) {
      std::shift_left(snap.contacts.begin(), snap.contacts.end(), 1);
      --snap.contact_count;
    }
    snap.contacts[snap.contact_count++] = Contact{self_hash, at, intent};
  }
  return snap;
}

void MemoryConversationStore::Record(const Event& event, TimePoint at,
                                     const ConversationUpdate& update) {
  const std::uint64_t self_hash = StableHash(event.interaction_id);
  const std::uint64_t intent = event.intent.empty() ? 0 : StableHash(event.intent);
  {
    Shard& shard = shards_[ShardOf(event.interaction_id)];
    std::lock_guard lock(shard.mu);
    if (event.type == EventType::kInteractionClosed) {
      shard.interactions.Erase(event.interaction_id);
    } else {
      InteractionState& s =
          shard.interactions.Upsert(event.interaction_id, limits_.max_interactions / kShards + 1);
      if (s.event_count > 0 && at - s.last_seen > limits_.idle_ttl) s = InteractionState{};
      ++s.event_count;
      s.last_seen = std::max(s.last_seen, at);
      if (intent != 0) s.intent_hash = intent;
      s.sticky_bits |= update.category_bits;
      s.legal_threat_seen |= update.legal_threat;
      if (event.type == EventType::kCustomerMessage) {
        s.recent[s.recent_head] = at;
        s.recent_head = (s.recent_head + 1) % ConversationSnapshot::kMaxRecentMessages;
        s.recent_count = std::min(s.recent_count + 1, ConversationSnapshot::kMaxRecentMessages);
        if (s.customer_message_count == 0) {
          s.first_sentiment = update.sentiment;
          s.smoothed_sentiment = update.sentiment;
        } else {
          s.smoothed_sentiment = 0.5 * update.sentiment + 0.5 * s.smoothed_sentiment;
        }
        ++s.customer_message_count;
        s.last_sentiment = update.sentiment;
        s.last_human_request = update.human_request;
        s.last_frustration = update.frustration;
      }
    }
  }
  if (event.customer_id.empty()) return;
  Shard& shard = shards_[ShardOf(event.customer_id)];
  std::lock_guard lock(shard.mu);
  CustomerState& c = shard.customers.Upsert(event.customer_id, limits_.max_customers / kShards + 1);
  for (int i = 0; i < c.count; ++i) {
    if (c.contacts[i].interaction_hash == self_hash) {
      if (intent != 0) c.contacts[i].intent_hash = intent;
      return;
    }
  }
  if (c.count == ConversationSnapshot::kMaxContacts) {
    std::shift_left(c.contacts.begin(), c.contacts.end(), 1);
    --c.count;
  }
  c.contacts[c.count++] = Contact{self_hash, at, intent};
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
