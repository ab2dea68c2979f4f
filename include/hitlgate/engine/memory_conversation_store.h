// MemoryConversationStore: conversation state in this process's memory, with
// a hard bound. Interactions and customers are kept in LRU order per shard;
// beyond the configured bounds the least recently seen are evicted, as are
// closed interactions and those idle longer than `idle_ttl` (in event time).
// Right for one gateway node and for replays; several nodes need the state
// in their shared database.
//
// Thread-safe: 16 shards, each guarded by its own mutex.
#pragma once

#include <memory>

#include "hitlgate/engine/conversation_state.h"

namespace hitlgate::engine {

struct ConversationLimits {
  size_t max_interactions = 200'000;
  size_t max_customers = 500'000;
  Duration idle_ttl = std::chrono::hours(24);
  // Contacts older than this are forgotten (longest repeat-contact window).
  Duration contact_horizon = std::chrono::hours(24 * 30);
};

class MemoryConversationStore final : public ConversationStore {
 public:
  explicit MemoryConversationStore(ConversationLimits limits = {});
  ~MemoryConversationStore() override;

  ConversationSnapshot Load(const Event& event, TimePoint at) override;
  void Record(const Event& event, TimePoint at, const ConversationUpdate& update) override;

  size_t interaction_count() const;
  size_t customer_count() const;

  struct Shard;

 private:
  ConversationRules Rules() const { return {limits_.idle_ttl, limits_.contact_horizon}; }

  ConversationLimits limits_;
  std::unique_ptr<Shard[]> shards_;
};

}  // namespace hitlgate::engine
