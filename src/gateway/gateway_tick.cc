// Periodic work, about once a second: expired leases back to their queues,
// SLA breaches escalated, hold notices announced. Every change is made (and
// audited) by the store first, then announced.
#include <algorithm>

#include "hitlgate/codec/review_json.h"
#include "gateway/live_stats.h"
#include "hitlgate/gateway/gateway.h"

namespace hitlgate::gateway {

Result<Gateway::TickReport> Gateway::Tick() {
  TickReport report;
  const TimePoint now = clock_.Now();
  // Another node (or an operator's tool) may have changed the controls.
  HITLGATE_RETURN_IF_ERROR(supervision_->RefreshControls());
  // ... or activated another policy version: every node decides with the
  // active one within a second. A version this build cannot compile (a
  // newer node's, in a rolling upgrade) leaves the current one deciding,
  // and an unreachable store is retried next tick: neither stops the
  // leases and escalations below.
  (void)policies_->FollowActivePolicy();
  // Once-only work in a cluster (sign-off tasks, purges) runs on the node
  // that leads it; a database that cannot be asked means not leading now.
  const bool lead = store_.LeadPeriodicWork().value_or(false);
  // Earned autonomy follows the audit log; a failure is retried next tick
  // from the same record and must not stop leases and escalations.
  (void)autonomy_.Sync(lead);

  auto expired = store_.ExpireLeases(now);
  HITLGATE_RETURN_IF_ERROR(expired);
  for (const store::Task& t : *expired) {
    live_.Publish("task.lease_expired", t.workflow, codec::TaskJson(t, false));
    live_.TaskChanged(t.id);
  }
  report.leases_expired = static_cast<int>(expired->size());
  metrics_.LeasesExpired(report.leases_expired);
  // Queue depths for /metrics, counted here once a tick rather than per
  // scrape: an unauthenticated endpoint must not cost a query per request.
  (void)RefreshQueueMetrics();

  auto escalated = store_.EscalateOverdue(now, options_.escalation_queue);
  HITLGATE_RETURN_IF_ERROR(escalated);
  for (const store::Task& t : *escalated) {
    supervision_->RecordSlaBreach(t.workflow, t.interaction_id, now);
    live_.Publish("task.escalated", t.workflow, codec::TaskJson(t, false));
    live_.TaskChanged(t.id);
  }
  report.escalated = static_cast<int>(escalated->size());
  metrics_.SlaBreached(report.escalated);

  // Agents' deadlines that passed with nobody waiting on the task (a
  // waiting agent's long-poll settles its own at the deadline).
  auto deadlines = events_->SettleDeadlines(now, "");
  HITLGATE_RETURN_IF_ERROR(deadlines);
  report.deadlines_passed = *deadlines;

  // Hold notices: wake the agents' long-polls once, when the notice is due.
  auto notices = events_->AnnounceHoldNotices(now);
  HITLGATE_RETURN_IF_ERROR(notices);
  report.hold_notices = *notices;

  // Retention: at most once an hour, purge audit records past the retention
  // period. The store refuses a period under the legal minimum unless the
  // operator explicitly allowed it, and audits the purge itself.
  bool purge_due = false;
  {
    std::lock_guard lock(purge_mu_);
    if (lead && now - last_purge_ >= std::chrono::hours(1)) {
      last_purge_ = now;
      purge_due = true;
    }
  }
  if (purge_due) {
    store::PurgeOptions po;
    po.allow_short_retention = options_.allow_short_retention;
    auto purged = store_.PurgeAuditBefore(now - options_.audit_retention, now, po);
    HITLGATE_RETURN_IF_ERROR(purged);
    report.audit_purged = purged->purged_count;
    if (options_.text_retention > Duration::zero()) {
      // Retention of personal text, sparing what is under legal hold.
      store::TextPurge text;
      text.before = now - options_.text_retention;
      text.now = now;
      for (const store::Control& c : supervision_->Controls()) {
        if (c.kind != store::ControlKind::kLegalHold) continue;
        const size_t colon = c.target.find(':');
        if (colon == std::string::npos) continue;
        (c.target.starts_with("customer:") ? text.held_customers : text.held_interactions)
            .push_back(c.target.substr(colon + 1));
      }
      auto erased = store_.PurgePersonalText(text);
      HITLGATE_RETURN_IF_ERROR(erased);
      report.text_purged = erased->decisions + erased->tasks;
    }
  }
  auto checkpoints = receipts_.WriteCheckpoints(now);
  HITLGATE_RETURN_IF_ERROR(checkpoints);
  report.checkpoints_written = *checkpoints;
  return report;
}

}  // namespace hitlgate::gateway
