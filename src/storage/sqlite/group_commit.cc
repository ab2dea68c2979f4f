#include "storage/sqlite/group_commit.h"

namespace hitlgate::store::sqlite {

void GroupCommitter::RunBatch(const std::vector<WriteOp*>& batch) {
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
