#include "hitlgate/codec/supervision_json.h"

#include <chrono>

#include "hitlgate/common/time_format.h"

namespace hitlgate::codec {

void WriteControl(const store::Control& c, JsonWriter& w) {
  w.BeginObject();
  w.Field("kind", store::ControlKindName(c.kind));
  w.Field("target", c.target);
  if (c.kind == store::ControlKind::kHoldNext || c.kind == store::ControlKind::kTakenOver) {
    const std::string_view workflow = gateway::ControlWorkflow(c);
    w.Field("workflow", workflow);
    w.Field("interaction_id",
            std::string_view(c.target).substr(workflow.size() + (workflow.empty() ? 0 : 1)));
  }
  w.Field("actor", c.actor);
  w.Field("reason", c.reason);
  w.Field("at", FormatRfc3339(c.at));
  w.EndObject();
}

std::string ControlChangeJson(const gateway::ControlChange& change) {
  JsonWriter w;
  if (!change.cleared) {
    WriteControl(change.control, w);
    return w.Take();
  }
  w.BeginObject()
      .Field("kind", store::ControlKindName(change.control.kind))
      .Field("target", change.control.target)
      .Field("cleared", true);
  w.EndObject();
  return w.Take();
}

std::string WorkflowBoardJson(const gateway::WorkflowBoard& board) {
  JsonWriter w;
  w.BeginObject().Key("workflows").BeginArray();
  for (const gateway::WorkflowStatus& s : board.workflows) {
    w.BeginObject().Field("name", s.name);
    w.Field("paused", s.paused);
    if (s.paused) {
      w.Field("paused_by", s.paused_by)
          .Field("paused_at", FormatRfc3339(s.paused_at))
          .Field("reason", s.reason);
      if (s.paused_by_name) w.Field("paused_by_name", *s.paused_by_name);
    }
    w.EndObject();
  }
  w.EndArray();
  w.Key("controls").BeginArray();
  for (const auto& c : board.controls) WriteControl(c, w);
  w.EndArray().EndObject();
  return w.Take();
}

std::string LiveStatsJson(const gateway::LiveStatsReport& report) {
  JsonWriter w;
  w.BeginObject();
  w.Field("window_seconds",
          static_cast<std::int64_t>(
              std::chrono::duration_cast<std::chrono::seconds>(report.window).count()));
  w.Field("at", FormatRfc3339(report.at));
  w.Key("workflows").BeginArray();
  for (const gateway::LiveStatsReport::Row& row : report.workflows) {
    const gateway::WorkflowStats& s = row.stats;
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
    w.Field("open_tasks", row.open_tasks);
    w.EndObject();
  }
  w.EndArray();
  w.Key("alerts").BeginArray();
  for (const gateway::Alert& a : report.alerts) {
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

}  // namespace hitlgate::codec
