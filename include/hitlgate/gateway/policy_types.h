// What PolicyService answers: typed values the HTTP handlers hand to
// codec/policy_json.h. Plain data, no behaviour.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hitlgate/common/clock.h"
#include "hitlgate/measure/comparison.h"
#include "hitlgate/policy/policy.h"

namespace hitlgate::gateway {

// A policy by its name and content version ("sha256:...").
struct PolicyRef {
  std::string name;
  std::string version;
};

// The checker's verdict on a policy text. version and name only when ok.
struct PolicyCheck {
  bool ok = false;
  std::string version;
  std::string name;
  std::vector<policy::Issue> issues;  // errors and warnings
};

// A saved version; issues holds its warnings (errors refuse the upload).
struct UploadedPolicy {
  std::string version;
  std::string name;
  bool active = false;
  std::vector<policy::Issue> issues;
};

struct ActivatedPolicy {
  std::string version;
};

// Shadow mode as it stands: the active policy and, when one is set, the
// candidate decided beside it since `since` and the tally so far.
struct ShadowReport {
  struct Running {
    PolicyRef policy;
    TimePoint since{};
    measure::DecisionComparison comparison;
  };
  PolicyRef active;
  std::optional<Running> shadow;
};

// A saved version (or "active") decides the recent recorded history beside
// the active policy, at most max_events of it.
struct ReplayRequest {
  std::string version;
  TimePoint from{};
  TimePoint to = TimePoint::max();
  std::int64_t max_events = 20000;
  int examples = 3;
};

struct ReplayReport {
  PolicyRef active;
  PolicyRef candidate;
  TimePoint from{};
  TimePoint to = TimePoint::max();  // max: open-ended
  std::int64_t max_events = 0;
  std::int64_t events = 0;
  std::int64_t interactions = 0;
  bool truncated = false;
  std::optional<TimePoint> first_event_at;
  std::optional<TimePoint> last_event_at;
  // The arrival rate a staffing estimate starts from; unknown for spans
  // under a minute.
  std::optional<double> events_per_hour;
  measure::DecisionComparison comparison;
};

}  // namespace hitlgate::gateway
