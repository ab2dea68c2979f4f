// Earned autonomy: levels, evidence, pending sign-offs (docs/autonomy.md).
#include "api/handlers/api_context.h"
#include "hitlgate/codec/autonomy_json.h"
#include "hitlgate/codec/json_writer.h"

namespace hitlgate::api {
namespace {

std::string AutonomyReportJson(const gateway::AutonomyReport& report) {
  const autonomy::AutonomyConfig& cfg = report.config;
  codec::JsonWriter w;
  w.BeginObject();
  w.Key("config").BeginObject();
  w.Field("window", cfg.window);
  w.Field("min_cases", cfg.min_cases);
  w.Key("z").Number(cfg.z, 3);
  w.Key("hotl_target").Number(cfg.hotl_target, 4);
  w.Key("hootl_target").Number(cfg.hootl_target, 4);
  w.Key("audit_rate_hotl").Number(cfg.audit_rate_hotl, 4);
  w.Key("audit_rate_hootl").Number(cfg.audit_rate_hootl, 4);
  w.EndObject();
  w.Key("levels").BeginArray();
  for (const gateway::AutonomyLevelView& l : report.levels) {
    w.BeginObject();
    w.Field("workflow", l.key.workflow);
    w.Field("subject", l.key.subject);
    w.Field("level", engine::OversightName(l.level));
    w.Key("audit_rate").Number(l.audit_rate, 4);
    if (l.pending_to) {
      w.Key("pending").BeginObject();
      w.Field("to", engine::OversightName(*l.pending_to));
      if (!l.pending_task_id.empty()) w.Field("task_id", l.pending_task_id);
      w.EndObject();
    }
    w.Key("evidence");
    codec::WriteEvidence(l.evidence, w);
    w.EndObject();
  }
  w.EndArray();
  w.Key("recent_changes").BeginArray();
  for (const autonomy::LevelChange& c : report.recent_changes) codec::WriteLevelChange(c, w);
  w.EndArray();
  w.EndObject();
  return w.Take();
}

}  // namespace

void RegisterAutonomyRoutes(Router& router, ApiContext& ctx) {
  router.Add(http::verb::get, "/v1/autonomy", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      auto report = ctx.gateway.autonomy().Report(who);
      HITLGATE_RETURN_IF_ERROR(report);
      return AutonomyReportJson(*report);
    });
  });
}

}  // namespace hitlgate::api
