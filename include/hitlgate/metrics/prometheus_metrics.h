// PrometheusMetrics: GatewayMetrics kept in a prometheus-cpp registry and
// exposed in the Prometheus text format for GET /metrics. prometheus-cpp
// stays inside src/metrics. Thread-safe.
#pragma once

#include <memory>
#include <string>

#include "hitlgate/gateway/metrics.h"

namespace hitlgate::metrics {

class PrometheusMetrics final : public gateway::GatewayMetrics {
 public:
  PrometheusMetrics();
  ~PrometheusMetrics() override;

  void DecisionMade(std::string_view workflow, engine::Outcome outcome,
                    const std::vector<engine::Reason>& reasons, Duration latency) override;
  void VerdictGiven(store::VerdictKind kind, std::string_view queue, Duration resolution) override;
  void LeasesExpired(int count) override;
  void SlaBreached(int count) override;
  void DeadlinePassed(std::string_view workflow, engine::DeadlineFallback fallback) override;
  void QueueDepth(std::string_view queue, std::int64_t open) override;

  // The whole registry in the text exposition format (version 0.0.4).
  std::string Expose() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hitlgate::metrics
