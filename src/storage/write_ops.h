// The two ways a caller hands one write to a SQL store's writer thread
// (SqliteStore's GroupCommitter, PostgresStore's Writer): and waits for it,
// or not. The writers' WriteOp and WriteTxn types differ, their contract is
// the same (Run inside the batch, Finish once after it), so both stores use
// these templates. Internal to src/storage.
#pragma once

#include <optional>
#include <utility>

#include "hitlgate/common/error.h"
#include "hitlgate/common/notification.h"

namespace hitlgate::store::internal {

// Lives on the caller's stack: the caller blocks in Wait until Finish ran.
template <typename Base, typename Txn, typename T, typename F>
class BlockingWriteOp final : public Base {
 public:
  explicit BlockingWriteOp(F& f) : fn_(f) {}
  bool Run(Txn& txn) override {
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

// Owns itself: `done(Result<T>)` runs on the writer thread once the batch
// committed or failed, then the op deletes itself.
template <typename Base, typename Txn, typename T, typename F, typename Done>
class AsyncWriteOp final : public Base {
 public:
  AsyncWriteOp(F f, Done d) : fn_(std::move(f)), done_(std::move(d)) {}
  bool Run(Txn& txn) override {
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

}  // namespace hitlgate::store::internal
