// PostgresConversationStore: the engine's conversation state (message rate,
// sentiment trend, sticky topics, repeat contacts) in PostgreSQL, shared by
// every gateway node on the database, so an event's triggers come out the
// same whichever node it reaches (docs/adr/0008-conversation-state-row-locks.md).
//
//  * Load locks the interaction's row and then the customer's row
//    (SELECT ... FOR UPDATE, rows created on first sight) and reads them:
//    one round trip, pipelined. The transaction stays open, on a connection
//    held by the calling thread, until Record.
//  * Record writes both rows and commits: one round trip, pipelined. The
//    commit is asynchronous (synchronous_commit = off): visible to every
//    node at once, and made durable by the decision's own synchronous commit
//    that follows it in the WAL before the agent gets its answer.
//  * Two events of one interaction on two nodes at once: the second waits on
//    the row lock until the first has recorded, then sees its state, exactly
//    as one node's interaction lock would order them. Locks are taken
//    interaction first, then customer, so they never deadlock.
//
// The snapshot and the folding mirror MemoryConversationStore's (compared
// field by field in postgres_conversation_store_test), except that nothing
// is evicted by count: idle interactions and old customers are purged by
// event time every `purge_every` records.
//
// Thread-safe. Load and Record of one event must run on the same thread, in
// that order (DecisionEngine::Decide does).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "hitlgate/common/clock.h"
#include "hitlgate/common/error.h"
#include "hitlgate/engine/conversation.h"

namespace hitlgate::store {

struct PostgresConversationOptions {
  // Tables live in this schema (empty = the connection's default); the
  // PostgresStore on the same database uses the same one.
  std::string schema;
  // Connections this node opens at most; each event holds one from Load to
  // Record.
  int connections = 16;
  // Same meaning as in MemoryConversationStore's ConversationLimits.
  Duration idle_ttl = std::chrono::hours(24);
  Duration contact_horizon = std::chrono::hours(24 * 30);
  // A row lock held longer than this by another node (a stopped process)
  // fails the Load; the event is then decided on what a plain read shows.
  Duration lock_timeout = std::chrono::seconds(5);
  // Records between two purges of idle rows (per node); 0 = never.
  std::int64_t purge_every = 20'000;
};

class PostgresConversationStore final : public engine::ConversationStore {
 public:
  // Connects to `url` and migrates the schema (as PostgresStore::Open does).
  // Unavailable: the server cannot be reached.
  [[nodiscard]] static Result<std::unique_ptr<PostgresConversationStore>> Open(
      const std::string& url, const PostgresConversationOptions& options = {});
  ~PostgresConversationStore() override;

  engine::ConversationSnapshot Load(const engine::Event& event, TimePoint at) override;
  void Record(const engine::Event& event, TimePoint at,
              const engine::ConversationUpdate& update) override;
  void Abandon(const engine::Event& event) override;

  // Loads or records that failed (database errors, lock timeouts) and fell
  // back to the degraded path; for tests and metrics.
  std::int64_t failures() const;

  class Impl;

 private:
  explicit PostgresConversationStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hitlgate::store
