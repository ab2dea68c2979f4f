#include "hitlgate/metrics/prometheus_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <set>

namespace hitlgate::metrics {

struct PrometheusMetrics::Impl {
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
  prometheus::Family<prometheus::Counter>& decisions =
      prometheus::BuildCounter()
          .Name("hitlgate_decisions_total")
          .Help("Decisions by workflow and outcome")
          .Register(*registry);
  prometheus::Family<prometheus::Counter>& triggers =
      prometheus::BuildCounter()
          .Name("hitlgate_rule_firings_total")
          .Help("Rules that fired, by trigger and the outcome they asked for")
          .Register(*registry);
  // Escalated decisions (hold, handoff) by the triggers that asked for
  // them: one count per decision and trigger, the effectiveness report's
  // "escalation rate by trigger" live.
  prometheus::Family<prometheus::Counter>& escalations =
      prometheus::BuildCounter()
          .Name("hitlgate_escalations_total")
          .Help("Decisions escalated to a person (hold or handoff), by workflow and the trigger that asked")
          .Register(*registry);
  prometheus::Family<prometheus::Histogram>& latency =
      prometheus::BuildHistogram()
          .Name("hitlgate_decision_seconds")
          .Help("Time to decide an event and make it durable")
          .Register(*registry);
  prometheus::Histogram& latency_all = latency.Add(
      {}, prometheus::Histogram::BucketBoundaries{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                  0.01, 0.025, 0.05, 0.1, 0.25, 1});
  prometheus::Family<prometheus::Counter>& verdicts = prometheus::BuildCounter()
                                                         .Name("hitlgate_verdicts_total")
                                                         .Help("Verdicts by kind and queue")
                                                         .Register(*registry);
  // Resolution time after escalation, by queue: the effectiveness report's
  // distribution, live (seconds from the task's creation to its verdict).
  prometheus::Family<prometheus::Histogram>& resolution =
      prometheus::BuildHistogram()
          .Name("hitlgate_task_resolution_seconds")
          .Help("Time from escalation (task created) to the verdict, by queue")
          .Register(*registry);
  prometheus::Counter& lease_expiries = prometheus::BuildCounter()
                                            .Name("hitlgate_lease_expiries_total")
                                            .Help("Claims whose lease expired")
                                            .Register(*registry)
                                            .Add({});
  prometheus::Counter& sla_breaches = prometheus::BuildCounter()
                                          .Name("hitlgate_sla_breaches_total")
                                          .Help("Tasks escalated because their SLA passed")
                                          .Register(*registry)
                                          .Add({});
  prometheus::Family<prometheus::Counter>& deadlines = prometheus::BuildCounter()
                                                          .Name("hitlgate_deadlines_passed_total")
                                                          .Help("Held proposals settled by the agent's deadline, by workflow and fallback")
                                                          .Register(*registry);
  prometheus::Family<prometheus::Gauge>& queue_depth = prometheus::BuildGauge()
                                                           .Name("hitlgate_queue_open_tasks")
                                                           .Help("Open tasks per queue")
                                                           .Register(*registry);
};

PrometheusMetrics::PrometheusMetrics() : impl_(std::make_unique<Impl>()) {}
PrometheusMetrics::~PrometheusMetrics() = default;

void PrometheusMetrics::DecisionMade(std::string_view workflow, engine::Outcome outcome,
                                     const std::vector<engine::Reason>& reasons, Duration latency) {
  // prometheus-cpp looks metrics up by label set under its own lock; the
  // label values here are bounded by the policy (workflows, triggers).
  impl_->decisions
      .Add({{"workflow", std::string(workflow)}, {"outcome", std::string(engine::OutcomeName(outcome))}})
      .Increment();
  for (const engine::Reason& r : reasons) {
    if (r.trigger == "oversight_default") continue;
    impl_->triggers
        .Add({{"trigger", r.trigger}, {"outcome", std::string(engine::OutcomeName(r.outcome))}})
        .Increment();
  }
  if (outcome == engine::Outcome::kHold || outcome == engine::Outcome::kHandoff) {
    std::set<std::string_view> counted;
    for (const engine::Reason& r : reasons) {
      if (r.outcome != engine::Outcome::kHold && r.outcome != engine::Outcome::kHandoff) continue;
      if (!counted.insert(r.trigger).second) continue;
      impl_->escalations.Add({{"workflow", std::string(workflow)}, {"trigger", r.trigger}}).Increment();
    }
  }
  impl_->latency_all.Observe(std::chrono::duration<double>(latency).count());
}

void PrometheusMetrics::VerdictGiven(store::VerdictKind kind, std::string_view queue, Duration resolution) {
  // Queues are declared by the policy: a bounded label set.
  impl_->verdicts.Add({{"kind", std::string(store::VerdictKindName(kind))}, {"queue", std::string(queue)}})
      .Increment();
  static const prometheus::Histogram::BucketBoundaries kBuckets{1,   5,    15,   30,    60,    120,
                                                                300, 600, 1800, 3600, 14400, 86400};
  impl_->resolution.Add({{"queue", std::string(queue)}}, kBuckets)
      .Observe(std::max(0.0, std::chrono::duration<double>(resolution).count()));
}

void PrometheusMetrics::LeasesExpired(int count) { impl_->lease_expiries.Increment(count); }
void PrometheusMetrics::SlaBreached(int count) { impl_->sla_breaches.Increment(count); }
void PrometheusMetrics::DeadlinePassed(std::string_view workflow, engine::DeadlineFallback fallback) {
  // Workflows are bounded by the policy, fallbacks by the enum.
  impl_->deadlines
      .Add({{"workflow", std::string(workflow)},
            {"fallback", std::string(engine::DeadlineFallbackName(fallback))}})
      .Increment();
}

void PrometheusMetrics::QueueDepth(std::string_view queue, std::int64_t open) {
  impl_->queue_depth.Add({{"queue", std::string(queue)}}).Set(static_cast<double>(open));
}

std::string PrometheusMetrics::Expose() const {
  prometheus::TextSerializer serializer;
  return serializer.Serialize(impl_->registry->Collect());
}

}  // namespace hitlgate::metrics
