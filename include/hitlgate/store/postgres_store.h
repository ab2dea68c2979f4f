// PostgresStore: the Store for several gateway nodes sharing one PostgreSQL
// (or a PostgreSQL-compatible database). Every node opens its own
// PostgresStore on the same database; nothing durable lives in a node.
//
//  * Writes: one writer connection per node batches whatever its callers
//    queued into one transaction (each call in a SAVEPOINT), so concurrent
//    callers share one commit. Every write transaction first locks the
//    audit chain's head row (audit_head): the chain is one gapless sequence
//    for the whole cluster, and writers never deadlock (ADR 0005).
//  * Claims: SELECT ... FOR UPDATE SKIP LOCKED in claim order, filtered by
//    skills, languages and queues in SQL, so two nodes never hand out the
//    same task; a verdict locks its task row and is accepted once; lease
//    expiry is compared with the caller's `now` in the database row,
//    whichever node the reviewer talks to.
//  * Reads: a pool of connections, each call in one REPEATABLE READ
//    READ ONLY transaction (a consistent snapshot), never waiting for writers.
//  * Schema: created and migrated on Open, in one transaction under an
//    advisory lock (safe when several nodes start at once).
//
// Thread-safe: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "hitlgate/store/id_generator.h"
#include "hitlgate/store/sql_store.h"

namespace hitlgate::store {

namespace postgres {
class LeaderLock;
class Pool;
class Writer;
class WriteTxn;
class Connection;
}  // namespace postgres

struct PostgresStoreOptions {
  IdGenerator* ids = nullptr;  // required; must outlive the store
  // Tables live in this schema (created when missing); empty = the
  // connection's default search_path. Letters, digits and '_' only.
  std::string schema;
  // Most write calls run in one transaction.
  size_t max_batch = 256;
  // Reader connections this node opens at most.
  int read_connections = 8;
};

class PostgresStore final : public SqlStore {
 public:
  // Connects to `url` (a libpq URI such as postgresql://user@host:5432/db, or
  // a key=value string) and migrates the schema.
  // InvalidArgument: no IdGenerator or a bad schema name. Unavailable: the
  // server cannot be reached. FailedPrecondition: the schema is newer than
  // this binary's.
  [[nodiscard]] static Result<std::unique_ptr<PostgresStore>> Open(
      const std::string& url, const PostgresStoreOptions& options);
  // Finishes queued writes, then closes every connection.
  ~PostgresStore() override;

  // True for what Open takes: a postgres:// or postgresql:// URL, or a libpq
  // key=value string that starts with host, hostaddr, port, dbname, user or
  // service (either form may name several hosts).
  static bool IsPostgresUrl(std::string_view url);

  Result<AuditHead> GetAuditHead() override;
  // Leads while this node holds the cluster's advisory lock (leader_lock.h).
  Result<bool> LeadPeriodicWork() override;

  // Write transactions run so far, and write calls served by them.
  std::int64_t TransactionCountForTest() const;
  std::int64_t WriteOpCountForTest() const;

 private:
  PostgresStore() = default;

  Result<void> RunRead(const ReadFn& fn, bool snapshot) override;
  Result<void> RunWrite(const WriteFn& fn) override;
  void RunDecisionWriteAsync(DecisionWrite write, RecordDone done) override;
  Result<void> BeforeAuditRead(sql::Session& session) override;
  Result<void> ForgetCustomer(sql::Session& session, const std::string& customer_id) override;

  // Runs fn(WriteTxn&) -> Result<T> on the writer thread inside the next
  // batch; returns once that transaction committed (or failed).
  template <typename T, typename F>
  Result<T> Write(F&& fn);
  // Write without waiting: `done(Result<T>)` runs on the writer thread once
  // the batch committed or failed. `fn` is moved into the operation.
  template <typename T, typename F, typename Done>
  void WriteAsync(F fn, Done done);
  // Runs fn(postgres::Connection&) -> Result<T> on a pooled connection, in
  // one snapshot when `snapshot` (calls with several queries).
  template <typename T, typename F>
  Result<T> Read(F&& fn, bool snapshot = false);

  std::unique_ptr<postgres::LeaderLock> leader_;
  std::unique_ptr<postgres::Pool> readers_;
  std::unique_ptr<postgres::Writer> writer_;  // last: stops first
};

}  // namespace hitlgate::store
