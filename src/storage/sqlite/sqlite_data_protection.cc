// SqliteStore: data protection (standalone tasks such as contests, customer
// erasure). The rules are shared with the other backends (erasure_rules.h).
#include "hitlgate/store/sqlite_store.h"
#include "storage/audit_entries.h"
#include "storage/erasure_rules.h"
#include "storage/sqlite/store_ops.h"

namespace hitlgate::store {

using sqlite::Connection;
using sqlite::WriteTxn;

Result<Task> SqliteStore::OpenTask(const StandaloneTask& request,
                                   const std::vector<audit::AuditEntry>& extra_audit, TimePoint now) {
  if (auto v = internal::ValidateStandaloneTask(request); !v) return std::unexpected(v.error());
  if (auto v = internal::ValidateEntries(extra_audit); !v) return std::unexpected(v.error());
  return Write<Task>([&](WriteTxn& txn) -> Result<Task> {
    Task t = internal::MakeStandaloneTask(request, txn.ids().NewId("t"));
    if (auto r = sqlite::SaveTask(txn.conn(), t, /*is_new=*/true); !r) return std::unexpected(r.error());
    auto sealed = txn.Append(internal::StandaloneTaskAudit(request, t, extra_audit), now);
    if (!sealed) return std::unexpected(sealed.error());
    return t;
  });
}

Result<ErasureResult> SqliteStore::EraseCustomer(const ErasureRequest& request) {
  if (auto v = internal::ValidateErasure(request); !v) return std::unexpected(v.error());
  if (auto v = internal::ValidateEntries(request.audit); !v) return std::unexpected(v.error());
  return Write<ErasureResult>([&](WriteTxn& txn) -> Result<ErasureResult> {
    Connection& conn = txn.conn();
    ErasureResult result;
    auto st = conn.Prepare(std::string("SELECT ") + sqlite::kTaskColumns +
                           " FROM tasks WHERE customer_id = ?1 ORDER BY created_at_us, id");
    if (!st) return std::unexpected(st.error());
    st->Bind(1, request.customer_id);
    auto tasks = sqlite::CollectTasks(*st);
    if (!tasks) return std::unexpected(tasks.error());
    for (const Task& t : *tasks) {
      if (auto c = internal::CheckErasable(t); !c) return std::unexpected(c.error());
    }
    for (Task& t : *tasks) {
      internal::EraseTask(t, request.pseudonym);
      if (auto r = sqlite::SaveTask(conn, t); !r) return std::unexpected(r.error());
    }
    result.tasks = static_cast<std::int64_t>(tasks->size());
    auto up = conn.Prepare("UPDATE decisions SET customer_id = ?1, event_json = ?2 WHERE customer_id = ?3");
    if (!up) return std::unexpected(up.error());
    if (auto r = up->BindAll(request.pseudonym, kErasedJson, request.customer_id).Run(); !r) {
      return std::unexpected(r.error());
    }
    result.decisions = conn.Changes();
    if (result.decisions == 0 && result.tasks == 0) {
      return NotFound("nothing is stored for customer " + request.customer_id);
    }
    auto sealed = txn.Append(internal::ErasureAudit(request, result), request.now);
    if (!sealed) return std::unexpected(sealed.error());
    return result;
  });
}

Result<TextPurgeResult> SqliteStore::PurgePersonalText(const TextPurge& request) {
  if (auto v = internal::ValidateTextPurge(request); !v) return std::unexpected(v.error());
  return Write<TextPurgeResult>([&](WriteTxn& txn) -> Result<TextPurgeResult> {
    Connection& conn = txn.conn();
    TextPurgeResult result;
    std::vector<std::int64_t> seqs;
    {
      auto st = conn.Prepare(
          "SELECT seq, customer_id, interaction_id FROM decisions WHERE at_us < ?1 AND event_json != ?2");
      if (!st) return std::unexpected(st.error());
      st->BindAll(request.before, kErasedJson);
      while (true) {
        auto row = st->Step();
        if (!row) return std::unexpected(row.error());
        if (!*row) break;
        if (internal::Purgeable(request, st->Text(1), st->Text(2))) seqs.push_back(st->Int(0));
      }
    }
    for (std::int64_t seq : seqs) {
      auto up = conn.Prepare("UPDATE decisions SET event_json = ?1 WHERE seq = ?2");
      if (!up) return std::unexpected(up.error());
      if (auto r = up->BindAll(kErasedJson, seq).Run(); !r) return std::unexpected(r.error());
    }
    result.decisions = static_cast<std::int64_t>(seqs.size());
    auto st = conn.Prepare(std::string("SELECT ") + sqlite::kTaskColumns +
                           " FROM tasks WHERE created_at_us < ?1 AND status IN ('answered', 'cancelled')");
    if (!st) return std::unexpected(st.error());
    st->Bind(1, request.before);
    auto tasks = sqlite::CollectTasks(*st);
    if (!tasks) return std::unexpected(tasks.error());
    for (Task& t : *tasks) {
      if (!internal::TaskTextExpired(request, t)) continue;
      internal::EraseTaskText(t);
      if (auto r = sqlite::SaveTask(conn, t); !r) return std::unexpected(r.error());
      ++result.tasks;
    }
    auto sealed = txn.Append({internal::TextPurgeAudit(request, result)}, request.now);
    if (!sealed) return std::unexpected(sealed.error());
    return result;
  });
}

}  // namespace hitlgate::store
