// GroupCommitter: the single writer thread of a SqliteStore. Callers submit
// a WriteOp and block; the thread takes everything queued, runs it all in ONE
// BEGIN IMMEDIATE..COMMIT, each op inside its own SAVEPOINT (so one op's
// failure rolls back only that op), then wakes the callers. With
// synchronous=FULL the commit is the fsync, and concurrent callers share it:
// throughput grows with concurrency instead of being capped at one fsync
// per call. Thread-safe: Submit may be called from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "hitlgate/common/error.h"
#include "hitlgate/common/thread_annotations.h"
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
  GroupCommitter(WriteTxn* txn, size_t max_batch);
  // Drains the queue, then joins the writer thread.
  ~GroupCommitter();

  // Queues `op` (which must stay alive until its Finish ran).
  void Submit(WriteOp* op);

  // Transactions committed or attempted so far (for the batching test).
  std::int64_t transactions() const { return transactions_.load(); }
  std::int64_t ops() const { return ops_.load(); }

 private:
  void Loop();
  void RunBatch(const std::vector<WriteOp*>& batch);

  WriteTxn* const txn_;  // writer thread only
  const size_t max_batch_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<WriteOp*> queue_ HITLGATE_GUARDED_BY(mu_);
  bool stopping_ HITLGATE_GUARDED_BY(mu_) = false;
  std::atomic<std::int64_t> transactions_{0};
  std::atomic<std::int64_t> ops_{0};
  std::thread thread_;  // last: starts after everything above is built
};

}  // namespace hitlgate::store::sqlite
