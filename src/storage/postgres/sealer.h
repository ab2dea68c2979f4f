// Sealing the audit chain after commit (ADR 0011). Write transactions queue
// their records in audit_pending, with their transaction id and no seq or
// hash, and take no cluster-wide lock. One sealer at a time (a transaction
// advisory lock per schema) moves the pending records of finished
// transactions onto the chain in insertion order: seq, prev_hash, hash, and
// the new audit_head, in one short transaction of its own. A record whose
// transaction is still running waits; one whose transaction rolled back is
// gone. So the chain stays one gapless sequence whichever node wrote, and the
// only serial transaction in the cluster is the sealer's.
//
// Why `xid < pg_snapshot_xmin(pg_current_snapshot())` is the test: every
// transaction older than the snapshot's xmin has ended, so such a row is
// committed (and visible) or rolled back (and invisible), and no new row with
// such an xid can appear later; sealing them in id order never has to insert
// behind a sealed record.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "hitlgate/audit/record.h"
#include "hitlgate/common/error.h"
#include "hitlgate/common/thread_annotations.h"
#include "hitlgate/store/store.h"
#include "storage/postgres/connection.h"

namespace hitlgate::store::postgres {

// Inside an open transaction: takes the sealer lock, waiting for it when
// `wait` (then always true), else only when it is free.
[[nodiscard]] Result<bool> TakeSealerLock(Connection& conn, bool wait);

// Inside a transaction holding the sealer lock: the chain's head.
[[nodiscard]] Result<AuditHead> ReadSealedHead(Connection& conn);

// Inside a transaction holding the sealer lock: seals up to `limit` pending
// records of finished transactions onto `head` (which moves, and is stored).
// Returns how many it sealed.
[[nodiscard]] Result<int> SealPending(Connection& conn, AuditHead& head, int limit);

// Inside a transaction holding the sealer lock: seals `entries` at `at`
// straight onto `head` (which moves, and is stored) and returns them.
[[nodiscard]] Result<std::vector<audit::AuditRecord>> SealDirect(
    Connection& conn, AuditHead& head, std::vector<audit::AuditEntry> entries, TimePoint at);

struct SealPass {
  bool locked = false;  // false: another sealer held the lock
  int sealed = 0;
};
// One pass in a transaction of its own (conn must be outside one).
[[nodiscard]] Result<SealPass> SealOnce(Connection& conn, int limit);

// Returns once every audit record committed before the call is on the chain,
// sealing on `conn` when the lock is free; Unavailable after `limit` (a long
// transaction somewhere holds the records back).
[[nodiscard]] Result<void> SealCommitted(Connection& conn, std::chrono::milliseconds limit);

// A node's sealer thread: seals after the writer says it queued records,
// keeps trying every kRetry while records wait, and looks
// every kIdlePoll when nothing happens here (records another node left when
// it died, or ones it queued while this node held the lock).
class Sealer {
 public:
  static constexpr std::chrono::milliseconds kIdlePoll{100};
  // The pause between passes while records wait.
  static constexpr std::chrono::milliseconds kRetry{5};
  static constexpr int kBatch = 1000;

  explicit Sealer(ConnectOptions options);
  ~Sealer();

  void Poke();

 private:
  void Loop();
  // One round: passes until nothing sealable is left. True when records
  // still wait (another sealer's turn or unfinished transactions).
  bool SealAvailable();
  bool stopping_now();

  const ConnectOptions options_;
  std::unique_ptr<Connection> conn_;  // sealer thread only
  std::mutex mu_;
  std::condition_variable cv_;
  bool poked_ HITLGATE_GUARDED_BY(mu_) = false;
  bool stopping_ HITLGATE_GUARDED_BY(mu_) = false;
  std::thread thread_;  // last
};

}  // namespace hitlgate::store::postgres
