// Supervisors' interventions (pause a workflow, hold the next turn, take a
// conversation over) and the live board's statistics and alerts.
#include <algorithm>
#include <set>

#include "gateway/access.h"
#include "gateway/live_stats.h"
#include "hitlgate/codec/json_writer.h"
#include "hitlgate/common/time_format.h"
#include "hitlgate/gateway/gateway.h"

namespace hitlgate::gateway {
namespace {

// The workflow a control concerns: the paused one, or the one an
// interaction control's target names (ControlTarget); "" for legal holds.
std::string_view ControlWorkflow(const store::Control& c) {
  switch (c.kind) {
    case store::ControlKind::kWorkflowPaused: return c.target;
    case store::ControlKind::kHoldNext:
    case store::ControlKind::kTakenOver: {
      const size_t slash = std::string_view(c.target).find('/');
      return slash == std::string_view::npos ? std::string_view() : std::string_view(c.target).substr(0, slash);
    }
    case store::ControlKind::kLegalHold: return {};
  }
  return {};
}

void WriteControl(const store::Control& c, codec::JsonWriter& w) {
  w.BeginObject();
  w.Field("kind", store::ControlKindName(c.kind));
  w.Field("target", c.target);
  if (c.kind == store::ControlKind::kHoldNext || c.kind == store::ControlKind::kTakenOver) {
    const std::string_view workflow = ControlWorkflow(c);
    w.Field("workflow", workflow);
    w.Field("interaction_id", std::string_view(c.target).substr(workflow.size() + (workflow.empty() ? 0 : 1)));
  }
  w.Field("actor", c.actor);
  w.Field("reason", c.reason);
  w.Field("at", FormatRfc3339(c.at));
  w.EndObject();
}

}  // namespace

Result<void> Gateway::RefreshControls() {
  auto controls = store_.ListControls();
  HITLGATE_RETURN_IF_ERROR(controls);
  std::lock_guard lock(controls_mu_);
  controls_ = std::move(*controls);
  return {};
}

std::optional<store::Control> Gateway::ApplyControls(const engine::Event& event,
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
        r.detail = "workflow " + event.workflow + " is paused" + (c.reason.empty() ? "" : ": " + c.reason);
        r.outcome = engine::Outcome::kHold;
        break;
      case store::ControlKind::kHoldNext:
        r.trigger = "hold_next";
        r.detail = "a supervisor asked to review this turn" + (c.reason.empty() ? "" : ": " + c.reason);
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
          route.queue = options_.escalation_queue;
          route.priority = 1;
          route.sla_seconds = 300;
          for (const auto& q : engine_.policy()->queues()) {
            if (q.name == route.queue) {
              route.skills = q.skills;
              route.priority = q.priority;
              route.sla_seconds = q.sla_seconds;
            }
          }
          route.hold_notice_seconds = engine_.policy()->hold_notice_seconds();
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

Result<std::string> Gateway::SetControl(const Principal& who, store::ControlKind kind,
                                        const std::string& target, const std::string& reason) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kSuperviseTasks));
  if (target.empty()) return InvalidArgument("no target");
  store::Control c{kind, target, who.key_id, reason, clock_.Now()};
  HITLGATE_RETURN_IF_ERROR(store_.SetControl(c));
  HITLGATE_RETURN_IF_ERROR(RefreshControls());
  codec::JsonWriter w;
  WriteControl(c, w);
  live_.Publish("control.set", ControlWorkflow(c), w.str());
  return w.Take();
}

Result<std::string> Gateway::ClearControl(const Principal& who, store::ControlKind kind,
                                          const std::string& target) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kSuperviseTasks));
  HITLGATE_RETURN_IF_ERROR(store_.ClearControl(kind, target, who.key_id, clock_.Now()));
  HITLGATE_RETURN_IF_ERROR(RefreshControls());
  codec::JsonWriter w;
  w.BeginObject().Field("kind", store::ControlKindName(kind)).Field("target", target).Field("cleared", true);
  w.EndObject();
  const store::Control cleared{kind, target, who.key_id, "", {}};
  live_.Publish("control.cleared", ControlWorkflow(cleared), w.str());
  return w.Take();
}

Result<std::string> Gateway::PauseWorkflow(const Principal& who, const std::string& workflow,
                                           const std::string& reason) {
  return SetControl(who, store::ControlKind::kWorkflowPaused, workflow, reason);
}

Result<std::string> Gateway::ResumeWorkflow(const Principal& who, const std::string& workflow) {
  return ClearControl(who, store::ControlKind::kWorkflowPaused, workflow);
}

std::string ControlTarget(std::string_view workflow, std::string_view interaction_id) {
  std::string target;
  target.reserve(workflow.size() + 1 + interaction_id.size());
  target.append(workflow).push_back('/');
  target.append(interaction_id);
  return target;
}

Result<std::string> Gateway::InteractionWorkflow(const Principal& who, const std::string& interaction_id,
                                                 const std::string& workflow) {
  if (!workflow.empty()) {
    HITLGATE_RETURN_IF_ERROR(RequireWorkflow(who, workflow));
    return workflow;
  }
  // Named: no read, so a supervisor may act before the first event.
  auto history = store_.GetInteraction(interaction_id);
  HITLGATE_RETURN_IF_ERROR(history);
  return ResolveWorkflow(*history, who, "", "?workflow=");
}

Result<std::string> Gateway::HoldNextTurn(const Principal& who, const std::string& interaction_id,
                                          const std::string& reason, const std::string& workflow) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kSuperviseTasks));
  auto scope = InteractionWorkflow(who, interaction_id, workflow);
  HITLGATE_RETURN_IF_ERROR(scope);
  return SetControl(who, store::ControlKind::kHoldNext, ControlTarget(*scope, interaction_id), reason);
}

Result<std::string> Gateway::TakeOver(const Principal& who, const std::string& interaction_id,
                                      const std::string& reason, const std::string& workflow) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kSuperviseTasks));
  auto scope = InteractionWorkflow(who, interaction_id, workflow);
  HITLGATE_RETURN_IF_ERROR(scope);
  return SetControl(who, store::ControlKind::kTakenOver, ControlTarget(*scope, interaction_id), reason);
}

Result<std::string> Gateway::HandBack(const Principal& who, const std::string& interaction_id,
                                      const std::string& workflow) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kSuperviseTasks));
  auto scope = InteractionWorkflow(who, interaction_id, workflow);
  HITLGATE_RETURN_IF_ERROR(scope);
  return ClearControl(who, store::ControlKind::kTakenOver, ControlTarget(*scope, interaction_id));
}

Result<std::string> Gateway::WorkflowsJson(const Principal& who) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kReadQueues));
  const TimePoint now = clock_.Now();
  std::set<std::string> names;
  for (const WorkflowStats& s : stats_->Window(now, std::chrono::hours(24))) names.insert(s.workflow);
  std::vector<store::Control> controls;
  {
    std::lock_guard lock(controls_mu_);
    controls = controls_;
  }
  for (const auto& c : controls) {
    if (c.kind == store::ControlKind::kWorkflowPaused) names.insert(c.target);
  }
  codec::JsonWriter w;
  w.BeginObject().Key("workflows").BeginArray();
  for (const std::string& name : names) {
    w.BeginObject().Field("name", name);
    auto it = std::find_if(controls.begin(), controls.end(), [&](const store::Control& c) {
      return c.kind == store::ControlKind::kWorkflowPaused && c.target == name;
    });
    w.Field("paused", it != controls.end());
    if (it != controls.end()) {
      w.Field("paused_by", it->actor).Field("paused_at", FormatRfc3339(it->at)).Field("reason", it->reason);
      // The person's name for the board (the audit log keeps the key id).
      if (auto key = store_.FindKey(it->actor)) w.Field("paused_by_name", key->name);
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("controls").BeginArray();
  for (const auto& c : controls) WriteControl(c, w);
  w.EndArray().EndObject();
  return w.Take();
}

Result<std::string> Gateway::StatsJson(const Principal& who, Duration window) {
  if (!who.Can(Permission::kReadMetrics) && !who.Can(Permission::kSuperviseTasks)) {
    return MakeError(ErrorCode::kPermissionDenied, "this key may not read statistics");
  }
  const TimePoint now = clock_.Now();
  auto open = store_.ListTasks(store::TaskFilter{.status = store::TaskStatus::kOpen, .limit = 1000});
  codec::JsonWriter w;
  w.BeginObject();
  w.Field("window_seconds", static_cast<std::int64_t>(
                                std::chrono::duration_cast<std::chrono::seconds>(window).count()));
  w.Field("at", FormatRfc3339(now));
  w.Key("workflows").BeginArray();
  for (const WorkflowStats& s : stats_->Window(now, window)) {
    std::int64_t open_tasks = 0;
    if (open) {
      for (const auto& t : *open) open_tasks += t.workflow == s.workflow;
    }
    w.BeginObject();
    w.Field("workflow", s.workflow);
    w.Field("events", s.events);
    w.Field("proposals", s.proposals);
    w.Field("customer_messages", s.customer_messages);
    w.Field("escalations", s.escalations);
    w.Key("escalation_rate").Number(s.escalation_rate(), 4);
    w.Field("holds", s.holds);
    w.Field("handoffs", s.handoffs);
    w.Field("blocks", s.blocks);
    w.Field("monitored", s.monitored);
    w.Key("avg_sentiment").Number(s.avg_sentiment(), 4);
    w.Key("negative_share").Number(s.negative_share(), 4);
    w.Field("sla_breaches", s.sla_breaches);
    w.Field("open_tasks", open_tasks);
    w.EndObject();
  }
  w.EndArray();
  w.Key("alerts").BeginArray();
  for (const Alert& a : stats_->Alerts(now, window)) {
    w.BeginObject();
    w.Field("workflow", a.workflow);
    w.Field("kind", a.kind);
    w.Key("value").Number(a.value, 4);
    w.Key("threshold").Number(a.threshold, 4);
    w.Key("interactions").Strings(a.interactions);
    w.EndObject();
  }
  w.EndArray().EndObject();
  return w.Take();
}

}  // namespace hitlgate::gateway
