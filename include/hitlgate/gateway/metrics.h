// GatewayMetrics: what the gateway counts for /metrics (decisions by outcome
// and trigger, decision latency, verdicts, lease expiries, SLA breaches,
// queue depths). An interface so the gateway does not depend on the metrics
// library; src/metrics implements it with prometheus-cpp.
// Implementations must be thread-safe and cheap (called per event).
#pragma once

#include <string_view>
#include <vector>

#include "hitlgate/common/clock.h"
#include "hitlgate/engine/decision.h"
#include "hitlgate/store/types.h"

namespace hitlgate::gateway {

class GatewayMetrics {
 public:
  virtual ~GatewayMetrics() = default;
  // One decided event; `latency` covers deciding and making it durable.
  virtual void DecisionMade(std::string_view workflow, engine::Outcome outcome,
                            const std::vector<engine::Reason>& reasons, Duration latency) = 0;
  // A task answered: its kind of verdict, its queue and how long it took
  // from the escalation (the task's creation) to the verdict.
  virtual void VerdictGiven(store::VerdictKind kind, std::string_view queue, Duration resolution) = 0;
  virtual void LeasesExpired(int count) = 0;
  virtual void SlaBreached(int count) = 0;
  // A held proposal whose agent deadline passed before a person decided.
  virtual void DeadlinePassed(std::string_view workflow, engine::DeadlineFallback fallback) = 0;
  virtual void QueueDepth(std::string_view queue, std::int64_t open) = 0;
};

// Counts nothing; for tools and tests that do not scrape.
class NoMetrics final : public GatewayMetrics {
 public:
  void DecisionMade(std::string_view, engine::Outcome, const std::vector<engine::Reason>&,
                    Duration) override {}
  void VerdictGiven(store::VerdictKind, std::string_view, Duration) override {}
  void LeasesExpired(int) override {}
  void SlaBreached(int) override {}
  void DeadlinePassed(std::string_view, engine::DeadlineFallback) override {}
  void QueueDepth(std::string_view, std::int64_t) override {}
};

}  // namespace hitlgate::gateway
