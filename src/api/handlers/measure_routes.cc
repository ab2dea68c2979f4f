// Measuring oversight over HTTP: customers' satisfaction surveys per
// interaction (stored as "csat" audit records), the effectiveness figures for
// the console, and the shadow policy's comparison with the active one.
#include "api/handlers/api_context.h"
#include "hitlgate/codec/json_reader.h"
#include "hitlgate/common/time_format.h"
#include "hitlgate/measure/effectiveness.h"

namespace hitlgate::api {
namespace {

Result<std::optional<TimePoint>> QueryTime(const Request& req, std::string_view name) {
  const std::string value(req.Query(name));
  if (value.empty()) return std::optional<TimePoint>();
  auto t = ParseRfc3339(value);
  if (!t) return InvalidArgument("query '" + std::string(name) + "': expected an RFC 3339 time");
  return std::optional<TimePoint>(*t);
}

// POST /v1/interactions/{id}/csat {"score": 4, "scale": 5, "source": "email survey"}
Result<std::string> PostCsat(ApiContext& ctx, const gateway::Principal& who, const std::string& id,
                             std::string_view body) {
  if (!who.Can(gateway::Permission::kSubmitEvents)) {
    return MakeError(ErrorCode::kPermissionDenied,
                     "role " + std::string(store::RoleName(who.role)) + " may not submit_events");
  }
  auto r = codec::JsonObjectReader::Parse(body);
  if (!r) return std::unexpected(r.error());
  auto score = r->OptNumber("score");
  if (!score) return std::unexpected(score.error());
  if (!*score) return InvalidArgument("field 'score': required");
  auto scale = r->OptNumber("scale");
  if (!scale) return std::unexpected(scale.error());
  auto source = r->OptString("source");
  if (!source) return std::unexpected(source.error());
  if (auto done = r->Finish(); !done) return std::unexpected(done.error());
  store::Store& store = ctx.gateway.store();
  auto interaction = store.GetInteraction(id);
  if (!interaction) return std::unexpected(interaction.error());
  // An agent key speaks only for its own workflows' conversations.
  for (const store::StoredDecision& d : interaction->decisions) {
    if (!who.CoversWorkflow(d.record.workflow)) {
      return MakeError(ErrorCode::kPermissionDenied,
                       "this key may not act for workflow '" + d.record.workflow + "'");
    }
  }
  auto recorded = measure::RecordCsat(store, id, **score, scale->value_or(5.0), source->value_or(""),
                                      who.key_id, ctx.gateway.clock().Now());
  if (!recorded) return std::unexpected(recorded.error());
  return std::string("{\"interaction_id\":\"") + id + "\",\"recorded\":true}";
}

}  // namespace

void RegisterMeasureRoutes(Router& router, ApiContext& ctx) {
  using V = http::verb;
  router.Add(V::post, "/v1/interactions/{id}/csat", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) {
      return PostCsat(ctx, who, std::string(req.Param("id")), req.body);
    });
  });
  router.Add(V::get, "/v1/metrics/effectiveness", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      if (!who.Can(gateway::Permission::kReadMetrics)) {
        return MakeError(ErrorCode::kPermissionDenied,
                         "role " + std::string(store::RoleName(who.role)) + " may not read_metrics");
      }
      measure::EffectivenessOptions options;
      auto from = QueryTime(req, "from");
      if (!from) return std::unexpected(from.error());
      auto to = QueryTime(req, "to");
      if (!to) return std::unexpected(to.error());
      options.as_of = ctx.gateway.clock().Now();
      // Default: the last 7 days, so a console's first view stays cheap.
      options.range.from = from->value_or(options.as_of - std::chrono::hours(24 * 7));
      options.range.to = to->value_or(TimePoint::max());
      if (options.range.to <= options.range.from) return InvalidArgument("query 'to': must be after 'from'");
      auto facts = measure::CollectFacts(ctx.gateway.store(), options.range);
      if (!facts) return std::unexpected(facts.error());
      return measure::EffectivenessJson(measure::ComputeEffectiveness(*facts, options));
    });
  });
  router.Add(V::get, "/v1/shadow", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) { return ctx.gateway.ShadowJson(who); });
  });
  // {"version": "sha256:..."} starts shadow mode with that saved version.
  router.Add(V::post, "/v1/shadow", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      auto r = codec::JsonObjectReader::Parse(req.body);
      if (!r) return std::unexpected(r.error());
      auto version = r->String("version");
      if (!version) return std::unexpected(version.error());
      if (auto done = r->Finish(); !done) return std::unexpected(done.error());
      if (version->empty()) return InvalidArgument("field 'version': must not be empty (DELETE /v1/shadow stops)");
      return ctx.gateway.SetShadowPolicy(who, *version);
    });
  });
  router.Add(V::delete_, "/v1/shadow", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) { return ctx.gateway.SetShadowPolicy(who, ""); });
  });
}

}  // namespace hitlgate::api
