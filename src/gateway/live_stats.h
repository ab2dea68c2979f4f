// LiveStats: per-workflow counts over a sliding window, in minute buckets,
// for the supervisors' board and its alerts (escalation rate, negative
// sentiment, SLA breaches). Kept in memory by each gateway node: the board is
// a live view; durable figures come from the store (measurement reports).
// Thread-safe.
#pragma once

#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "hitlgate/common/clock.h"
#include "hitlgate/common/thread_annotations.h"
#include "hitlgate/engine/decision.h"
#include "hitlgate/engine/event.h"
#include "hitlgate/gateway/supervision_types.h"

namespace hitlgate::gateway {

struct AlertThresholds {
  double escalation_rate = 0.30;  // holds + handoffs + blocks per proposal
  double negative_share = 0.35;   // customer messages with sentiment <= -0.3
  int min_events = 20;            // rates below this volume are noise
  int sla_breaches = 1;
};

class LiveStats {
 public:
  explicit LiveStats(AlertThresholds thresholds = {}) : thresholds_(thresholds) {}

  void Record(const engine::Event& event, const engine::Decision& decision, TimePoint now);
  void SlaBreach(const std::string& workflow, const std::string& interaction_id, TimePoint now);

  std::vector<WorkflowStats> Window(TimePoint now, Duration window) const;
  std::vector<Alert> Alerts(TimePoint now, Duration window) const;

 private:
  struct Bucket {
    std::int64_t minute = 0;
    WorkflowStats stats;
  };
  struct PerWorkflow {
    std::deque<Bucket> buckets;                // oldest first, at most kKeepMinutes
    std::deque<std::string> escalated;         // recent interaction ids
    std::deque<std::string> negative;
    std::deque<std::string> breached;
  };
  static constexpr std::int64_t kKeepMinutes = 24 * 60;
  static constexpr size_t kKeepIds = 20;

  Bucket& BucketFor(PerWorkflow& w, TimePoint now);

  AlertThresholds thresholds_;
  mutable std::mutex mu_;
  std::map<std::string, PerWorkflow> workflows_ HITLGATE_GUARDED_BY(mu_);
};

}  // namespace hitlgate::gateway
