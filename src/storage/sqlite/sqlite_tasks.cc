// SqliteStore: review tasks, leases, verdicts, escalation.
#include "hitlgate/store/sqlite_store.h"
#include "storage/audit_entries.h"
#include "storage/sql/admin_rows.h"
#include "storage/sqlite/sql_session.h"
#include "storage/sqlite/store_ops.h"
#include "storage/task_rules.h"

namespace hitlgate::store {

using sqlite::Connection;
using sqlite::WriteTxn;

namespace {

// The first task in claim order from `sql` (a SELECT of kTaskColumns taking
// `now` as ?1) that `r` qualifies for. Walks the tasks_claim index in order
// and stops at the first match, so it costs the number of tasks ahead of
// the match that the reviewer cannot take.
Result<std::optional<Task>> FirstQualifying(Connection& conn, const char* sql,
                                            const ClaimRequest& r, const std::string* queue = nullptr) {
  auto st = conn.Prepare(sql);
  HITLGATE_RETURN_IF_ERROR(st);
  st->Bind(1, r.now);
  if (queue != nullptr) st->Bind(2, *queue);
  while (true) {
    auto row = st->Step();
    HITLGATE_RETURN_IF_ERROR(row);
    if (!*row) return std::optional<Task>();
    auto t = sqlite::ReadTask(*st);
    HITLGATE_RETURN_IF_ERROR(t);
    if (Qualifies(*t, r)) return std::optional<Task>(std::move(*t));
  }
}

const std::string kOpenInClaimOrder =
    std::string("SELECT ") + sqlite::kTaskColumns +
    " FROM tasks WHERE status = 'open' AND ?1 IS NOT NULL"
    " ORDER BY priority, due_at_us, created_at_us, id";
// The same within one queue (tasks_queue_claim): a reviewer's claim walks
// only the queues they work, whatever backlog the others have.
const std::string kOpenInQueueClaimOrder =
    std::string("SELECT ") + sqlite::kTaskColumns +
    " FROM tasks WHERE status = 'open' AND queue = ?2 AND ?1 IS NOT NULL"
    " ORDER BY priority, due_at_us, created_at_us, id";
const std::string kExpiredInClaimOrder =
    std::string("SELECT ") + sqlite::kTaskColumns +
    " FROM tasks WHERE status = 'claimed' AND lease_expires_us <= ?1"
    " ORDER BY priority, due_at_us, created_at_us, id";

// Claims `t` for `r`: lease, row, audit.
Result<Task> DoClaim(WriteTxn& txn, Task t, const ClaimRequest& r) {
  std::vector<audit::AuditEntry> entries;
  internal::ApplyClaim(t, r, txn.ids().NewId("l"), &entries);
  HITLGATE_RETURN_IF_ERROR(sqlite::SaveTask(txn.conn(), t));
  HITLGATE_RETURN_IF_ERROR(txn.Append(std::move(entries), r.now));
  return t;
}

// Loads a task, applies `change` (which checks and returns the audit entry,
// or an error), saves it and appends the entry.
template <typename Change>
Result<Task> Mutate(WriteTxn& txn, const std::string& task_id, TimePoint now, Change change) {
  auto t = sqlite::LoadTask(txn.conn(), task_id);
  HITLGATE_RETURN_IF_ERROR(t);
  Result<std::vector<audit::AuditEntry>> entries = change(*t);
  HITLGATE_RETURN_IF_ERROR(entries);
  HITLGATE_RETURN_IF_ERROR(sqlite::SaveTask(txn.conn(), *t));
  HITLGATE_RETURN_IF_ERROR(txn.Append(std::move(*entries), now));
  return t;
}

using Entries = Result<std::vector<audit::AuditEntry>>;

}  // namespace

Result<Task> SqliteStore::ClaimNext(const ClaimRequest& r) {
  HITLGATE_RETURN_IF_ERROR(internal::ValidateClaimRequest(r));
  return Write<Task>([&](WriteTxn& txn) -> Result<Task> {
    auto live = sqlite::LiveLeases(txn.conn(), r.reviewer, r.now);
    HITLGATE_RETURN_IF_ERROR(live);
    HITLGATE_RETURN_IF_ERROR(internal::CheckConcurrency(r, *live));
    Result<std::optional<Task>> open = std::optional<Task>();
    if (r.queues.empty()) {
      open = FirstQualifying(txn.conn(), kOpenInClaimOrder.c_str(), r);
    } else {
      for (const std::string& queue : r.queues) {
        auto first = FirstQualifying(txn.conn(), kOpenInQueueClaimOrder.c_str(), r, &queue);
        HITLGATE_RETURN_IF_ERROR(first);
        if (*first && (!*open || internal::ClaimOrderLess(**first, **open))) open = std::move(first);
      }
    }
    HITLGATE_RETURN_IF_ERROR(open);
    auto expired = FirstQualifying(txn.conn(), kExpiredInClaimOrder.c_str(), r);
    HITLGATE_RETURN_IF_ERROR(expired);
    std::optional<Task>& best =
        (*open && (!*expired || internal::ClaimOrderLess(**open, **expired))) ? *open : *expired;
    if (!best) return NotFound("no task for reviewer " + r.reviewer);
    return DoClaim(txn, std::move(*best), r);
  });
}

Result<Task> SqliteStore::Claim(const std::string& task_id, const ClaimRequest& r) {
  HITLGATE_RETURN_IF_ERROR(internal::ValidateClaimRequest(r));
  return Write<Task>([&](WriteTxn& txn) -> Result<Task> {
    auto t = sqlite::LoadTask(txn.conn(), task_id);
    HITLGATE_RETURN_IF_ERROR(t);
    auto live = sqlite::LiveLeases(txn.conn(), r.reviewer, r.now);
    HITLGATE_RETURN_IF_ERROR(live);
    auto held = internal::CheckClaimOne(*t, r, *live);
    HITLGATE_RETURN_IF_ERROR(held);
    if (*held) return t;
    return DoClaim(txn, std::move(*t), r);
  });
}

Result<Task> SqliteStore::RenewLease(const std::string& task_id, const std::string& lease_id,
                                     const std::string& reviewer, TimePoint now, Duration ttl) {
  if (ttl <= Duration::zero()) return InvalidArgument("renew: ttl must be > 0");
  return Write<Task>([&](WriteTxn& txn) {
    return Mutate(txn, task_id, now, [&](Task& t) -> Entries {
      HITLGATE_RETURN_IF_ERROR(internal::CheckLeaseHolder(t, lease_id, reviewer, now));
      return std::vector{internal::ApplyRenew(t, now, ttl)};
    });
  });
}

Result<Task> SqliteStore::Release(const std::string& task_id, const std::string& lease_id,
                                  const std::string& reviewer, TimePoint now) {
  return Write<Task>([&](WriteTxn& txn) {
    return Mutate(txn, task_id, now, [&](Task& t) -> Entries {
      HITLGATE_RETURN_IF_ERROR(internal::CheckLeaseHolder(t, lease_id, reviewer, now));
      return std::vector{internal::ApplyRelease(t, now)};
    });
  });
}

Result<Task> SqliteStore::SubmitVerdict(const std::string& task_id, const std::string& lease_id,
                                        const Verdict& verdict, TimePoint now,
                                        const VerdictOptions& options) {
  HITLGATE_RETURN_IF_ERROR(internal::ValidateEntries(options.audit));
  return Write<Task>([&](WriteTxn& txn) -> Result<Task> {
    auto t = Mutate(txn, task_id, now, [&](Task& task) -> Entries {
      HITLGATE_RETURN_IF_ERROR(internal::CheckVerdict(task, lease_id, verdict, now, options.override));
      std::vector entries{internal::ApplyVerdict(task, lease_id, verdict, now, options.override)};
      entries.insert(entries.end(), options.audit.begin(), options.audit.end());
      return entries;
    });
    if (!t) return t;
    sqlite::SqlSession session(txn.conn());
    HITLGATE_RETURN_IF_ERROR(sql::InsertOutbox(session, options.outbox, now));
    return t;
  });
}

Result<Task> SqliteStore::CancelTask(const std::string& task_id, const std::string& actor,
                                     const std::string& reason, TimePoint now) {
  return Write<Task>([&](WriteTxn& txn) {
    return Mutate(txn, task_id, now, [&](Task& t) -> Entries {
      HITLGATE_RETURN_IF_ERROR(internal::CheckCancel(t));
      return std::vector{internal::ApplyCancel(t, actor, reason, now)};
    });
  });
}

Result<std::vector<Task>> SqliteStore::ExpireLeases(TimePoint now) {
  return Write<std::vector<Task>>([&](WriteTxn& txn) -> Result<std::vector<Task>> {
    std::vector<Task> tasks;
    {
      auto st = txn.conn().Prepare(std::string("SELECT ") + sqlite::kTaskColumns +
                                   " FROM tasks WHERE status = 'claimed' AND lease_expires_us <= ?1"
                                   " ORDER BY lease_expires_us, id");
      HITLGATE_RETURN_IF_ERROR(st);
      st->Bind(1, now);
      auto ts = sqlite::CollectTasks(*st);
      HITLGATE_RETURN_IF_ERROR(ts);
      tasks = std::move(*ts);
    }
    std::vector<audit::AuditEntry> entries;
    for (Task& t : tasks) {
      entries.push_back(internal::ApplyExpire(t, now));
      HITLGATE_RETURN_IF_ERROR(sqlite::SaveTask(txn.conn(), t));
    }
    HITLGATE_RETURN_IF_ERROR(txn.Append(std::move(entries), now));
    return tasks;
  });
}

Result<std::vector<Task>> SqliteStore::EscalateOverdue(TimePoint now,
                                                       const std::string& escalation_queue) {
  if (escalation_queue.empty()) return InvalidArgument("escalation queue is empty");
  return Write<std::vector<Task>>([&](WriteTxn& txn) -> Result<std::vector<Task>> {
    std::vector<Task> tasks;
    {
      auto st = txn.conn().Prepare(std::string("SELECT ") + sqlite::kTaskColumns +
                                   " FROM tasks WHERE escalated = 0 AND due_at_us < ?1"
                                   " AND status IN ('open', 'claimed') ORDER BY due_at_us, id");
      HITLGATE_RETURN_IF_ERROR(st);
      st->Bind(1, now);
      auto ts = sqlite::CollectTasks(*st);
      HITLGATE_RETURN_IF_ERROR(ts);
      tasks = std::move(*ts);
    }
    std::vector<audit::AuditEntry> entries;
    for (Task& t : tasks) {
      entries.push_back(internal::ApplyEscalate(t, escalation_queue, now));
      HITLGATE_RETURN_IF_ERROR(sqlite::SaveTask(txn.conn(), t));
    }
    HITLGATE_RETURN_IF_ERROR(txn.Append(std::move(entries), now));
    return tasks;
  });
}

Result<std::vector<Task>> SqliteStore::ExpireDeadlines(TimePoint now, const std::string& task_id) {
  return Write<std::vector<Task>>([&](WriteTxn& txn) -> Result<std::vector<Task>> {
    std::vector<Task> tasks;
    {
      auto st = txn.conn().Prepare(
          std::string("SELECT ") + sqlite::kTaskColumns +
          " FROM tasks WHERE deadline_at_us <= ?1 AND expired_at_us IS NULL"
          " AND status IN ('open', 'claimed') AND (?2 = '' OR id = ?2)"
          " ORDER BY deadline_at_us, id");
      HITLGATE_RETURN_IF_ERROR(st);
      st->Bind(1, now).Bind(2, task_id);
      auto ts = sqlite::CollectTasks(*st);
      HITLGATE_RETURN_IF_ERROR(ts);
      tasks = std::move(*ts);
    }
    std::vector<audit::AuditEntry> entries;
    for (Task& t : tasks) {
      entries.push_back(internal::ApplyDeadline(t, now));
      HITLGATE_RETURN_IF_ERROR(sqlite::SaveTask(txn.conn(), t));
    }
    if (!entries.empty()) HITLGATE_RETURN_IF_ERROR(txn.Append(std::move(entries), now));
    return tasks;
  });
}

Result<Task> SqliteStore::GetTask(const std::string& task_id) {
  return Read<Task>([&](Connection& conn) { return sqlite::LoadTask(conn, task_id); });
}

Result<std::vector<Task>> SqliteStore::ListTasks(const TaskFilter& f) {
  // Up to 16 distinct SQL texts, each prepared once per connection.
  std::string sql = std::string("SELECT ") + sqlite::kTaskColumns + " FROM tasks WHERE 1";
  if (f.queue) sql += " AND queue = ?1";
  if (f.status) sql += " AND status = ?2";
  if (f.workflow) sql += " AND workflow = ?3";
  if (f.interaction_id) sql += " AND interaction_id = ?4";
  const bool notices = f.hold_notice_after && f.hold_notice_until;
  if (notices) sql += " AND hold_notice_at_us > ?6 AND hold_notice_at_us <= ?7";
  sql += notices ? " ORDER BY hold_notice_at_us, id LIMIT ?5" : " ORDER BY created_at_us, id LIMIT ?5";
  return Read<std::vector<Task>>([&](Connection& conn) -> Result<std::vector<Task>> {
    auto st = conn.Prepare(sql);
    HITLGATE_RETURN_IF_ERROR(st);
    if (f.queue) st->Bind(1, *f.queue);
    if (f.status) st->Bind(2, TaskStatusName(*f.status));
    if (f.workflow) st->Bind(3, *f.workflow);
    if (f.interaction_id) st->Bind(4, *f.interaction_id);
    st->Bind(5, static_cast<std::int64_t>(f.limit < 0 ? -1 : f.limit));
    if (notices) {
      st->Bind(6, *f.hold_notice_after);
      st->Bind(7, *f.hold_notice_until);
    }
    return sqlite::CollectTasks(*st);
  });
}

namespace {

// Rows of (name, count), as the open-task counts' queries return them.
Result<std::map<std::string, std::int64_t>> CountsOf(Connection& conn, const char* sql) {
  auto st = conn.Prepare(sql);
  HITLGATE_RETURN_IF_ERROR(st);
  std::map<std::string, std::int64_t> out;
  while (true) {
    auto row = st->Step();
    HITLGATE_RETURN_IF_ERROR(row);
    if (!*row) return out;
    out[st->Text(0)] = st->Int(1);
  }
}

}  // namespace

Result<std::map<std::string, std::int64_t>> SqliteStore::CountOpenByQueue() {
  return Read<std::map<std::string, std::int64_t>>([&](Connection& conn) {
    return CountsOf(conn, "SELECT queue, COUNT(*) FROM tasks WHERE status = 'open' GROUP BY queue");
  });
}

Result<std::map<std::string, std::int64_t>> SqliteStore::CountOpenByWorkflow() {
  return Read<std::map<std::string, std::int64_t>>([&](Connection& conn) {
    return CountsOf(conn, "SELECT workflow, COUNT(*) FROM tasks WHERE status = 'open' GROUP BY workflow");
  });
}

}  // namespace hitlgate::store
