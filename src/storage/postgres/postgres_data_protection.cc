// PostgresStore: data protection (standalone tasks such as contests, customer
// erasure). The rules are shared with the other backends (erasure_rules.h).
#include "hitlgate/store/postgres_store.h"
#include "storage/audit_entries.h"
#include "storage/erasure_rules.h"
#include "storage/postgres/sql_session.h"
#include "storage/sql/task_rows.h"
#include "storage/postgres/store_ops.h"

namespace hitlgate::store {

using postgres::Connection;
using postgres::Params;
using postgres::WriteTxn;

Result<Task> PostgresStore::OpenTask(const StandaloneTask& request,
                                     const std::vector<audit::AuditEntry>& extra_audit,
                                     TimePoint now) {
  HITLGATE_RETURN_IF_ERROR(internal::ValidateStandaloneTask(request));
  HITLGATE_RETURN_IF_ERROR(internal::ValidateEntries(extra_audit));
  return Write<Task>([&](WriteTxn& txn) -> Result<Task> {
    Task t = internal::MakeStandaloneTask(request, txn.ids().NewId("t"));
    postgres::SqlSession session(txn.conn());
    HITLGATE_RETURN_IF_ERROR(sql::SaveTask(session, t, /*is_new=*/true));
    auto sealed = txn.Append(internal::StandaloneTaskAudit(request, t, extra_audit), now);
    HITLGATE_RETURN_IF_ERROR(sealed);
    return t;
  });
}

Result<ErasureResult> PostgresStore::EraseCustomer(const ErasureRequest& request) {
  HITLGATE_RETURN_IF_ERROR(internal::ValidateErasure(request));
  HITLGATE_RETURN_IF_ERROR(internal::ValidateEntries(request.audit));
  return Write<ErasureResult>([&](WriteTxn& txn) -> Result<ErasureResult> {
    Connection& conn = txn.conn();
    ErasureResult result;
    postgres::SqlSession session(conn);
    auto tasks = sql::SelectTasks(session, "WHERE customer_id = $1 ORDER BY created_at_us, id FOR UPDATE",
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
      auto gone = conn.Query("DELETE FROM outbox WHERE task_id = $1", Params::Of(t.id));
      HITLGATE_RETURN_IF_ERROR(gone);
      result.outbox += gone->affected();
    }
    auto up = conn.Query("UPDATE decisions SET customer_id = $1, event_json = $2, event_packed = NULL "
                         "WHERE customer_id = $3",
                         Params::Of(request.pseudonym, kErasedJson, request.customer_id));
    HITLGATE_RETURN_IF_ERROR(up);
    result.decisions = up->affected();
    // The shared conversation state keys its row by the customer id (ADR 0008).
    if (auto gone = conn.Query("DELETE FROM conversation_customers WHERE customer_id = $1",
                               Params::Of(request.customer_id));
        !gone) {
      return std::unexpected(gone.error());
    }
    if (result.decisions == 0 && result.tasks == 0) {
      return NotFound("nothing is stored for customer " + request.customer_id);
    }
    auto sealed = txn.Append(internal::ErasureAudit(request, result), request.now);
    HITLGATE_RETURN_IF_ERROR(sealed);
    return result;
  });
}

Result<TextPurgeResult> PostgresStore::PurgePersonalText(const TextPurge& request) {
  HITLGATE_RETURN_IF_ERROR(internal::ValidateTextPurge(request));
  return Write<TextPurgeResult>([&](WriteTxn& txn) -> Result<TextPurgeResult> {
    Connection& conn = txn.conn();
    TextPurgeResult result;
    auto rows = conn.Query(
        "SELECT seq, customer_id, interaction_id FROM decisions WHERE at_us < $1 AND event_json <> $2",
        Params::Of(request.before, kErasedJson));
    HITLGATE_RETURN_IF_ERROR(rows);
    for (int i = 0; i < rows->size(); ++i) {
      if (!internal::Purgeable(request, rows->Text(i, 1), rows->Text(i, 2))) continue;
      auto up = conn.Query("UPDATE decisions SET event_json = $1, event_packed = NULL WHERE seq = $2",
                           Params::Of(kErasedJson, rows->Int(i, 0)));
      HITLGATE_RETURN_IF_ERROR(up);
      ++result.decisions;
    }
    postgres::SqlSession session(conn);
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
