// SqlStore: data protection (standalone tasks such as contests, customer
// erasure, personal-text purges; docs/data-protection.md). The rules are
// shared with the memory store (storage/erasure_rules.h).
#include "storage/audit_entries.h"
#include "storage/erasure_rules.h"
#include "storage/sql/store_ops.h"
#include "storage/sql/task_rows.h"

namespace hitlgate::store {

using sql::Params;

Result<Task> SqlStore::OpenTask(const StandaloneTask& request, const std::vector<audit::AuditEntry>& extra_audit,
                                TimePoint now) {
  HITLGATE_RETURN_IF_ERROR(internal::ValidateStandaloneTask(request));
  HITLGATE_RETURN_IF_ERROR(internal::ValidateEntries(extra_audit));
  return WriteSql<Task>([&](sql::Txn& txn) -> Result<Task> {
    Task t = internal::MakeStandaloneTask(request, txn.ids().NewId("t"));
    HITLGATE_RETURN_IF_ERROR(sql::SaveTask(txn.session(), t, /*is_new=*/true));
    HITLGATE_RETURN_IF_ERROR(txn.Append(internal::StandaloneTaskAudit(request, t, extra_audit), now));
    return t;
  });
}

Result<ErasureResult> SqlStore::EraseCustomer(const ErasureRequest& request) {
  HITLGATE_RETURN_IF_ERROR(internal::ValidateErasure(request));
  HITLGATE_RETURN_IF_ERROR(internal::ValidateEntries(request.audit));
  auto erased = WriteSql<ErasureResult>([&](sql::Txn& txn) -> Result<ErasureResult> {
    sql::Session& s = txn.session();
    const sql::Dialect& d = s.dialect();
    ErasureResult result;
    auto tasks = sql::SelectTasks(s, "WHERE customer_id = $1 ORDER BY created_at_us, id" + std::string(d.lock_rows),
                                  Params::Of(request.customer_id));
    HITLGATE_RETURN_IF_ERROR(tasks);
    for (const Task& t : *tasks) HITLGATE_RETURN_IF_ERROR(internal::CheckErasable(t));
    for (Task& t : *tasks) {
      internal::EraseTask(t, request.pseudonym);
      HITLGATE_RETURN_IF_ERROR(sql::SaveTask(s, t));
    }
    result.tasks = static_cast<std::int64_t>(tasks->size());
    for (const Task& t : *tasks) {
      auto gone = s.Query("DELETE FROM outbox WHERE task_id = $1", Params::Of(t.id));
      HITLGATE_RETURN_IF_ERROR(gone);
      result.outbox += gone->affected();
    }
    auto up = s.Query("UPDATE decisions SET customer_id = $1, event_json = $2" + std::string(d.clear_packed_event) +
                          " WHERE customer_id = $3",
                      Params::Of(request.pseudonym, kErasedJson, request.customer_id));
    HITLGATE_RETURN_IF_ERROR(up);
    result.decisions = up->affected();
    HITLGATE_RETURN_IF_ERROR(ForgetCustomer(s, request.customer_id));
    if (result.decisions == 0 && result.tasks == 0) {
      return NotFound("nothing is stored for customer " + request.customer_id);
    }
    HITLGATE_RETURN_IF_ERROR(txn.Append(internal::ErasureAudit(request, result), request.now));
    return result;
  });
  if (erased) AfterErasure();
  return erased;
}

Result<TextPurgeResult> SqlStore::PurgePersonalText(const TextPurge& request) {
  HITLGATE_RETURN_IF_ERROR(internal::ValidateTextPurge(request));
  return WriteSql<TextPurgeResult>([&](sql::Txn& txn) -> Result<TextPurgeResult> {
    sql::Session& s = txn.session();
    TextPurgeResult result;
    auto rows = s.Query("SELECT seq, customer_id, interaction_id FROM decisions WHERE at_us < $1 AND event_json <> $2",
                        Params::Of(request.before, kErasedJson));
    HITLGATE_RETURN_IF_ERROR(rows);
    const std::string erase = "UPDATE decisions SET event_json = $1" + std::string(s.dialect().clear_packed_event) +
                              " WHERE seq = $2";
    for (int i = 0; i < rows->size(); ++i) {
      if (!internal::Purgeable(request, rows->Text(i, 1), rows->Text(i, 2))) continue;
      HITLGATE_RETURN_IF_ERROR(s.Query(erase, Params::Of(kErasedJson, rows->Int(i, 0))));
      ++result.decisions;
    }
    auto tasks = sql::SelectTasks(s, "WHERE created_at_us < $1 AND status IN ('answered', 'cancelled', 'expired')",
                                  Params::Of(request.before));
    HITLGATE_RETURN_IF_ERROR(tasks);
    for (Task& t : *tasks) {
      if (!internal::TaskTextExpired(request, t)) continue;
      internal::EraseTaskText(t);
      HITLGATE_RETURN_IF_ERROR(sql::SaveTask(s, t));
      ++result.tasks;
    }
    HITLGATE_RETURN_IF_ERROR(txn.Append({internal::TextPurgeAudit(request, result)}, request.now));
    return result;
  });
}

}  // namespace hitlgate::store
