// SqliteStore: opening, decisions, interactions and the audit log.
#include "hitlgate/store/sqlite_store.h"

#include "storage/audit_entries.h"
#include "storage/packed_json.h"
#include "storage/sqlite/schema.h"
#include "storage/sqlite/sql_session.h"
#include "storage/sqlite/store_ops.h"
#include "storage/task_rules.h"

namespace hitlgate::store {

using sqlite::Connection;
using sqlite::Statement;
using sqlite::WriteTxn;


Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       const SqliteStoreOptions& options) {
  if (options.ids == nullptr) return InvalidArgument("SqliteStore needs an IdGenerator");
  auto writer = Connection::Open(path);
  HITLGATE_RETURN_IF_ERROR(writer);
  // WAL: readers never block the writer. synchronous=FULL: COMMIT returns
  // only after the WAL is fsynced, so an acknowledged decision is durable.
  // cache_size (64 MiB) and mmap_size: the writer's index pages stay in its
  // own cache and the rest is read through the page cache without a pread
  // per page (under load the writer spent a tenth of its time in syscalls
  // re-reading pages it had just evicted). temp_store = MEMORY: every op of
  // a group commit runs in its own SAVEPOINT, and SQLite keeps the original
  // of each page the op changes in a statement journal; in a temporary file
  // that was two pwrite calls per page (about 16 per event under load, more
  // than the WAL itself), and a copy of customer text in a file outside the
  // data folder.
  HITLGATE_RETURN_IF_ERROR((*writer)->Exec("PRAGMA busy_timeout = " + std::to_string(options.busy_timeout_ms) +
                                           "; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL"
                                           "; PRAGMA cache_size = -65536; PRAGMA mmap_size = 268435456"
                                           "; PRAGMA temp_store = MEMORY"
                                           // Deleted and overwritten content is zeroed, not left in
                                           // free space: erasure must leave no copy in the file.
                                           "; PRAGMA secure_delete = ON"));
  HITLGATE_RETURN_IF_ERROR(sqlite::Migrate(**writer));
  std::unique_ptr<SqliteStore> store(new SqliteStore());
  store->path_ = path;
  store->busy_timeout_ms_ = options.busy_timeout_ms;
  store->writer_ = std::move(*writer);
  store->txn_ = std::make_unique<WriteTxn>(store->writer_.get(), options.ids);
  store->readers_ = std::make_unique<sqlite::ReadPool>(path, options.busy_timeout_ms);
  store->committer_ = std::make_unique<sqlite::GroupCommitter>(store->txn_.get(), options.max_batch);
  return store;
}

SqliteStore::~SqliteStore() {
  committer_.reset();  // drains queued writes before the connection closes
}

Result<void> SqliteStore::RunRead(const ReadFn& fn, bool /*snapshot: every read is one*/) {
  return Read<void>([&](Connection& conn) {
    sqlite::SqlSession session(conn);
    return fn(session);
  });
}

Result<void> SqliteStore::RunWrite(const WriteFn& fn) {
  return Write<void>([&](WriteTxn& txn) {
    sqlite::SqlTxn shared(txn);
    return fn(shared);
  });
}

void SqliteStore::RunDecisionWriteAsync(DecisionWrite write, RecordDone done) {
  WriteAsync<RecordedDecision>(
      [write = std::move(write)](WriteTxn& txn) mutable {
        sqlite::SqlTxn shared(txn);
        return write(shared);
      },
      std::move(done));
}

Result<void> SqliteStore::TruncateWal() {
  auto conn = Connection::Open(path_);
  HITLGATE_RETURN_IF_ERROR(conn);
  HITLGATE_RETURN_IF_ERROR((*conn)->Exec("PRAGMA busy_timeout = " + std::to_string(busy_timeout_ms_)));
  // TRUNCATE waits for readers to finish and empties the WAL file, so the
  // frames holding the rows as they were before the erasure are gone. The
  // erasure is committed either way; a WAL still busy after the busy timeout
  // is emptied by a later checkpoint (the next erasure's at the latest).
  auto st = (*conn)->Prepare("PRAGMA wal_checkpoint(TRUNCATE)");
  HITLGATE_RETURN_IF_ERROR(st);
  auto row = st->Step();
  HITLGATE_RETURN_IF_ERROR(row);
  if (*row && st->Int(0) != 0) return Unavailable("write-ahead log busy: not truncated");
  return {};
}

std::int64_t SqliteStore::TransactionCountForTest() const { return committer_->transactions(); }
std::int64_t SqliteStore::WriteOpCountForTest() const { return committer_->ops(); }

// ---- Audit log ----

Result<AuditHead> SqliteStore::GetAuditHead() {
  return Read<AuditHead>([&](Connection& conn) -> Result<AuditHead> {
    auto st = conn.Prepare("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
    HITLGATE_RETURN_IF_ERROR(st);
    auto row = st->Step();
    HITLGATE_RETURN_IF_ERROR(row);
    return *row ? AuditHead{st->Int(0), sqlite::ReadHash(*st, 1)} : AuditHead{};
  });
}

}  // namespace hitlgate::store
