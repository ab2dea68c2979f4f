// SqlStore: the review task queue (claims, leases, verdicts, cancellation,
// escalation, deadlines). The rules are the task state machine's
// (storage/task_rules.h); this file loads rows, applies the rules and saves
// the rows with their audit entries in one transaction. What differs between
// the engines is named in sql::Dialect: row locks, SKIP LOCKED, the claim
// filter and the per-reviewer lock (see the claim walk below).
#include <algorithm>

#include "storage/audit_entries.h"
#include "storage/sql/admin_rows.h"
#include "storage/sql/store_ops.h"
#include "storage/sql/task_rows.h"
#include "storage/task_rules.h"

namespace hitlgate::store {
namespace {

using sql::Params;
using sql::Session;
using sql::Txn;
using Entries = Result<std::vector<audit::AuditEntry>>;

// Live leases `reviewer` holds at `now`.
Result<std::int64_t> LiveLeases(Session& s, const std::string& reviewer, TimePoint now) {
  auto rows = s.Query(
      "SELECT COUNT(*) FROM tasks WHERE status = 'claimed' AND lease_owner = $1 AND lease_expires_us > $2",
      Params::Of(reviewer, now));
  HITLGATE_RETURN_IF_ERROR(rows);
  return rows->Int(0, 0);
}

// Serializes the lease count and the claim for one reviewer across writers
// (Dialect::lock_reviewer); a reviewer without a limit needs no count.
Result<void> CountLeasesAlone(Session& s, const ClaimRequest& r) {
  const std::string_view lock = s.dialect().lock_reviewer;
  if (lock.empty() || r.max_concurrent <= 0) return {};
  HITLGATE_RETURN_IF_ERROR(s.Query(std::string(lock), Params::Of(r.reviewer)));
  return {};
}

// ---- The claim walk ----
//
// A claim takes the first task in claim order (priority, due, created, id)
// that the reviewer qualifies for, open or with an expired lease. Each is
// walked in claim order through an index that yields rows in that order, and
// the walk stops at the first match: a claim costs the tasks ahead of it that
// the reviewer cannot take, not the backlog.
// - PostgreSQL (several nodes) filters in SQL (Dialect::claim_filter) and
//   passes over rows other nodes hold (SKIP LOCKED): the first row of the
//   first page is the task, and the only row locked, unless SQL's lower()
//   and Qualifies disagree (non-ASCII language tags).
// - SQLite (one writer) filters in C++ as it reads, page by page.
// Both apply Claimable and Qualifies to every row, so they agree on the
// answer; only the work differs. Pages grow (1, 16, 256, then 1024 rows),
// each one index seek past the last row seen.
//
// The parameters: $1..$4 the claim filter's, $5 the page size, $6 the walk's
// own (a queue, or now), then the last row seen.
struct Walk {
  std::string with;        // a WITH clause, or ""
  std::string from_where;  // without the claim filter
  std::optional<std::string> queue;
  std::optional<TimePoint> now;
};

Walk OpenTasks() { return {"", "FROM tasks t WHERE status = 'open'", std::nullopt, std::nullopt}; }

// One queue's open tasks (tasks_queue_claim; tasks_open_queue_claim on
// PostgreSQL): a reviewer's claim walks only the queues they work, whatever
// backlog the others have (escalations waiting for supervisors sort first).
Walk OpenTasksIn(const std::string& queue) {
  return {"", "FROM tasks t WHERE status = 'open' AND queue = $6", queue, std::nullopt};
}

// Expired leases, found through the lease index first: walking claimed tasks
// in claim order would visit every one of them, since none may match.
Walk ExpiredLeases(TimePoint now) {
  return {"WITH expired AS MATERIALIZED (SELECT id FROM tasks WHERE status = 'claimed' AND "
          "lease_expires_us <= $6) ",
          "FROM tasks t WHERE id IN (SELECT id FROM expired) AND status = 'claimed' AND "
          "lease_expires_us <= $6",
          std::nullopt, now};
}

std::string WalkSql(const Walk& w, const sql::Dialect& d, int first_cursor_param) {
  std::string sql = w.with + "SELECT " + sql::kTaskColumns + " " + w.from_where + std::string(d.claim_filter);
  if (first_cursor_param > 0) {
    const auto n = [&](int i) { return "$" + std::to_string(first_cursor_param + i); };
    sql += " AND (priority, due_at_us, created_at_us, id) > (" + n(0) + ", " + n(1) + ", " + n(2) +
           ", " + n(3) + ")";
  }
  return sql + " ORDER BY priority, due_at_us, created_at_us, id LIMIT $5" + std::string(d.lock_rows) +
         std::string(d.skip_locked);
}

Result<std::optional<Task>> FirstClaimable(Session& s, const Walk& w, const ClaimRequest& r) {
  std::optional<Task> last;
  for (int page = 1;; page = std::min(page * 16, 1024)) {
    Params p = Params::Of(internal::JoinList(r.skills), internal::JoinList(r.languages),
                          internal::JoinList(r.queues), internal::JoinList(r.workflows), page);
    if (w.queue) p.Add(*w.queue);
    if (w.now) p.Add(*w.now);
    const int cursor = last ? p.size() + 1 : 0;
    if (last) p.Add(last->priority).Add(last->due_at).Add(last->created_at).Add(last->id);
    auto rows = s.Query(WalkSql(w, s.dialect(), cursor), p);
    HITLGATE_RETURN_IF_ERROR(rows);
    for (int i = 0; i < rows->size(); ++i) {
      auto t = sql::ReadTask(*rows, i);
      HITLGATE_RETURN_IF_ERROR(t);
      if (internal::Claimable(*t, r.now) && Qualifies(*t, r)) return std::optional<Task>(std::move(*t));
      if (i + 1 == rows->size()) last = std::move(*t);
    }
    if (rows->size() < page) return std::optional<Task>();
  }
}

// The first of `a` and `b` in claim order.
std::optional<Task> Earlier(std::optional<Task> a, std::optional<Task> b) {
  if (!a) return b;
  if (!b) return a;
  return internal::ClaimOrderLess(*b, *a) ? std::move(b) : std::move(a);
}

// ---- Changes of one task, of several ----

// Claims `t` for `r`: lease, row, audit.
Result<Task> DoClaim(Txn& txn, Task t, const ClaimRequest& r) {
  std::vector<audit::AuditEntry> entries;
  internal::ApplyClaim(t, r, txn.ids().NewId("l"), &entries);
  HITLGATE_RETURN_IF_ERROR(sql::SaveTask(txn.session(), t));
  HITLGATE_RETURN_IF_ERROR(txn.Append(std::move(entries), r.now));
  return t;
}

// Loads and locks a task, applies `change` (which checks and returns the
// audit entries, or an error), saves it and appends the entries.
template <typename Change>
Result<Task> Mutate(Txn& txn, const std::string& task_id, TimePoint now, Change change) {
  auto t = sql::LoadTask(txn.session(), task_id, /*lock=*/true);
  HITLGATE_RETURN_IF_ERROR(t);
  Entries entries = change(*t);
  HITLGATE_RETURN_IF_ERROR(entries);
  HITLGATE_RETURN_IF_ERROR(sql::SaveTask(txn.session(), *t));
  HITLGATE_RETURN_IF_ERROR(txn.Append(std::move(*entries), now));
  return t;
}

// Every task of `SELECT ... FROM tasks t <rest>` (locked), each changed by
// `apply` (which returns its audit entry), saved and audited.
template <typename Apply>
Result<std::vector<Task>> MutateAll(Txn& txn, const std::string& rest, const Params& params,
                                    TimePoint now, Apply apply) {
  auto tasks = sql::SelectTasks(txn.session(), rest + std::string(txn.session().dialect().lock_rows), params);
  HITLGATE_RETURN_IF_ERROR(tasks);
  std::vector<audit::AuditEntry> entries;
  for (Task& t : *tasks) {
    entries.push_back(apply(t));
    HITLGATE_RETURN_IF_ERROR(sql::SaveTask(txn.session(), t));
  }
  if (!entries.empty()) HITLGATE_RETURN_IF_ERROR(txn.Append(std::move(entries), now));
  return tasks;
}

Result<std::map<std::string, std::int64_t>> CountsOf(Session& s, const char* sql) {
  auto rows = s.Query(sql);
  HITLGATE_RETURN_IF_ERROR(rows);
  std::map<std::string, std::int64_t> out;
  for (int i = 0; i < rows->size(); ++i) out[rows->Text(i, 0)] = rows->Int(i, 1);
  return out;
}

}  // namespace

Result<Task> SqlStore::ClaimNext(const ClaimRequest& r) {
  HITLGATE_RETURN_IF_ERROR(internal::ValidateClaimRequest(r));
  return WriteSql<Task>([&](Txn& txn) -> Result<Task> {
    Session& s = txn.session();
    HITLGATE_RETURN_IF_ERROR(CountLeasesAlone(s, r));
    auto live = LiveLeases(s, r.reviewer, r.now);
    HITLGATE_RETURN_IF_ERROR(live);
    HITLGATE_RETURN_IF_ERROR(internal::CheckConcurrency(r, *live));
    std::optional<Task> best;
    std::vector<Walk> walks;
    if (r.queues.empty()) walks.push_back(OpenTasks());
    for (const std::string& queue : r.queues) walks.push_back(OpenTasksIn(queue));
    walks.push_back(ExpiredLeases(r.now));
    for (const Walk& w : walks) {
      auto first = FirstClaimable(s, w, r);
      HITLGATE_RETURN_IF_ERROR(first);
      best = Earlier(std::move(best), std::move(*first));
    }
    if (!best) return NotFound("no task for reviewer " + r.reviewer);
    return DoClaim(txn, std::move(*best), r);
  });
}

Result<Task> SqlStore::Claim(const std::string& task_id, const ClaimRequest& r) {
  HITLGATE_RETURN_IF_ERROR(internal::ValidateClaimRequest(r));
  return WriteSql<Task>([&](Txn& txn) -> Result<Task> {
    auto t = sql::LoadTask(txn.session(), task_id, /*lock=*/true);
    HITLGATE_RETURN_IF_ERROR(t);
    HITLGATE_RETURN_IF_ERROR(CountLeasesAlone(txn.session(), r));
    auto live = LiveLeases(txn.session(), r.reviewer, r.now);
    HITLGATE_RETURN_IF_ERROR(live);
    auto held = internal::CheckClaimOne(*t, r, *live);
    HITLGATE_RETURN_IF_ERROR(held);
    if (*held) return t;
    return DoClaim(txn, std::move(*t), r);
  });
}

Result<Task> SqlStore::RenewLease(const std::string& task_id, const std::string& lease_id,
                                  const std::string& reviewer, TimePoint now, Duration ttl) {
  if (ttl <= Duration::zero()) return InvalidArgument("renew: ttl must be > 0");
  return WriteSql<Task>([&](Txn& txn) {
    return Mutate(txn, task_id, now, [&](Task& t) -> Entries {
      HITLGATE_RETURN_IF_ERROR(internal::CheckLeaseHolder(t, lease_id, reviewer, now));
      return std::vector{internal::ApplyRenew(t, now, ttl)};
    });
  });
}

Result<Task> SqlStore::Release(const std::string& task_id, const std::string& lease_id,
                               const std::string& reviewer, TimePoint now) {
  return WriteSql<Task>([&](Txn& txn) {
    return Mutate(txn, task_id, now, [&](Task& t) -> Entries {
      HITLGATE_RETURN_IF_ERROR(internal::CheckLeaseHolder(t, lease_id, reviewer, now));
      return std::vector{internal::ApplyRelease(t, now)};
    });
  });
}

Result<Task> SqlStore::SubmitVerdict(const std::string& task_id, const std::string& lease_id,
                                     const Verdict& verdict, TimePoint now, const VerdictOptions& options) {
  HITLGATE_RETURN_IF_ERROR(internal::ValidateEntries(options.audit));
  return WriteSql<Task>([&](Txn& txn) -> Result<Task> {
    auto t = Mutate(txn, task_id, now, [&](Task& task) -> Entries {
      HITLGATE_RETURN_IF_ERROR(internal::CheckVerdict(task, lease_id, verdict, now, options.override));
      std::vector entries{internal::ApplyVerdict(task, lease_id, verdict, now, options.override)};
      entries.insert(entries.end(), options.audit.begin(), options.audit.end());
      return entries;
    });
    HITLGATE_RETURN_IF_ERROR(t);
    HITLGATE_RETURN_IF_ERROR(sql::InsertOutbox(txn.session(), options.outbox, now));
    return t;
  });
}

Result<Task> SqlStore::CancelTask(const std::string& task_id, const std::string& actor,
                                  const std::string& reason, TimePoint now) {
  return WriteSql<Task>([&](Txn& txn) {
    return Mutate(txn, task_id, now, [&](Task& t) -> Entries {
      HITLGATE_RETURN_IF_ERROR(internal::CheckCancel(t));
      return std::vector{internal::ApplyCancel(t, actor, reason, now)};
    });
  });
}

Result<std::vector<Task>> SqlStore::ExpireLeases(TimePoint now) {
  return WriteSql<std::vector<Task>>([&](Txn& txn) {
    return MutateAll(txn, "WHERE status = 'claimed' AND lease_expires_us <= $1 ORDER BY lease_expires_us, id",
                     Params::Of(now), now, [&](Task& t) { return internal::ApplyExpire(t, now); });
  });
}

Result<std::vector<Task>> SqlStore::EscalateOverdue(TimePoint now, const std::string& escalation_queue) {
  if (escalation_queue.empty()) return InvalidArgument("escalation queue is empty");
  return WriteSql<std::vector<Task>>([&](Txn& txn) {
    return MutateAll(txn,
                     "WHERE escalated = false AND due_at_us < $1 AND status IN ('open', 'claimed') "
                     "ORDER BY due_at_us, id",
                     Params::Of(now), now,
                     [&](Task& t) { return internal::ApplyEscalate(t, escalation_queue, now); });
  });
}

Result<std::vector<Task>> SqlStore::ExpireDeadlines(TimePoint now, const std::string& task_id) {
  return WriteSql<std::vector<Task>>([&](Txn& txn) {
    return MutateAll(txn,
                     "WHERE deadline_at_us <= $1 AND expired_at_us IS NULL AND status IN ('open', 'claimed') "
                     "AND ($2 = '' OR id = $2) ORDER BY deadline_at_us, id",
                     Params::Of(now, task_id), now, [&](Task& t) { return internal::ApplyDeadline(t, now); });
  });
}

Result<Task> SqlStore::GetTask(const std::string& task_id) {
  return ReadSql<Task>([&](Session& s) { return sql::LoadTask(s, task_id); }, /*snapshot=*/false);
}

Result<std::vector<Task>> SqlStore::ListTasks(const TaskFilter& f) {
  // Only the filters given are in the SQL (up to 32 texts, each prepared once
  // per connection): a filter switched off by a NULL parameter would keep
  // the planner from using its index.
  std::string rest = "WHERE 1 = 1";
  Params p;
  const auto equals = [&](const char* column, const std::string& value) {
    p.Add(value);
    rest += std::string(" AND ") + column + " = $" + std::to_string(p.size());
  };
  if (f.queue) equals("queue", *f.queue);
  if (f.status) equals("status", std::string(TaskStatusName(*f.status)));
  if (f.workflow) equals("workflow", *f.workflow);
  if (f.interaction_id) equals("interaction_id", *f.interaction_id);
  const bool notices = f.hold_notice_after && f.hold_notice_until;
  if (notices) {
    p.Add(*f.hold_notice_after).Add(*f.hold_notice_until);
    rest += " AND hold_notice_at_us > $" + std::to_string(p.size() - 1) + " AND hold_notice_at_us <= $" +
            std::to_string(p.size());
  }
  rest += notices ? " ORDER BY hold_notice_at_us, id" : " ORDER BY created_at_us, id";
  if (f.limit >= 0) {
    p.Add(f.limit);
    rest += " LIMIT $" + std::to_string(p.size());
  }
  return ReadSql<std::vector<Task>>([&](Session& s) { return sql::SelectTasks(s, rest, p); },
                                    /*snapshot=*/false);
}

Result<std::map<std::pair<std::string, std::string>, std::int64_t>> SqlStore::CountOpenByWorkflowAndQueue() {
  using Counts = std::map<std::pair<std::string, std::string>, std::int64_t>;
  return ReadSql<Counts>(
      [&](Session& s) -> Result<Counts> {
        auto rows = s.Query("SELECT workflow, queue, COUNT(*) FROM tasks WHERE status = 'open' GROUP BY workflow, queue");
        HITLGATE_RETURN_IF_ERROR(rows);
        Counts out;
        for (int i = 0; i < rows->size(); ++i) out[{rows->Text(i, 0), rows->Text(i, 1)}] = rows->Int(i, 2);
        return out;
      },
      /*snapshot=*/false);
}

Result<std::map<std::string, std::int64_t>> SqlStore::CountOpenByWorkflow() {
  return ReadSql<std::map<std::string, std::int64_t>>(
      [&](Session& s) {
        return CountsOf(s, "SELECT workflow, COUNT(*) FROM tasks WHERE status = 'open' GROUP BY workflow");
      },
      /*snapshot=*/false);
}

}  // namespace hitlgate::store
