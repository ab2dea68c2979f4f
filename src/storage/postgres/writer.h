// Writer: the one writer connection of a PostgresStore node and its thread.
// Callers submit a WriteOp and block; the thread takes everything queued and
// runs it in ONE transaction, commits and wakes the callers. One op's failure
// must not undo the others: ops almost always fail before they write (a
// check on what they read), so the batch runs without savepoints (each would
// cost two round trips per op); when an op fails after writing, the batch is
// rolled back and run again with one SAVEPOINT per op.
//
// The batch takes no cluster-wide lock: its audit records go to
// audit_pending, and the node's Sealer puts them on the chain after the
// commit (ADR 0011, sealer.h). Batching still lets a node's concurrent
// callers share one commit's WAL flush.
//
// Thread-safe: Submit may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "hitlgate/audit/record.h"
#include "hitlgate/common/error.h"
#include "hitlgate/store/id_generator.h"
#include "hitlgate/store/store.h"
#include "storage/batch_queue.h"
#include "storage/postgres/connection.h"
#include "storage/postgres/sealer.h"

namespace hitlgate::store::postgres {

// What a write operation sees inside the batch transaction.
class WriteTxn {
 public:
  WriteTxn(Connection* conn, IdGenerator* ids) : conn_(conn), ids_(ids) {}

  Connection& conn() { return *conn_; }
  IdGenerator& ids() { return *ids_; }

  // Queues `entries`, written at `at`, for the sealer (one statement): the
  // change they describe and the records commit together; their seq and hash
  // come later. What the event path uses.
  [[nodiscard]] Result<void> Append(std::vector<audit::AuditEntry> entries, TimePoint at);

  // Seals `entries` onto the chain now and returns them with seq and hash:
  // takes the sealer lock for the rest of the transaction and seals what is
  // pending first. For the few callers that answer with the seq (admin,
  // access records), never the event path.
  [[nodiscard]] Result<std::vector<audit::AuditRecord>> AppendSealed(
      std::vector<audit::AuditEntry> entries, TimePoint at);

  // The chain's head, with the sealer lock held until the transaction ends
  // (the purge anchors at it).
  [[nodiscard]] Result<AuditHead> ChainHead();

  bool queued() const { return queued_; }
  // What an op that failed must put back (its savepoint undid the rows).
  std::optional<AuditHead> sealed_state() const { return sealed_head_; }
  void RestoreSealedState(std::optional<AuditHead> head) { sealed_head_ = std::move(head); }

 private:
  Connection* conn_;
  IdGenerator* ids_;
  bool queued_ = false;
  std::optional<AuditHead> sealed_head_;  // set once this transaction holds the sealer lock
};

class WriteOp {
 public:
  virtual ~WriteOp() = default;
  // Runs on the writer thread inside the batch. Returns false when the op
  // failed (its result holds the error) and its changes must roll back.
  virtual bool Run(WriteTxn& txn) = 0;
  // Called once after the batch: commit_error is null when it committed.
  virtual void Finish(const Error* commit_error) = 0;
};

class Writer {
 public:
  // `ids` must outlive the writer. Connects lazily (and again after the
  // connection broke). Destruction runs what is queued, then stops.
  Writer(ConnectOptions options, IdGenerator* ids, size_t max_batch);

  void Submit(WriteOp* op) { queue_.Submit(op); }

  std::int64_t transactions() const { return queue_.batches(); }
  std::int64_t ops() const { return queue_.ops(); }

 private:
  void RunBatch(const std::vector<WriteOp*>& batch);
  // One attempt; false (nothing finished) when an op failed after writing
  // and `savepoints` was off: the caller runs the batch again with them.
  bool TryBatch(const std::vector<WriteOp*>& batch, bool savepoints);

  const ConnectOptions options_;
  IdGenerator* const ids_;
  std::unique_ptr<Connection> conn_;  // writer thread only
  Sealer sealer_;
  internal::BatchQueue<WriteOp> queue_;  // last: its thread stops first
};

// A PostgreSQL array literal ('{"a","b"}') for text elements, any bytes.
std::string TextArray(const std::vector<std::string>& items);

}  // namespace hitlgate::store::postgres
