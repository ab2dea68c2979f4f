// SqlStore: webhooks and the delivery outbox.
#include <algorithm>

#include "storage/audit_entries.h"
#include "storage/sql/admin_rows.h"
#include "storage/sql/store_ops.h"
#include "storage/task_rules.h"

namespace hitlgate::store {
namespace {

using sql::Params;
using sql::Session;

// The due messages, oldest first. Where the engine locks rows they stay
// locked until the transaction ends, and rows another node's sender holds
// are skipped rather than waited for.
Result<std::vector<OutboxMessage>> TakeDue(Session& s, TimePoint now, int limit) {
  const sql::Dialect& d = s.dialect();
  auto rows = s.Query(std::string("SELECT ") + sql::kOutboxColumns +
                          " FROM outbox WHERE delivered_at_us IS NULL AND next_attempt_us <= $1 "
                          "ORDER BY next_attempt_us, id LIMIT $2" +
                          std::string(d.lock_rows) + std::string(d.skip_locked),
                      Params::Of(now, std::max(limit, 0)));
  HITLGATE_RETURN_IF_ERROR(rows);
  std::vector<OutboxMessage> out;
  out.reserve(static_cast<size_t>(rows->size()));
  for (int i = 0; i < rows->size(); ++i) out.push_back(sql::ReadOutbox(*rows, i));
  return out;
}

// Hides the taken messages until `until`: one statement per kHideChunk
// messages (both engines cap a statement's parameters; each list length
// is prepared once per connection, so the lengths stay few).
constexpr size_t kHideChunk = 128;

Result<void> Hide(Session& s, const std::vector<OutboxMessage>& messages, TimePoint until) {
  for (size_t start = 0; start < messages.size(); start += kHideChunk) {
    const size_t end = std::min(messages.size(), start + kHideChunk);
    std::string sql = "UPDATE outbox SET next_attempt_us = $1 WHERE id IN (";
    Params p = Params::Of(until);
    for (size_t i = start; i < end; ++i) {
      if (i > start) sql += ", ";
      p.Add(messages[i].id);
      sql += "$" + std::to_string(p.size());
    }
    HITLGATE_RETURN_IF_ERROR(s.Query(sql + ")", p));
  }
  return {};
}

}  // namespace

// ---- Webhooks ----

Result<void> SqlStore::UpsertWebhook(const Webhook& w, const std::string& actor) {
  if (auto v = internal::ValidateWebhook(w); !v) return v;
  return WriteSql<void>([&](sql::Txn& txn) -> Result<void> {
    HITLGATE_RETURN_IF_ERROR(txn.session().Query(
        "INSERT INTO webhooks(workflow, url, secret, updated_at_us) VALUES($1, $2, $3, $4) "
        "ON CONFLICT (workflow) DO UPDATE SET url = excluded.url, secret = excluded.secret, "
        "updated_at_us = excluded.updated_at_us",
        Params::Of(w.workflow, w.url, w.secret, w.updated_at)));
    return txn.Append({internal::WebhookUpsertedAudit(w, actor)}, w.updated_at);
  });
}

Result<std::vector<Webhook>> SqlStore::ListWebhooks() {
  return ReadSql<std::vector<Webhook>>(
      [&](Session& s) -> Result<std::vector<Webhook>> {
        auto rows =
            s.Query("SELECT workflow, url, secret, updated_at_us FROM webhooks ORDER BY workflow");
        HITLGATE_RETURN_IF_ERROR(rows);
        std::vector<Webhook> out;
        for (int i = 0; i < rows->size(); ++i) {
          out.push_back(
              Webhook{rows->Text(i, 0), rows->Text(i, 1), rows->Text(i, 2), rows->Time(i, 3)});
        }
        return out;
      },
      /*snapshot=*/false);
}

// ---- Outbox ----

Result<std::vector<std::int64_t>> SqlStore::EnqueueDeliveries(
    const std::vector<OutboxMessage>& messages, TimePoint now) {
  return WriteSql<std::vector<std::int64_t>>(
      [&](sql::Txn& txn) { return sql::InsertOutbox(txn.session(), messages, now); });
}

Result<std::vector<OutboxMessage>> SqlStore::NextDeliveries(TimePoint now, int limit,
                                                            Duration visibility) {
  return WriteSql<std::vector<OutboxMessage>>(
      [&](sql::Txn& txn) -> Result<std::vector<OutboxMessage>> {
        auto due = TakeDue(txn.session(), now, limit);
        HITLGATE_RETURN_IF_ERROR(due);
        // Hidden for `visibility`: another sender skips them while this one
        // works; a crashed sender's messages reappear afterwards. The caller
        // gets them as they were when taken.
        HITLGATE_RETURN_IF_ERROR(Hide(txn.session(), *due, now + visibility));
        return due;
      });
}

Result<void> SqlStore::MarkDelivered(std::int64_t id, TimePoint now) {
  return WriteSql<void>([&](sql::Txn& txn) -> Result<void> {
    auto m = sql::LoadOutbox(txn.session(), id);
    HITLGATE_RETURN_IF_ERROR(m);
    if (m->delivered_at) return {};
    HITLGATE_RETURN_IF_ERROR(
        txn.session().Query("UPDATE outbox SET delivered_at_us = $1, attempts = attempts + 1, "
                            "payload_json = '' WHERE id = $2",
                            Params::Of(now, id)));
    return txn.Append({internal::DeliveredAudit(*m)}, now);
  });
}

Result<void> SqlStore::MarkFailed(std::int64_t id, TimePoint now, TimePoint next_attempt_at,
                                  const std::string& error) {
  return WriteSql<void>([&](sql::Txn& txn) -> Result<void> {
    auto m = sql::LoadOutbox(txn.session(), id);
    HITLGATE_RETURN_IF_ERROR(m);
    if (m->delivered_at)
      return FailedPrecondition("outbox message " + std::to_string(id) + " was delivered");
    HITLGATE_RETURN_IF_ERROR(
        txn.session().Query("UPDATE outbox SET attempts = attempts + 1, last_error = $1, "
                            "next_attempt_us = $2 WHERE id = $3",
                            Params::Of(error, next_attempt_at, id)));
    return txn.Append({internal::DeliveryFailedAudit(*m, next_attempt_at, error)}, now);
  });
}

}  // namespace hitlgate::store
