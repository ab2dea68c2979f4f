// Measuring oversight over HTTP: customers' satisfaction surveys per
// interaction (stored as "csat" audit records), the effectiveness figures for
// the console, the shadow policy's comparison with the active one, a replay
// of a saved version against recent history, and reviewer staffing.
#include <algorithm>
#include <chrono>
#include <cmath>

#include "api/handlers/api_context.h"
#include "hitlgate/codec/json_reader.h"
#include "hitlgate/codec/json_writer.h"
#include "hitlgate/codec/policy_json.h"
#include "hitlgate/common/time_format.h"
#include "hitlgate/measure/effectiveness.h"
#include "hitlgate/measure/staffing.h"

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
  HITLGATE_RETURN_IF_ERROR(r);
  auto score = r->OptNumber("score");
  HITLGATE_RETURN_IF_ERROR(score);
  if (!*score) return InvalidArgument("field 'score': required");
  auto scale = r->OptNumber("scale");
  HITLGATE_RETURN_IF_ERROR(scale);
  auto source = r->OptString("source");
  HITLGATE_RETURN_IF_ERROR(source);
  HITLGATE_RETURN_IF_ERROR(r->Finish());
  store::Store& store = ctx.store;
  auto interaction = store.GetInteraction(id);
  HITLGATE_RETURN_IF_ERROR(interaction);
  // An agent key speaks only for its own workflows' conversations.
  for (const store::StoredDecision& d : interaction->decisions) {
    if (!who.CoversWorkflow(d.record.workflow)) {
      return MakeError(ErrorCode::kPermissionDenied,
                       "this key may not act for workflow '" + d.record.workflow + "'");
    }
  }
  auto recorded = measure::RecordCsat(store, id, **score, scale->value_or(5.0), source->value_or(""),
                                      who.key_id, ctx.gateway.clock().Now());
  HITLGATE_RETURN_IF_ERROR(recorded);
  codec::JsonWriter w;
  w.BeginObject().Field("interaction_id", id).Field("recorded", true).EndObject();
  return w.Take();
}

// Bounds on work one request may ask for.
constexpr std::int64_t kDefaultReplayEvents = 20000;
constexpr std::int64_t kMaxReplayEvents = 200000;
constexpr std::int64_t kDefaultSimulatedTasks = 50000;
constexpr std::int64_t kMaxSimulatedTasks = 200000;
// Offered load in Erlangs: Erlang C for 2000 takes ~0.1 s; Erlang A's
// numerical solution grows faster (500: ~0.8 s, 2000: ~26 s on the dev VM).
constexpr double kMaxOfferedLoad = 2000;
constexpr double kMaxOfferedLoadWithPatience = 500;

Result<std::optional<TimePoint>> BodyTime(codec::JsonObjectReader& r, std::string_view name) {
  auto value = r.OptString(name);
  HITLGATE_RETURN_IF_ERROR(value);
  if (!*value) return std::optional<TimePoint>();
  auto t = ParseRfc3339(**value);
  if (!t) return InvalidArgument("field '" + std::string(name) + "': expected an RFC 3339 time");
  return std::optional<TimePoint>(*t);
}

// POST /v1/policies/{version}/replay {"from"?, "to"?, "max_events"?, "examples"?}
// (an empty body means {}): the saved version against the active policy on
// the most recent recorded events of the range (default: the last 7 days).
Result<std::string> PostReplay(ApiContext& ctx, const gateway::Principal& who, const std::string& version,
                               std::string_view body) {
  // Checked again by the gateway; first here, so a refused key learns nothing of the body's rules.
  if (!who.Can(gateway::Permission::kReadMetrics) && !who.Can(gateway::Permission::kManagePolicies)) {
    return MakeError(ErrorCode::kPermissionDenied,
                     "role " + std::string(store::RoleName(who.role)) + " may not read_metrics");
  }
  auto r = codec::JsonObjectReader::Parse(body.empty() ? std::string_view("{}") : body);
  HITLGATE_RETURN_IF_ERROR(r);
  auto from = BodyTime(*r, "from");
  HITLGATE_RETURN_IF_ERROR(from);
  auto to = BodyTime(*r, "to");
  HITLGATE_RETURN_IF_ERROR(to);
  auto max_events = r->OptInt("max_events");
  HITLGATE_RETURN_IF_ERROR(max_events);
  auto examples = r->OptInt("examples");
  HITLGATE_RETURN_IF_ERROR(examples);
  HITLGATE_RETURN_IF_ERROR(r->Finish());
  gateway::ReplayRequest request;
  request.version = version;
  request.from = from->value_or(ctx.gateway.clock().Now() - std::chrono::hours(24 * 7));
  request.to = to->value_or(TimePoint::max());
  if (request.to <= request.from) return InvalidArgument("field 'to': must be after 'from'");
  request.max_events = max_events->value_or(kDefaultReplayEvents);
  if (request.max_events < 1 || request.max_events > kMaxReplayEvents) {
    return InvalidArgument("field 'max_events': expected 1.." + std::to_string(kMaxReplayEvents));
  }
  const std::int64_t n = examples->value_or(3);
  if (n < 0 || n > 20) return InvalidArgument("field 'examples': expected 0..20");
  request.examples = static_cast<int>(n);
  return Written(ctx.gateway.policies().ReplayPolicy(who, request), codec::ReplayReportJson);
}

// POST /v1/staffing {"arrivals_per_hour", "escalation_rate", "handle_seconds",
// "target_level"?, "target_wait_seconds"?, "patience_seconds"?, "seed"?,
// "simulated_tasks"?}: reviewers needed (Erlang C, or Erlang A with a
// patience) beside a simulation of the queue.
Result<std::string> PostStaffing(const gateway::Principal& who, std::string_view body) {
  if (!who.Can(gateway::Permission::kReadMetrics)) {
    return MakeError(ErrorCode::kPermissionDenied,
                     "role " + std::string(store::RoleName(who.role)) + " may not read_metrics");
  }
  auto r = codec::JsonObjectReader::Parse(body);
  HITLGATE_RETURN_IF_ERROR(r);
  measure::StaffingInput in;
  for (auto [name, dst] : {std::pair<std::string_view, double*>{"arrivals_per_hour", &in.arrivals_per_hour},
                           {"escalation_rate", &in.escalation_rate},
                           {"handle_seconds", &in.handle_seconds}}) {
    auto v = r->OptNumber(name);
    HITLGATE_RETURN_IF_ERROR(v);
    if (!*v) return InvalidArgument("field '" + std::string(name) + "': required");
    *dst = **v;
  }
  for (auto [name, dst] : {std::pair<std::string_view, double*>{"target_level", &in.target_level},
                           {"target_wait_seconds", &in.target_wait_seconds}}) {
    auto v = r->OptNumber(name);
    HITLGATE_RETURN_IF_ERROR(v);
    if (*v) *dst = **v;
  }
  auto patience = r->OptNumber("patience_seconds");
  HITLGATE_RETURN_IF_ERROR(patience);
  in.patience_seconds = *patience;
  auto seed = r->OptInt("seed");
  HITLGATE_RETURN_IF_ERROR(seed);
  auto tasks = r->OptInt("simulated_tasks");
  HITLGATE_RETURN_IF_ERROR(tasks);
  HITLGATE_RETURN_IF_ERROR(r->Finish());
  // The library's checks, worded with the request's field names.
  auto positive = [](double v) { return std::isfinite(v) && v > 0; };
  if (!positive(in.arrivals_per_hour)) return InvalidArgument("field 'arrivals_per_hour': expected a number > 0");
  if (!positive(in.escalation_rate) || in.escalation_rate > 1) {
    return InvalidArgument("field 'escalation_rate': expected a share in (0, 1]");
  }
  if (!positive(in.handle_seconds)) return InvalidArgument("field 'handle_seconds': expected seconds > 0");
  if (!positive(in.target_level) || in.target_level >= 1) {
    return InvalidArgument("field 'target_level': expected a share in (0, 1), e.g. 0.8");
  }
  if (!std::isfinite(in.target_wait_seconds) || in.target_wait_seconds < 0) {
    return InvalidArgument("field 'target_wait_seconds': expected seconds >= 0");
  }
  if (in.patience_seconds && !positive(*in.patience_seconds)) {
    return InvalidArgument("field 'patience_seconds': expected seconds > 0");
  }
  HITLGATE_RETURN_IF_ERROR(measure::Validate(in));
  const double max_load = in.patience_seconds ? kMaxOfferedLoadWithPatience : kMaxOfferedLoad;
  if (in.OfferedLoad() > max_load) {
    return InvalidArgument("offered load " + std::to_string(in.OfferedLoad()) + " Erlangs is over the " +
                           std::to_string(static_cast<int>(max_load)) + " this endpoint computes" +
                           (in.patience_seconds ? " with a patience" : "") + "; use hitlgate staff");
  }
  measure::SimulationOptions sim;
  sim.seed = static_cast<std::uint64_t>(seed->value_or(1));
  sim.tasks = tasks->value_or(kDefaultSimulatedTasks);
  if (sim.tasks < 1000 || sim.tasks > kMaxSimulatedTasks) {
    return InvalidArgument("field 'simulated_tasks': expected 1000.." + std::to_string(kMaxSimulatedTasks));
  }
  sim.warmup_tasks = std::min<std::int64_t>(sim.warmup_tasks, sim.tasks / 10);
  auto table = measure::BuildStaffingTable(in, sim);
  HITLGATE_RETURN_IF_ERROR(table);
  return measure::StaffingJson(in, *table, sim);
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
      HITLGATE_RETURN_IF_ERROR(from);
      auto to = QueryTime(req, "to");
      HITLGATE_RETURN_IF_ERROR(to);
      options.as_of = ctx.gateway.clock().Now();
      // Default: the last 7 days, so a console's first view stays cheap.
      options.range.from = from->value_or(options.as_of - std::chrono::hours(24 * 7));
      options.range.to = to->value_or(TimePoint::max());
      if (options.range.to <= options.range.from) return InvalidArgument("query 'to': must be after 'from'");
      auto facts = measure::CollectFacts(ctx.store, options.range);
      HITLGATE_RETURN_IF_ERROR(facts);
      return measure::EffectivenessJson(measure::ComputeEffectiveness(*facts, options));
    });
  });
  router.Add(V::get, "/v1/shadow", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) {
      return Written(ctx.gateway.policies().Shadow(who), codec::ShadowReportJson);
    });
  });
  // {"version": "sha256:..."} starts shadow mode with that saved version.
  router.Add(V::post, "/v1/shadow", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) -> Result<std::string> {
      auto r = codec::JsonObjectReader::Parse(req.body);
      HITLGATE_RETURN_IF_ERROR(r);
      auto version = r->String("version");
      HITLGATE_RETURN_IF_ERROR(version);
      HITLGATE_RETURN_IF_ERROR(r->Finish());
      if (version->empty()) return InvalidArgument("field 'version': must not be empty (DELETE /v1/shadow stops)");
      return Written(ctx.gateway.policies().SetShadowPolicy(who, *version), codec::ShadowReportJson);
    });
  });
  router.Add(V::delete_, "/v1/shadow", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) {
      return Written(ctx.gateway.policies().SetShadowPolicy(who, ""), codec::ShadowReportJson);
    });
  });
  router.Add(V::post, "/v1/policies/{version}/replay", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) {
      return PostReplay(ctx, who, std::string(req.Param("version")), req.body);
    });
  });
  router.Add(V::post, "/v1/staffing", [&ctx](Request& req) {
    return AuthedJson(ctx, req, [&](const gateway::Principal& who) { return PostStaffing(who, req.body); });
  });
}

}  // namespace hitlgate::api
