// Policy replay on request: a saved policy version decides the gateway's own
// recent history beside the active policy, so a supervisor sees in the
// console what a change would do before activating it. The same Replayer as
// `hitlgate replay --data`, bounded (LoadRecentStoreHistory) so one request
// cannot read the whole store: the answer says how much history it covered.
#include <algorithm>
#include <chrono>

#include "gateway/access.h"
#include "hitlgate/codec/json_writer.h"
#include "hitlgate/common/time_format.h"
#include "hitlgate/gateway/gateway.h"
#include "hitlgate/measure/replay.h"
#include "hitlgate/measure/store_history.h"

namespace hitlgate::gateway {
namespace {

void WritePolicy(codec::JsonWriter& w, std::string_view key, const policy::Program& p) {
  w.Key(key).BeginObject().Field("name", p.name()).Field("version", p.version()).EndObject();
}

void WriteTime(codec::JsonWriter& w, std::string_view key, std::optional<TimePoint> t) {
  w.Key(key);
  if (t && *t != TimePoint::max() && *t != TimePoint{}) {
    w.String(FormatRfc3339(*t));
  } else {
    w.Null();
  }
}

}  // namespace

Result<std::string> Gateway::ReplayPolicy(const Principal& who, const ReplayRequest& request) {
  if (!who.Can(Permission::kReadMetrics) && !who.Can(Permission::kManagePolicies)) {
    return std::unexpected(Require(who, Permission::kReadMetrics).error());
  }
  if (request.max_events <= 0) return InvalidArgument("max_events must be positive");
  if (request.to <= request.from) return InvalidArgument("'to' must be after 'from'");
  auto versions = store_.ListPolicyVersions();
  HITLGATE_RETURN_IF_ERROR(versions);
  auto it = std::find_if(versions->begin(), versions->end(), [&](const store::PolicyVersionInfo& v) {
    return v.policy.version == request.version || (request.version == "active" && v.active);
  });
  if (it == versions->end()) return NotFound("no policy version " + request.version);
  policy::CompileResult compiled = policy::CompileText(it->policy.source_yaml, it->policy.name);
  if (!compiled.ok()) return FailedPrecondition("policy version " + request.version + " no longer compiles");

  const measure::TimeRange range{request.from, request.to};
  auto history = measure::LoadRecentStoreHistory(store_, range, request.max_events);
  HITLGATE_RETURN_IF_ERROR(history);
  std::shared_ptr<const policy::Program> active = engine_.policy();
  measure::Replayer replayer(active, compiled.program, engine_.scorer(), request.examples);
  replayer.SetLearningModels(engine_.calibrator(), engine_.intent_classifier());
  for (const measure::HistoryEvent& h : history->events) replayer.Add(h);

  codec::JsonWriter w;
  w.BeginObject();
  WritePolicy(w, "active_policy", *active);
  WritePolicy(w, "candidate_policy", *compiled.program);
  w.Key("history").BeginObject();
  WriteTime(w, "from", request.from);
  WriteTime(w, "to", request.to);
  w.Field("max_events", request.max_events);
  w.Field("events", static_cast<std::int64_t>(history->events.size()));
  w.Field("interactions", history->interactions);
  w.Field("truncated", history->truncated);
  WriteTime(w, "first_event_at", history->first_event_at);
  WriteTime(w, "last_event_at", history->last_event_at);
  // Events per hour over the span replayed: the arrival rate a staffing
  // estimate starts from. Unknown for spans under a minute.
  w.Key("events_per_hour");
  if (history->first_event_at && history->last_event_at &&
      *history->last_event_at - *history->first_event_at >= std::chrono::minutes(1)) {
    const double hours =
        std::chrono::duration<double>(*history->last_event_at - *history->first_event_at).count() / 3600.0;
    w.Number(static_cast<double>(history->events.size()) / hours, 2);
  } else {
    w.Null();
  }
  w.EndObject();
  w.Key("comparison").Raw(replayer.comparison().ToJson());
  w.EndObject();
  return w.Take();
}

}  // namespace hitlgate::gateway
