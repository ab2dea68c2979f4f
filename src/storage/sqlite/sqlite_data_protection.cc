// SqliteStore: data protection (standalone tasks such as contests, customer
// erasure). The rules are shared with the other backends (erasure_rules.h).
#include "hitlgate/store/sqlite_store.h"
#include "storage/audit_entries.h"
#include "storage/erasure_rules.h"
#include "storage/sql/task_rows.h"
#include "storage/sqlite/sql_session.h"
#include "storage/sqlite/store_ops.h"

namespace hitlgate::store {

using sqlite::Connection;
using sqlite::WriteTxn;

Result<Task> SqliteStore::OpenTask(const StandaloneTask& request,
                                   const std::vector<audit::AuditEntry>& extra_audit, TimePoint now) {
  HITLGATE_RETURN_IF_ERROR(internal::ValidateStandaloneTask(request));
  HITLGATE_RETURN_IF_ERROR(internal::ValidateEntries(extra_audit));
  return Write<Task>([&](WriteTxn& txn) -> Result<Task> {
    Task t = internal::MakeStandaloneTask(request, txn.ids().NewId("t"));
    sqlite::SqlSession session(txn.conn());
    HITLGATE_RETURN_IF_ERROR(sql::SaveTask(session, t, /*is_new=*/true));
    auto sealed = txn.Append(internal::StandaloneTaskAudit(request, t, extra_audit), now);
    HITLGATE_RETURN_IF_ERROR(sealed);
    return t;
  });
}

Result<ErasureResult> SqliteStore::EraseCustomer(const ErasureRequest& request) {
  HITLGATE_RETURN_IF_ERROR(internal::ValidateErasure(request));
  HITLGATE_RETURN_IF_ERROR(internal::ValidateEntries(request.audit));
  auto erased = Write<ErasureResult>([&](WriteTxn& txn) -> Result<ErasureResult> {
    Connection& conn = txn.conn();
    ErasureResult result;
    sqlite::SqlSession session(conn);
    auto tasks = sql::SelectTasks(session, "WHERE customer_id = $1 ORDER BY created_at_us, id",
                                  sql::Params::Of(request.customer_id));
    HITLGATE_RETURN_IF_ERROR(tasks);
    for (const Task& t : *tasks) {
      HITLGATE_RETURN_IF_ERROR(internal::CheckErasable(t));
    }
    for (Task& t : *tasks) {
      internal::EraseTask(t, request.pseudonym);
      HITLGATE_RETURN_IF_ERROR(sql::SaveTask(session, t));
    }
    result.tasks = static_cast<std::int64_t>(tasks->size());
    for (const Task& t : *tasks) {
      auto del = conn.Prepare("DELETE FROM outbox WHERE task_id = ?1");
      HITLGATE_RETURN_IF_ERROR(del);
      HITLGATE_RETURN_IF_ERROR(del->BindAll(t.id).Run());
      result.outbox += conn.Changes();
    }
    auto up = conn.Prepare("UPDATE decisions SET customer_id = ?1, event_json = ?2 WHERE customer_id = ?3");
    HITLGATE_RETURN_IF_ERROR(up);
    HITLGATE_RETURN_IF_ERROR(up->BindAll(request.pseudonym, kErasedJson, request.customer_id).Run());
    result.decisions = conn.Changes();
    if (result.decisions == 0 && result.tasks == 0) {
      return NotFound("nothing is stored for customer " + request.customer_id);
    }
    auto sealed = txn.Append(internal::ErasureAudit(request, result), request.now);
    HITLGATE_RETURN_IF_ERROR(sealed);
    return result;
  });
  HITLGATE_RETURN_IF_ERROR(erased);
  // The erasure is committed either way; a WAL still busy after the busy
  // timeout is emptied by a later checkpoint (the next erasure's at the latest).
  (void)TruncateWal();
  return erased;
}

Result<void> SqliteStore::TruncateWal() {
  auto conn = Connection::Open(path_);
  HITLGATE_RETURN_IF_ERROR(conn);
  HITLGATE_RETURN_IF_ERROR((*conn)->Exec("PRAGMA busy_timeout = " + std::to_string(busy_timeout_ms_)));
  // TRUNCATE waits for readers to finish and empties the WAL file, so the
  // frames holding the rows as they were before the erasure are gone.
  auto st = (*conn)->Prepare("PRAGMA wal_checkpoint(TRUNCATE)");
  HITLGATE_RETURN_IF_ERROR(st);
  auto row = st->Step();
  HITLGATE_RETURN_IF_ERROR(row);
  if (*row && st->Int(0) != 0) return Unavailable("write-ahead log busy: not truncated");
  return {};
}


Result<TextPurgeResult> SqliteStore::PurgePersonalText(const TextPurge& request) {
  HITLGATE_RETURN_IF_ERROR(internal::ValidateTextPurge(request));
  return Write<TextPurgeResult>([&](WriteTxn& txn) -> Result<TextPurgeResult> {
    Connection& conn = txn.conn();
    TextPurgeResult result;
    std::vector<std::int64_t> seqs;
    {
      auto st = conn.Prepare(
          "SELECT seq, customer_id, interaction_id FROM decisions WHERE at_us < ?1 AND event_json != ?2");
      HITLGATE_RETURN_IF_ERROR(st);
      st->BindAll(request.before, kErasedJson);
      while (true) {
        auto row = st->Step();
        HITLGATE_RETURN_IF_ERROR(row);
        if (!*row) break;
        if (internal::Purgeable(request, st->Text(1), st->Text(2))) seqs.push_back(st->Int(0));
      }
    }
    for (std::int64_t seq : seqs) {
      auto up = conn.Prepare("UPDATE decisions SET event_json = ?1 WHERE seq = ?2");
      HITLGATE_RETURN_IF_ERROR(up);
      HITLGATE_RETURN_IF_ERROR(up->BindAll(kErasedJson, seq).Run());
    }
    result.decisions = static_cast<std::int64_t>(seqs.size());
    sqlite::SqlSession session(conn);
    auto tasks = sql::SelectTasks(
        session, "WHERE created_at_us < $1 AND status IN ('answered', 'cancelled', 'expired')",
        sql::Params::Of(request.before));
    HITLGATE_RETURN_IF_ERROR(tasks);
    for (Task& t : *tasks) {
      if (!internal::TaskTextExpired(request, t)) continue;
      internal::EraseTaskText(t);
      HITLGATE_RETURN_IF_ERROR(sql::SaveTask(session, t));
      ++result.tasks;
    }
    auto sealed = txn.Append({internal::TextPurgeAudit(request, result)}, request.now);
    HITLGATE_RETURN_IF_ERROR(sealed);
    return result;
  });
}

}  // namespace hitlgate::store
