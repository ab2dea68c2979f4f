// SqliteStore: the default, embedded Store: one SQLite file, nothing to
// install. Durability: WAL journal with synchronous=FULL, so a call that
// returned OK survives power loss. Writes go through one writer thread that
// group-commits whatever is queued in a single transaction (each call in its
// own savepoint), so concurrent callers share one fsync; reads use a pool of
// separate connections and never wait for the writer (WAL snapshots).
// The schema is created and migrated on Open (schema_version table).
//
// Thread-safe: every method may be called from any thread. Only one process
// should write a database at a time (the gateway holds it); a second
// SqliteStore on the same file is safe but both serialize on SQLite's lock.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "hitlgate/store/id_generator.h"
#include "hitlgate/store/sql_store.h"

namespace hitlgate::store {

namespace sqlite {
class Connection;
class GroupCommitter;
class ReadPool;
class WriteTxn;
}  // namespace sqlite

struct SqliteStoreOptions {
  IdGenerator* ids = nullptr;  // required; must outlive the store
  // Most write calls run in one transaction. Bounds the latency one batch
  // adds to the calls queued behind it.
  size_t max_batch = 512;
  int busy_timeout_ms = 5000;
};

class SqliteStore final : public SqlStore {
 public:
  // Opens or creates the database at `path` and migrates its schema.
  // InvalidArgument: no IdGenerator. Unavailable: the file cannot be opened.
  // FailedPrecondition: the schema is newer than this binary's. DataLoss:
  // the file is not a database.
  [[nodiscard]] static Result<std::unique_ptr<SqliteStore>> Open(
      const std::string& path, const SqliteStoreOptions& options);
  // Finishes queued writes, then closes every connection.
  ~SqliteStore() override;

  Result<AuditHead> GetAuditHead() override;

  // (Default arguments repeat Store's, for callers holding a SqliteStore.)

  // Write transactions run so far, and write calls served by them: with
  // concurrent callers the first is smaller than the second.
  std::int64_t TransactionCountForTest() const;
  std::int64_t WriteOpCountForTest() const;

 private:
  SqliteStore() = default;

  Result<void> RunRead(const ReadFn& fn, bool snapshot) override;
  Result<void> RunWrite(const WriteFn& fn) override;
  void RunDecisionWriteAsync(DecisionWrite write, RecordDone done) override;
  void AfterErasure() override { (void)TruncateWal(); }

  // Runs fn(WriteTxn&) -> Result<T> on the writer thread inside the next
  // group commit; returns once that transaction committed (or failed).
  template <typename T, typename F>
  Result<T> Write(F&& fn);
  // Write without waiting: `done(Result<T>)` runs on the writer thread once
  // the batch committed or failed. `fn` is moved into the operation.
  template <typename T, typename F, typename Done>
  void WriteAsync(F fn, Done done);
  // Runs fn(sqlite::Connection&) -> Result<T> in a read transaction on a
  // pooled connection.
  template <typename T, typename F>
  Result<T> Read(F&& fn);

  // Copies of erased rows can survive in the WAL: a separate connection
  // truncates it after an erasure (a checkpoint cannot run inside the
  // writer's transactions).
  [[nodiscard]] Result<void> TruncateWal();

  std::string path_;
  int busy_timeout_ms_ = 0;
  std::unique_ptr<sqlite::Connection> writer_;
  std::unique_ptr<sqlite::WriteTxn> txn_;
  std::unique_ptr<sqlite::ReadPool> readers_;
  std::unique_ptr<sqlite::GroupCommitter> committer_;  // last: stops first
};

}  // namespace hitlgate::store
