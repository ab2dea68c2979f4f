#include "storage/sql/admin_rows.h"

#include <algorithm>

#include "storage/task_rules.h"

namespace hitlgate::store::sql {

const char kKeyColumns[] =
    "key_id, secret_hash, name, role, skills, languages, workflows, max_concurrent, "
    "created_at_us, created_by, revoked_at_us, approval_limits";

Result<ApiKey> ReadKey(const Rows& r, int i) {
  ApiKey k;
  k.key_id = r.Text(i, 0);
  k.secret_hash = r.Text(i, 1);
  k.name = r.Text(i, 2);
  auto role = ParseRole(r.Text(i, 3));
  if (!role) return DataLoss("api_keys row holds an unknown role");
  k.role = *role;
  k.skills = internal::SplitList(r.Text(i, 4));
  k.languages = internal::SplitList(r.Text(i, 5));
  k.workflows = internal::SplitList(r.Text(i, 6));
  k.max_concurrent = static_cast<int>(r.Int(i, 7));
  k.created_at = r.Time(i, 8);
  k.created_by = r.Text(i, 9);
  k.revoked_at = r.OptTime(i, 10);
  auto limits = ParseApprovalLimits(internal::SplitList(r.Text(i, 11)));
  if (!limits) return DataLoss("api_keys row holds an unknown approval_limits");
  k.approval_limits = std::move(*limits);
  return k;
}

const char kOutboxColumns[] =
    "id, workflow, url, event_type, payload_json, created_at_us, next_attempt_us, attempts, "
    "last_error, delivered_at_us, task_id";

OutboxMessage ReadOutbox(const Rows& r, int i) {
  OutboxMessage m;
  m.id = r.Int(i, 0);
  m.workflow = r.Text(i, 1);
  m.url = r.Text(i, 2);
  m.event_type = r.Text(i, 3);
  m.payload_json = r.Text(i, 4);
  m.created_at = r.Time(i, 5);
  m.next_attempt_at = r.Time(i, 6);
  m.attempts = static_cast<int>(r.Int(i, 7));
  m.last_error = r.Text(i, 8);
  m.delivered_at = r.OptTime(i, 9);
  m.task_id = r.Text(i, 10);
  return m;
}

Result<OutboxMessage> LoadOutbox(Session& session, std::int64_t id) {
  auto rows = session.Query(std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE id = $1" +
                                std::string(session.dialect().lock_rows),
                            Params::Of(id));
  HITLGATE_RETURN_IF_ERROR(rows);
  if (rows->empty()) return NotFound("no outbox message " + std::to_string(id));
  return ReadOutbox(*rows, 0);
}

Result<std::vector<std::int64_t>> InsertOutbox(Session& session,
                                               const std::vector<OutboxMessage>& messages,
                                               TimePoint now) {
  std::vector<std::int64_t> ids;
  ids.reserve(messages.size());
  for (const auto& m : messages) {
    auto rows = session.Query(
        "INSERT INTO outbox(workflow, url, event_type, payload_json, created_at_us, "
        "next_attempt_us, attempts, last_error, task_id) VALUES($1, $2, $3, $4, $5, $6, 0, '', $7) "
        "RETURNING id",
        Params::Of(m.workflow, m.url, m.event_type, m.payload_json, now,
                   std::max(now, m.next_attempt_at), m.task_id));
    HITLGATE_RETURN_IF_ERROR(rows);
    if (rows->empty()) return Internal("outbox insert returned no id");
    ids.push_back(rows->Int(0, 0));
  }
  return ids;
}

Result<void> LockTable(Session& session, std::string_view table) {
  const std::string_view lock = session.dialect().lock_table;
  if (lock.empty()) return {};
  return session.Exec(std::string(lock) + std::string(table) + " IN EXCLUSIVE MODE");
}

}  // namespace hitlgate::store::sql
