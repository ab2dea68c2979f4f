// PostgresStore's plumbing, shared by its .cc files: the Write/Read
// templates and small helpers that run inside a write transaction. Internal.
#pragma once

#include <optional>
#include <type_traits>
#include <utility>

#include "hitlgate/common/notification.h"
#include "hitlgate/store/postgres_store.h"
#include "storage/postgres/connection.h"
#include "storage/postgres/pool.h"
#include "storage/postgres/rows.h"
#include "storage/postgres/writer.h"
#include "storage/write_ops.h"

namespace hitlgate::store {

template <typename T, typename F>
Result<T> PostgresStore::Write(F&& fn) {
  internal::BlockingWriteOp<postgres::WriteOp, postgres::WriteTxn, T, std::remove_reference_t<F>> op(fn);
  writer_->Submit(&op);
  return op.Wait();
}

template <typename T, typename F, typename Done>
void PostgresStore::WriteAsync(F fn, Done done) {
  writer_->Submit(new internal::AsyncWriteOp<postgres::WriteOp, postgres::WriteTxn, T, F, Done>(std::move(fn), std::move(done)));
}

template <typename T, typename F>
Result<T> PostgresStore::Read(F&& fn, bool snapshot) {
  auto handle = readers_->Acquire();
  HITLGATE_RETURN_IF_ERROR(handle);
  postgres::Connection& conn = handle->conn();
  if (snapshot) {
    // Every query of the call sees the same snapshot.
    HITLGATE_RETURN_IF_ERROR(conn.Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  }
  Result<T> result = fn(conn);
  if (conn.InTransaction()) (void)conn.Exec(conn.InFailedTransaction() ? "ROLLBACK" : "COMMIT");
  return result;
}

}  // namespace hitlgate::store
