// GroupCommitter: the single writer thread of a SqliteStore. Callers submit
// a WriteOp and block; the thread takes everything queued, runs it all in ONE
// BEGIN IMMEDIATE..COMMIT, each op inside its own SAVEPOINT (so one op's
// failure rolls back only that op), then wakes the callers. With
// synchronous=FULL the commit is the fsync, and concurrent callers share it:
// throughput grows with concurrency instead of being capped at one fsync
// per call. Thread-safe: Submit may be called from any thread.
#pragma once

#include <cstdint>
#include <vector>

#include "hitlgate/common/error.h"
#include "storage/batch_queue.h"
#include "storage/sqlite/write_txn.h"

namespace hitlgate::store::sqlite {

class WriteOp {
 public:
  virtual ~WriteOp() = default;
  // Runs on the writer thread inside a savepoint. Returns false when the op
  // failed (its result holds the error) and its savepoint must roll back.
  virtual bool Run(WriteTxn& txn) = 0;
  // Called once after the batch: commit_error is null when it committed.
  // The op may be destroyed by its owner as soon as Finish returns.
  virtual void Finish(const Error* commit_error) = 0;
};

class GroupCommitter {
 public:
  // `txn` must outlive the committer; only the writer thread uses it.
  GroupCommitter(WriteTxn* txn, size_t max_batch)
      : txn_(txn), queue_(max_batch, [this](const std::vector<WriteOp*>& batch) { RunBatch(batch); }) {}

  // Queues `op` (which must stay alive until its Finish ran).
  void Submit(WriteOp* op) { queue_.Submit(op); }

  // Transactions committed or attempted so far (for the batching test).
  std::int64_t transactions() const { return queue_.batches(); }
  std::int64_t ops() const { return queue_.ops(); }

 private:
  void RunBatch(const std::vector<WriteOp*>& batch);

  WriteTxn* const txn_;  // writer thread only
  internal::BatchQueue<WriteOp> queue_;  // last: its thread stops first
};

}  // namespace hitlgate::store::sqlite
