// Supervisors' interventions (pause a workflow, hold the next turn, take a
// conversation over), the live board's statistics and alerts, and running a
// policy's test cases for the console's policy editor.
#include <algorithm>
#include <set>

#include "gateway/access.h"
#include "gateway/live_stats.h"
#include "hitlgate/codec/json_writer.h"
#include "hitlgate/common/time_format.h"
#include "hitlgate/engine/policy_tests.h"
#include "hitlgate/gateway/gateway.h"
#include "hitlgate/policy/test_cases.h"

namespace hitlgate::gateway {
namespace {

void WriteControl(const store::Control& c, codec::JsonWriter& w) {
  w.BeginObject();
  w.Field("kind", store::ControlKindName(c.kind));
  w.Field("target", c.target);
  w.Field("actor", c.actor);
  w.Field("reason", c.reason);
  w.Field("at", FormatRfc3339(c.at));
  w.EndObject();
}

}  // namespace

Result<void> Gateway::RefreshControls() {
  auto controls = store_.ListControls();
  if (!controls) return std::unexpected(controls.error());
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
      const bool applies = c.kind == store::ControlKind::kWorkflowPaused
                               ? c.target == event.workflow
                               : c.target == event.interaction_id;
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
  if (auto ok = Require(who, Permission::kSuperviseTasks); !ok) return std::unexpected(ok.error());
  if (target.empty()) return InvalidArgument("no target");
  store::Control c{kind, target, who.key_id, reason, clock_.Now()};
  if (auto set = store_.SetControl(c); !set) return std::unexpected(set.error());
  if (auto r = RefreshControls(); !r) return std::unexpected(r.error());
  codec::JsonWriter w;
  WriteControl(c, w);
  live_.Publish("control.set", w.str());
  return w.Take();
}

Result<std::string> Gateway::ClearControl(const Principal& who, store::ControlKind kind,
                                          const std::string& target) {
  if (auto ok = Require(who, Permission::kSuperviseTasks); !ok) return std::unexpected(ok.error());
  if (auto cleared = store_.ClearControl(kind, target, who.key_id, clock_.Now()); !cleared) {
    return std::unexpected(cleared.error());
  }
  if (auto r = RefreshControls(); !r) return std::unexpected(r.error());
  std::string body = "{\"kind\":\"" + std::string(store::ControlKindName(kind)) + "\",\"target\":\"" +
                     target + "\",\"cleared\":true}";
  live_.Publish("control.cleared", body);
  return body;
}

Result<std::string> Gateway::PauseWorkflow(const Principal& who, const std::string& workflow,
                                           const std::string& reason) {
  return SetControl(who, store::ControlKind::kWorkflowPaused, workflow, reason);
}

Result<std::string> Gateway::ResumeWorkflow(const Principal& who, const std::string& workflow) {
  return ClearControl(who, store::ControlKind::kWorkflowPaused, workflow);
}

Result<std::string> Gateway::HoldNextTurn(const Principal& who, const std::string& interaction_id,
                                          const std::string& reason) {
  return SetControl(who, store::ControlKind::kHoldNext, interaction_id, reason);
}

Result<std::string> Gateway::TakeOver(const Principal& who, const std::string& interaction_id,
                                      const std::string& reason) {
  return SetControl(who, store::ControlKind::kTakenOver, interaction_id, reason);
}

Result<std::string> Gateway::HandBack(const Principal& who, const std::string& interaction_id) {
  return ClearControl(who, store::ControlKind::kTakenOver, interaction_id);
}

Result<std::string> Gateway::WorkflowsJson(const Principal& who) {
  if (auto ok = Require(who, Permission::kReadQueues); !ok) return std::unexpected(ok.error());
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

Result<std::string> Gateway::TestPolicy(const Principal& who, std::string_view policy_yaml,
                                        std::string_view cases_yaml) {
  if (auto ok = Require(who, Permission::kManagePolicies); !ok) return std::unexpected(ok.error());
  policy::CompileResult compiled = policy::CompileText(policy_yaml, "policy.yaml");
  codec::JsonWriter w;
  w.BeginObject();
  if (!compiled.ok()) {
    w.Field("ok", false).Field("cases", 0).Field("passed", 0).Key("failures").BeginArray();
    for (const auto& i : compiled.issues) w.String(i.ToString());
    w.EndArray().EndObject();
    return w.Take();
  }
  policy::CaseFile cases = policy::ParseCaseText(cases_yaml, "cases.yaml");
  if (!cases.ok()) {
    w.Field("ok", false).Field("cases", 0).Field("passed", 0).Key("failures").BeginArray();
    for (const auto& i : cases.issues) w.String(i.ToString());
    w.EndArray().EndObject();
    return w.Take();
  }
  engine::PolicyTestReport report = engine::RunPolicyTests(
      compiled.program, cases, "cases.yaml", signals::SentimentScorer::Default());
  w.Field("ok", report.ok()).Field("cases", report.cases).Field("passed", report.passed);
  w.Key("failures").Strings(report.failures);
  w.EndObject();
  return w.Take();
}

}  // namespace hitlgate::gateway
