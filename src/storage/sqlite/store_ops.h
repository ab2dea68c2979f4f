// SqliteStore's plumbing, shared by its .cc files: the Write/Read templates
// and small helpers that run inside a write transaction. Internal.
#pragma once

#include <optional>
#include <type_traits>
#include <utility>

#include "hitlgate/common/notification.h"
#include "hitlgate/store/sqlite_store.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/group_commit.h"
#include "storage/sqlite/read_pool.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/write_txn.h"
#include "storage/write_ops.h"

namespace hitlgate::store {

template <typename T, typename F>
Result<T> SqliteStore::Write(F&& fn) {
  internal::BlockingWriteOp<sqlite::WriteOp, sqlite::WriteTxn, T, std::remove_reference_t<F>> op(fn);
  committer_->Submit(&op);
  return op.Wait();
}

template <typename T, typename F, typename Done>
void SqliteStore::WriteAsync(F fn, Done done) {
  committer_->Submit(new internal::AsyncWriteOp<sqlite::WriteOp, sqlite::WriteTxn, T, F, Done>(std::move(fn), std::move(done)));
}

template <typename T, typename F>
Result<T> SqliteStore::Read(F&& fn) {
  auto handle = readers_->Acquire();
  HITLGATE_RETURN_IF_ERROR(handle);
  sqlite::Connection& conn = handle->conn();
  // One read transaction: every query of the call sees the same snapshot.
  HITLGATE_RETURN_IF_ERROR(conn.Exec("BEGIN"));
  Result<T> result = fn(conn);
  if (!conn.InAutocommit()) (void)conn.Exec("COMMIT");
  return result;
}

}  // namespace hitlgate::store
