#include "storage/sqlite/group_commit.h"

namespace hitlgate::store::sqlite {

GroupCommitter::GroupCommitter(WriteTxn* txn, size_t max_batch)
    : txn_(txn), max_batch_(max_batch == 0 ? 1 : max_batch), thread_([this] { Loop(); }) {}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void GroupCommitter::Submit(WriteOp* op) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(op);
  }
  cv_.notify_one();
}

void GroupCommitter::Loop() {
  std::vector<WriteOp*> batch;
  while (true) {
    batch.clear();
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything was served
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    RunBatch(batch);
  }
}

void GroupCommitter::RunBatch(const std::vector<WriteOp*>& batch) {
  ++transactions_;
  ops_ += static_cast<std::int64_t>(batch.size());
  Connection& conn = txn_->conn();
  auto fail_all = [&](const Error& e) {
    if (!conn.InAutocommit()) (void)conn.Exec("ROLLBACK");
    for (WriteOp* op : batch) op->Finish(&e);
  };
  if (auto r = conn.Run("BEGIN IMMEDIATE"); !r) return fail_all(r.error());
  if (auto r = txn_->LoadHead(); !r) return fail_all(r.error());
  for (WriteOp* op : batch) {
    if (auto r = conn.Run("SAVEPOINT op"); !r) return fail_all(r.error());
    AuditHead saved = txn_->head();
    if (!op->Run(*txn_)) {
      if (conn.InAutocommit()) {
        // SQLite rolled the whole transaction back on a hard error (disk
        // full, I/O): the ops before this one are lost too.
        return fail_all(Error(ErrorCode::kUnavailable, "transaction rolled back by SQLite"));
      }
      if (auto r = conn.Run("ROLLBACK TO op"); !r) return fail_all(r.error());
      txn_->RestoreHead(std::move(saved));
    }
    if (auto r = conn.Run("RELEASE op"); !r) return fail_all(r.error());
  }
  if (auto r = conn.Run("COMMIT"); !r) return fail_all(r.error());
  for (WriteOp* op : batch) op->Finish(nullptr);
}

}  // namespace hitlgate::store::sqlite
