// SqliteStore's plumbing, shared by its .cc files: the Write/Read templates
// and small helpers that run inside a write transaction. Internal.
#pragma once

#include <optional>
#include <utility>

#include "hitlgate/common/notification.h"
#include "hitlgate/store/sqlite_store.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/group_commit.h"
#include "storage/sqlite/read_pool.h"
#include "storage/sqlite/rows.h"
#include "storage/sqlite/write_txn.h"

namespace hitlgate::store {

template <typename T, typename F>
Result<T> SqliteStore::Write(F&& fn) {
  // Lives on the caller's stack: the caller blocks until Finish ran.
  class Op final : public sqlite::WriteOp {
   public:
    explicit Op(F& f) : fn_(f) {}
    bool Run(sqlite::WriteTxn& txn) override {
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
  committer_->Submit(&op);
  return op.Wait();
}

template <typename T, typename F, typename Done>
void SqliteStore::WriteAsync(F fn, Done done) {
  // Owns itself: deleted by Finish, after `done` ran.
  class Op final : public sqlite::WriteOp {
   public:
    Op(F f, Done d) : fn_(std::move(f)), done_(std::move(d)) {}
    bool Run(sqlite::WriteTxn& txn) override {
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
  committer_->Submit(new Op(std::move(fn), std::move(done)));
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

namespace sqlite {

// Live leases `reviewer` holds at `now`.
[[nodiscard]] Result<std::int64_t> LiveLeases(Connection& conn, const std::string& reviewer,
                                              TimePoint now);
// Inserts outbox messages created at `now`; returns their ids.
[[nodiscard]] Result<std::vector<std::int64_t>> InsertOutbox(
    Connection& conn, const std::vector<OutboxMessage>& messages, TimePoint now);
// Loads the tasks a SELECT of kTaskColumns returns.
[[nodiscard]] Result<std::vector<Task>> CollectTasks(Statement& st);

}  // namespace sqlite
}  // namespace hitlgate::store
