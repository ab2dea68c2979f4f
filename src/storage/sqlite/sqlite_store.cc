// SqliteStore: opening, decisions, interactions and the audit log.
#include "hitlgate/store/sqlite_store.h"

#include "storage/audit_entries.h"
#include "storage/packed_json.h"
#include "storage/sql/admin_rows.h"
#include "storage/sql/task_rows.h"
#include "storage/sqlite/schema.h"
#include "storage/sqlite/sql_session.h"
#include "storage/sqlite/store_ops.h"
#include "storage/task_rules.h"

namespace hitlgate::store {

using sqlite::Connection;
using sqlite::Statement;
using sqlite::WriteTxn;

namespace {

// What was recorded for (workflow, event_id), on either connection.
Result<std::optional<RecordedEvent>> FindRecorded(Connection& conn, const std::string& workflow,
                                                  const std::string& event_id) {
  auto st = conn.Prepare(
      "SELECT seq, COALESCE(task_id, ''), decision_json, event_digest, event_json FROM decisions "
      "WHERE workflow = ?1 AND event_id = ?2");
  HITLGATE_RETURN_IF_ERROR(st);
  st->BindAll(workflow, event_id);
  auto row = st->Step();
  HITLGATE_RETURN_IF_ERROR(row);
  if (!*row) return std::optional<RecordedEvent>();
  auto answer = ReadPackedJson(*st, 2);
  HITLGATE_RETURN_IF_ERROR(answer);
  auto event_json = ReadPackedJson(*st, 4);
  HITLGATE_RETURN_IF_ERROR(event_json);
  return std::optional<RecordedEvent>(RecordedEvent{st->Int(0), st->Text(1), std::move(*answer),
                                                    sqlite::ReadHash(*st, 3), std::move(*event_json)});
}

}  // namespace

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

// ---- Decisions ----

namespace {

using internal::PackedDecision;

// RecordDecision inside the writer's transaction (sync and async alike).
Result<RecordedDecision> RecordIn(WriteTxn& txn, const DecisionRecord& d, const std::optional<NewTask>& task,
                                  const PackedDecision& packed,
                                  const std::vector<audit::AuditEntry>& extra, TimePoint now,
                                  const std::vector<OutboxMessage>& outbox) {
  Connection& conn = txn.conn();
  sqlite::SqlSession session(conn);  // for the SQL both engines share
  if (!d.event_id.empty()) {
    auto first = FindRecorded(conn, d.workflow, d.event_id);
    HITLGATE_RETURN_IF_ERROR(first);
    if (*first) {
      RecordedDecision dup{(*first)->decision_seq, (*first)->task_id, true, std::nullopt, std::nullopt};
      dup.first = std::move(*first);
      return dup;
    }
  }
  {
    // The policy version (71 characters, the same for thousands of rows) is
    // kept once in policy_refs; the row holds its small id (migration 11).
    auto ref = conn.Prepare("INSERT OR IGNORE INTO policy_refs(version) VALUES(?1)");
    HITLGATE_RETURN_IF_ERROR(ref);
    HITLGATE_RETURN_IF_ERROR(ref->Bind(1, d.policy_version).Run());
    auto st = conn.Prepare(
        "INSERT INTO decisions(event_id, interaction_id, customer_id, workflow, channel, "
        "event_index, type, at_us, event_json, decision_json, outcome, policy_version, "
        "recorded_by, event_digest) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
        "(SELECT id FROM policy_refs WHERE version = ?12), ?13, ?14)");
    HITLGATE_RETURN_IF_ERROR(st);
    st->BindAll(d.event_id, d.interaction_id, d.customer_id, d.workflow, d.channel,
                d.event_index, engine::EventTypeName(d.type), d.at, "", "",
                engine::OutcomeName(d.outcome), d.policy_version, d.recorded_by, "");
    st->BindBlob(9, packed.event_json).BindBlob(10, packed.decision_json);
    sqlite::BindHash(*st, 14, d.event_digest);
    if (d.event_id.empty()) st->BindNull(1);  // NULLs never collide in the unique index
    HITLGATE_RETURN_IF_ERROR(st->Run());
  }
  RecordedDecision out{conn.LastInsertRowid(), "", false, std::nullopt, std::nullopt};
  if (task) {
    out.task = internal::MakeTask(*task, d, txn.ids().NewId("t"), out.decision_seq);
    HITLGATE_RETURN_IF_ERROR(sql::SaveTask(session, *out.task, /*is_new=*/true, packed.context_json));
    auto st = conn.Prepare("UPDATE decisions SET task_id = ?1 WHERE seq = ?2");
    HITLGATE_RETURN_IF_ERROR(st);
    HITLGATE_RETURN_IF_ERROR(st->BindAll(out.task->id, out.decision_seq).Run());
    out.task_id = out.task->id;
  }
  auto sealed = txn.Append(
      internal::DecisionAudit(d, out.decision_seq, out.task ? &*out.task : nullptr, extra), now);
  HITLGATE_RETURN_IF_ERROR(sealed);
  HITLGATE_RETURN_IF_ERROR(sql::InsertOutbox(session, outbox, now));
  return out;
}

}  // namespace

Result<RecordedDecision> SqliteStore::RecordDecision(const DecisionRecord& d,
                                                     const std::optional<NewTask>& task,
                                                     const std::vector<audit::AuditEntry>& extra,
                                                     TimePoint now,
                                                     const std::vector<OutboxMessage>& outbox) {
  HITLGATE_RETURN_IF_ERROR(internal::ValidateDecision(d, task));
  HITLGATE_RETURN_IF_ERROR(internal::ValidateEntries(extra));
  const PackedDecision packed = internal::PackDecision(d, task);
  return Write<RecordedDecision>(
      [&](WriteTxn& txn) { return RecordIn(txn, d, task, packed, extra, now, outbox); });
}

void SqliteStore::RecordDecisionAsync(DecisionRecord decision, std::optional<NewTask> task, TimePoint now,
                                  RecordDone done) {
  if (auto v = internal::ValidateDecision(decision, task); !v) return done(std::unexpected(v.error()));
  PackedDecision packed = internal::PackDecision(decision, task);
  WriteAsync<RecordedDecision>(
      [d = std::move(decision), t = std::move(task), p = std::move(packed), now](WriteTxn& txn) {
        return RecordIn(txn, d, t, p, {}, now, {});
      },
      std::move(done));
}

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
