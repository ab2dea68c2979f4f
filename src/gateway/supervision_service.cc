// SupervisionService: supervisors' controls (set and cleared in the store,
// mirrored here for the event path, which reads them on every proposal) and
// the live board.
#include "hitlgate/gateway/supervision_service.h"

#include <algorithm>
#include <set>

#include "gateway/access.h"
#include "gateway/live_stats.h"
#include "hitlgate/codec/supervision_json.h"
#include "hitlgate/gateway/gateway.h"

namespace hitlgate::gateway {

std::string ControlTarget(std::string_view workflow, std::string_view interaction_id) {
  std::string target;
  target.reserve(workflow.size() + 1 + interaction_id.size());
  target.append(workflow).push_back('/');
  target.append(interaction_id);
  return target;
}

SupervisionService::SupervisionService(store::Store& store, const engine::DecisionEngine& engine,
                                       const Clock& clock, LiveEvents& live,
                                       std::string escalation_queue)
    : store_(store),
      engine_(engine),
      clock_(clock),
      live_(live),
      escalation_queue_(std::move(escalation_queue)),
      stats_(std::make_unique<LiveStats>()) {}

SupervisionService::~SupervisionService() = default;

Result<void> SupervisionService::RefreshControls() {
  auto controls = store_.ListControls();
  HITLGATE_RETURN_IF_ERROR(controls);
  std::lock_guard lock(controls_mu_);
  controls_ = std::move(*controls);
  return {};
}

std::vector<store::Control> SupervisionService::Controls() const {
  std::lock_guard lock(controls_mu_);
  return controls_;
}

std::optional<store::Control> SupervisionService::ApplyControls(const engine::Event& event,
                                                                engine::Decision* d) {
  if (event.type != engine::EventType::kAiProposal) return std::nullopt;
  std::vector<store::Control> hits;
  {
    std::lock_guard lock(controls_mu_);
    for (const store::Control& c : controls_) {
      // Interactions are scoped by workflow: another workflow's agent
      // cannot use up or dodge this interaction's controls.
      // (A control set before interactions were scoped names the bare id:
      // it still applies, on the safe side.)
      const bool applies = c.kind == store::ControlKind::kWorkflowPaused
                               ? c.target == event.workflow
                               : c.target == ControlTarget(event.workflow, event.interaction_id) ||
                                     c.target == event.interaction_id;
      if (applies) hits.push_back(c);
    }
  }
  std::optional<store::Control> consumed;
  for (const store::Control& c : hits) {
    engine::Reason r;
    r.rule = "supervisor:" + c.actor;
    switch (c.kind) {
      case store::ControlKind::kWorkflowPaused:
        r.trigger = "workflow_paused";
        r.detail =
            "workflow " + event.workflow + " is paused" + (c.reason.empty() ? "" : ": " + c.reason);
        r.outcome = engine::Outcome::kHold;
        break;
      case store::ControlKind::kHoldNext:
        r.trigger = "hold_next";
        r.detail =
            "a supervisor asked to review this turn" + (c.reason.empty() ? "" : ": " + c.reason);
        r.outcome = engine::Outcome::kHold;
        consumed = c;
        break;
      case store::ControlKind::kLegalHold:  // never among hits: its target is not an id
        continue;
      case store::ControlKind::kTakenOver:
        r.trigger = "taken_over";
        r.detail = "a person has taken this conversation over";
        r.outcome = engine::Outcome::kBlock;
        break;
    }
    d->reasons.push_back(r);
    if (r.outcome > d->outcome) {
      d->outcome = r.outcome;
      if (r.outcome == engine::Outcome::kHold) {
        // Held by a supervisor: it goes to the supervisors' queue unless a
        // rule already routed it somewhere.
        if (!d->route) {
          engine::Route route;
          route.queue = escalation_queue_;
          route.priority = 1;
          route.sla_seconds = 300;
          const auto policy = engine_.policy();
          for (const auto& q : policy->queues()) {
            if (q.name == route.queue) {
              route.skills = q.skills;
              route.priority = q.priority;
              route.sla_seconds = q.sla_seconds;
            }
          }
          route.hold_notice_seconds = policy->hold_notice_seconds();
          d->route = route;
        }
      } else {
        d->route.reset();  // blocked: no task
      }
    }
  }
  d->oversight = engine::OversightForOutcome(d->outcome);
  return consumed;
}

void SupervisionService::RecordDecision(const engine::Event& event,
                                        const engine::Decision& decision, TimePoint now) {
  stats_->Record(event, decision, now);
}

void SupervisionService::RecordSlaBreach(const std::string& workflow,
                                         const std::string& interaction_id, TimePoint now) {
  stats_->SlaBreach(workflow, interaction_id, now);
}

Result<ControlChange> SupervisionService::SetControl(const Principal& who, store::ControlKind kind,
                                                     const std::string& target,
                                                     const std::string& reason) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kSuperviseTasks));
  if (target.empty()) return InvalidArgument("no target");
  ControlChange change{store::Control{kind, target, who.key_id, reason, clock_.Now()},
                       /*cleared=*/false};
  HITLGATE_RETURN_IF_ERROR(store_.SetControl(change.control));
  HITLGATE_RETURN_IF_ERROR(RefreshControls());
  live_.Publish("control.set", ControlWorkflow(change.control), codec::ControlChangeJson(change));
  return change;
}

Result<ControlChange> SupervisionService::ClearControl(const Principal& who,
                                                       store::ControlKind kind,
                                                       const std::string& target) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kSuperviseTasks));
  HITLGATE_RETURN_IF_ERROR(store_.ClearControl(kind, target, who.key_id, clock_.Now()));
  HITLGATE_RETURN_IF_ERROR(RefreshControls());
  ControlChange change{store::Control{kind, target, who.key_id, "", {}}, /*cleared=*/true};
  live_.Publish("control.cleared", ControlWorkflow(change.control),
                codec::ControlChangeJson(change));
  return change;
}

// Controls are set only on workflows the active policy declares: each one
// set adds a row to the live board and labels to the metrics, which must
// stay bounded by the policy, not by what a caller names. Clearing is
// allowed for any, so a control set under an earlier policy can be lifted.
Result<void> SupervisionService::RequireDeclared(const std::string& workflow) const {
  const auto policy = engine_.policy();
  if (policy->AcceptsWorkflow(workflow)) return {};
  return InvalidArgument("workflow '" + workflow + "' is not a workflow of the active policy (" +
                         policy->name() + "); declare it under workflows:");
}

Result<ControlChange> SupervisionService::PauseWorkflow(const Principal& who,
                                                        const std::string& workflow,
                                                        const std::string& reason) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kSuperviseTasks));
  HITLGATE_RETURN_IF_ERROR(RequireWorkflow(who, workflow));
  HITLGATE_RETURN_IF_ERROR(RequireDeclared(workflow));
  return SetControl(who, store::ControlKind::kWorkflowPaused, workflow, reason);
}

Result<ControlChange> SupervisionService::ResumeWorkflow(const Principal& who,
                                                         const std::string& workflow) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kSuperviseTasks));
  HITLGATE_RETURN_IF_ERROR(RequireWorkflow(who, workflow));
  return ClearControl(who, store::ControlKind::kWorkflowPaused, workflow);
}

Result<std::string> SupervisionService::InteractionTarget(const Principal& who,
                                                          const std::string& interaction_id,
                                                          const std::string& workflow,
                                                          bool to_set) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kSuperviseTasks));
  if (!workflow.empty()) {
    HITLGATE_RETURN_IF_ERROR(RequireWorkflow(who, workflow));
    if (to_set) HITLGATE_RETURN_IF_ERROR(RequireDeclared(workflow));
    return ControlTarget(workflow, interaction_id);
  }
  // Named: no read, so a supervisor may act before the first event.
  auto history = store_.GetInteraction(interaction_id);
  HITLGATE_RETURN_IF_ERROR(history);
  auto resolved = ResolveWorkflow(*history, who, "", "?workflow=");
  HITLGATE_RETURN_IF_ERROR(resolved);
  // Recorded under an earlier policy, it may no longer be declared.
  if (to_set) HITLGATE_RETURN_IF_ERROR(RequireDeclared(*resolved));
  return ControlTarget(*resolved, interaction_id);
}

Result<ControlChange> SupervisionService::HoldNextTurn(const Principal& who,
                                                       const std::string& interaction_id,
                                                       const std::string& reason,
                                                       const std::string& workflow) {
  auto target = InteractionTarget(who, interaction_id, workflow, /*to_set=*/true);
  HITLGATE_RETURN_IF_ERROR(target);
  return SetControl(who, store::ControlKind::kHoldNext, *target, reason);
}

Result<ControlChange> SupervisionService::TakeOver(const Principal& who,
                                                   const std::string& interaction_id,
                                                   const std::string& reason,
                                                   const std::string& workflow) {
  auto target = InteractionTarget(who, interaction_id, workflow, /*to_set=*/true);
  HITLGATE_RETURN_IF_ERROR(target);
  return SetControl(who, store::ControlKind::kTakenOver, *target, reason);
}

Result<ControlChange> SupervisionService::HandBack(const Principal& who,
                                                   const std::string& interaction_id,
                                                   const std::string& workflow) {
  auto target = InteractionTarget(who, interaction_id, workflow, /*to_set=*/false);
  HITLGATE_RETURN_IF_ERROR(target);
  return ClearControl(who, store::ControlKind::kTakenOver, *target);
}

Result<WorkflowBoard> SupervisionService::Workflows(const Principal& who) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kReadQueues));
  const TimePoint now = clock_.Now();
  WorkflowBoard board;
  board.controls = Controls();
  // A key scoped to some workflows sees their rows and controls only.
  std::erase_if(board.controls, [&](const store::Control& c) { return !who.CoversWorkflow(ControlWorkflow(c)); });
  std::set<std::string> names;
  for (const WorkflowStats& s : stats_->Window(now, std::chrono::hours(24))) {
    if (who.CoversWorkflow(s.workflow)) names.insert(s.workflow);
  }
  for (const auto& c : board.controls) {
    if (c.kind == store::ControlKind::kWorkflowPaused) names.insert(c.target);
  }
  for (const std::string& name : names) {
    WorkflowStatus status;
    status.name = name;
    auto it =
        std::find_if(board.controls.begin(), board.controls.end(), [&](const store::Control& c) {
          return c.kind == store::ControlKind::kWorkflowPaused && c.target == name;
        });
    status.paused = it != board.controls.end();
    if (status.paused) {
      status.paused_by = it->actor;
      status.paused_at = it->at;
      status.reason = it->reason;
      // The person's name for the board (the audit log keeps the key id).
      if (auto key = store_.FindKey(it->actor)) status.paused_by_name = key->name;
    }
    board.workflows.push_back(std::move(status));
  }
  return board;
}

Result<LiveStatsReport> SupervisionService::Stats(const Principal& who, Duration window) {
  if (!who.Can(Permission::kReadMetrics) && !who.Can(Permission::kSuperviseTasks)) {
    return MakeError(ErrorCode::kPermissionDenied, "this key may not read statistics");
  }
  LiveStatsReport report;
  report.window = window;
  report.at = clock_.Now();
  // Counted by the store, every one: a board that showed "0 open" because
  // the store failed, or stopped at a page, would hide a backlog.
  auto open = store_.CountOpenByWorkflow();
  HITLGATE_RETURN_IF_ERROR(open);
  for (WorkflowStats& s : stats_->Window(report.at, window)) {
    if (!who.CoversWorkflow(s.workflow)) continue;
    const auto it = open->find(s.workflow);
    const std::int64_t open_tasks = it == open->end() ? 0 : it->second;
    report.workflows.push_back(LiveStatsReport::Row{std::move(s), open_tasks});
  }
  report.alerts = stats_->Alerts(report.at, window);
  std::erase_if(report.alerts, [&](const Alert& a) { return !who.CoversWorkflow(a.workflow); });
  return report;
}

}  // namespace hitlgate::gateway
