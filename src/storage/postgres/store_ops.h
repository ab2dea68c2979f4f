// PostgresStore's plumbing, shared by its .cc files: the Write/Read
// templates and small helpers that run inside a write transaction. Internal.
#pragma once

#include <optional>
#include <utility>

#include "hitlgate/common/notification.h"
#include "hitlgate/store/postgres_store.h"
#include "storage/postgres/connection.h"
#include "storage/postgres/pool.h"
#include "storage/postgres/rows.h"
#include "storage/postgres/writer.h"

namespace hitlgate::store {

template <typename T, typename F>
Result<T> PostgresStore::Write(F&& fn) {
  // Lives on the caller's stack: the caller blocks until Finish ran.
  class Op final : public postgres::WriteOp {
   public:
    explicit Op(F& f) : fn_(f) {}
    bool Run(postgres::WriteTxn& txn) override {
      result_.emplace(fn_(txn));
      return result_->has_value();
    }
    void Finish(const Error* commit_error) override {
      if (commit_error != nullptr) result_.emplace(std::unexpected(*commit_error));
      done_.Notify();
    }
    Result<T> Wait() {
      done_.WaitForNotification();
      return std::move(*result_);
    }

   private:
    F& fn_;
    std::optional<Result<T>> result_;
    Notification done_;
  };
  Op op(fn);
  writer_->Submit(&op);
  return op.Wait();
}

template <typename T, typename F, typename Done>
void PostgresStore::WriteAsync(F fn, Done done) {
  // Owns itself: deleted by Finish, after `done` ran.
  class Op final : public postgres::WriteOp {
   public:
    Op(F f, Done d) : fn_(std::move(f)), done_(std::move(d)) {}
    bool Run(postgres::WriteTxn& txn) override {
      result_.emplace(fn_(txn));
      return result_->has_value();
    }
    void Finish(const Error* commit_error) override {
      if (commit_error != nullptr) result_.emplace(std::unexpected(*commit_error));
      if (!result_) result_.emplace(std::unexpected(Error(ErrorCode::kInternal, "write never ran")));
      done_(std::move(*result_));
      delete this;
    }

   private:
    F fn_;
    Done done_;
    std::optional<Result<T>> result_;
  };
  writer_->Submit(new Op(std::move(fn), std::move(done)));
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

namespace postgres {

// Live leases `reviewer` holds at `now`.
[[nodiscard]] Result<std::int64_t> LiveLeases(Connection& conn, const std::string& reviewer,
                                              TimePoint now);
// Inserts outbox messages created at `now`; returns their ids.
[[nodiscard]] Result<std::vector<std::int64_t>> InsertOutbox(
    Connection& conn, const std::vector<OutboxMessage>& messages, TimePoint now);

}  // namespace postgres
}  // namespace hitlgate::store
