// Policy replay on request: a saved policy version decides the gateway's own
// recent history beside the active policy, so a supervisor sees in the
// console what a change would do before activating it. The same Replayer as
// `hitlgate replay --data`, bounded (LoadRecentStoreHistory) so one request
// cannot read the whole store: the answer says how much history it covered.
#include <chrono>

#include "gateway/access.h"
#include "hitlgate/gateway/policy_service.h"
#include "hitlgate/measure/replay.h"
#include "hitlgate/measure/store_history.h"

namespace hitlgate::gateway {

Result<ReplayReport> PolicyService::ReplayPolicy(const Principal& who,
                                                 const ReplayRequest& request) {
  if (!who.Can(Permission::kReadMetrics) && !who.Can(Permission::kManagePolicies)) {
    return std::unexpected(Require(who, Permission::kReadMetrics).error());
  }
  if (request.max_events <= 0) return InvalidArgument("max_events must be positive");
  if (request.to <= request.from) return InvalidArgument("'to' must be after 'from'");
  auto found = FindVersion(request.version, /*active_alias=*/true);
  HITLGATE_RETURN_IF_ERROR(found);
  policy::CompileResult compiled =
      policy::CompileText(found->policy.source_yaml, found->policy.name);
  if (!compiled.ok())
    return FailedPrecondition("policy version " + request.version + " no longer compiles");

  const measure::TimeRange range{request.from, request.to};
  auto history = measure::LoadRecentStoreHistory(store_, range, request.max_events);
  HITLGATE_RETURN_IF_ERROR(history);
  std::shared_ptr<const policy::Program> active = engine_.policy();
  measure::Replayer replayer(active, compiled.program, engine_.scorer(), request.examples);
  replayer.SetLearningModels(engine_.calibrator(), engine_.intent_classifier());
  for (const measure::HistoryEvent& h : history->events) replayer.Add(h);

  ReplayReport report;
  report.active = PolicyRef{active->name(), active->version()};
  report.candidate = PolicyRef{compiled.program->name(), compiled.program->version()};
  report.from = request.from;
  report.to = request.to;
  report.max_events = request.max_events;
  report.events = static_cast<std::int64_t>(history->events.size());
  report.interactions = history->interactions;
  report.truncated = history->truncated;
  report.first_event_at = history->first_event_at;
  report.last_event_at = history->last_event_at;
  if (history->first_event_at && history->last_event_at &&
      *history->last_event_at - *history->first_event_at >= std::chrono::minutes(1)) {
    const double hours =
        std::chrono::duration<double>(*history->last_event_at - *history->first_event_at).count() /
        3600.0;
    report.events_per_hour = static_cast<double>(report.events) / hours;
  }
  report.comparison = replayer.comparison();
  return report;
}

}  // namespace hitlgate::gateway
