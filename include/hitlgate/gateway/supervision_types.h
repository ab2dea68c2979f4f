// What SupervisionService answers: typed values the HTTP handlers hand to
// codec/supervision_json.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hitlgate/common/clock.h"
#include "hitlgate/store/types.h"

namespace hitlgate::gateway {

// The target of an interaction's control (hold next turn, taken over):
// "<workflow>/<interaction id>", since interaction ids are the agents' own
// and unique within a workflow only.
std::string ControlTarget(std::string_view workflow, std::string_view interaction_id);

// The workflow a control concerns: the paused one, or the one an
// interaction control's target names (ControlTarget); "" for legal holds
// and for controls set before interactions were scoped (a bare id).
inline std::string_view ControlWorkflow(const store::Control& c) {
  switch (c.kind) {
    case store::ControlKind::kWorkflowPaused:
      return c.target;
    case store::ControlKind::kHoldNext:
    case store::ControlKind::kTakenOver: {
      const std::string_view target = c.target;
      const size_t slash = target.find('/');
      return slash == std::string_view::npos ? std::string_view() : target.substr(0, slash);
    }
    case store::ControlKind::kLegalHold:
      return {};
  }
  return {};
}

// A control set (cleared false: `control` is what is now in force) or
// cleared (only its kind and target are meaningful).
struct ControlChange {
  store::Control control;
  bool cleared = false;
};

// A workflow on the supervisors' board: seen in the last day, or paused.
struct WorkflowStatus {
  std::string name;
  bool paused = false;
  // When paused: by whom (a key id), when, why, and the key's name when
  // the key still exists.
  std::string paused_by;
  TimePoint paused_at{};
  std::string reason;
  std::optional<std::string> paused_by_name;
};

struct WorkflowBoard {
  std::vector<WorkflowStatus> workflows;  // by name
  std::vector<store::Control> controls;   // every control in force
};

// Counts of one workflow over a window of the live board.
struct WorkflowStats {
  std::string workflow;
  std::int64_t events = 0;
  std::int64_t proposals = 0;
  std::int64_t customer_messages = 0;
  std::int64_t escalations = 0;  // hold + handoff + block
  std::int64_t holds = 0;
  std::int64_t handoffs = 0;
  std::int64_t blocks = 0;
  std::int64_t monitored = 0;
  double sentiment_sum = 0;
  std::int64_t negative = 0;
  std::int64_t sla_breaches = 0;
  double escalation_rate() const { return events ? double(escalations) / double(events) : 0.0; }
  double avg_sentiment() const {
    return customer_messages ? sentiment_sum / double(customer_messages) : 0.0;
  }
  double negative_share() const {
    return customer_messages ? double(negative) / double(customer_messages) : 0.0;
  }
};

struct Alert {
  std::string workflow;
  std::string kind;  // escalation_rate | negative_sentiment | sla_breach
  double value = 0;
  double threshold = 0;
  std::vector<std::string> interactions;  // the conversations behind it, newest first
};

// The live board's statistics over the last `window` up to `at`.
struct LiveStatsReport {
  struct Row {
    WorkflowStats stats;
    std::int64_t open_tasks = 0;
  };
  Duration window{};
  TimePoint at{};
  std::vector<Row> workflows;
  std::vector<Alert> alerts;
};

}  // namespace hitlgate::gateway
