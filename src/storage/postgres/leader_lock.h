// LeaderLock: one node of a cluster leads the once-only periodic work
// (Store::LeadPeriodicWork). It is a session-level advisory lock held on a
// connection of its own: PostgreSQL frees it when that session ends, so a
// node that dies (SIGKILL, lost network) hands the lead over without any
// lease to expire; the next node to ask takes it. Keyed by the schema, so
// clusters in different schemas of one database lead separately.
//
// Not thread-safe: the gateway's tick calls it from one thread; a mutex
// guards it anyway because PostgresStore's methods are thread-safe.
#pragma once

#include <memory>
#include <mutex>

#include "hitlgate/common/error.h"
#include "hitlgate/common/thread_annotations.h"
#include "storage/postgres/connection.h"

namespace hitlgate::store::postgres {

class LeaderLock {
 public:
  explicit LeaderLock(ConnectOptions options) : options_(std::move(options)) {}

  // True while this process holds the lock: takes it when free, checks the
  // session is still alive when held (one round trip). Unavailable when the
  // database cannot be reached (then this node does not lead).
  [[nodiscard]] Result<bool> Hold();

 private:
  ConnectOptions options_;
  std::mutex mu_;
  std::unique_ptr<Connection> conn_ HITLGATE_GUARDED_BY(mu_);
  bool held_ HITLGATE_GUARDED_BY(mu_) = false;
};

}  // namespace hitlgate::store::postgres
