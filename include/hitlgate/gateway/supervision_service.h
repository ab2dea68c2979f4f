// SupervisionService: supervisors' interventions (pause a workflow, hold an
// interaction's next AI turn, take a conversation over and hand it back),
// the mirror of the controls in force that the event path applies, and the
// live board's statistics and alerts. Gateway owns it
// (Gateway::supervision()); the event path calls ApplyControls and
// RecordDecision, the tick RefreshControls and RecordSlaBreach.
//
// Thread-safe. Every method that takes a Principal checks its permission
// and, for an interaction or workflow, that the key covers the workflow.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "hitlgate/common/clock.h"
#include "hitlgate/common/error.h"
#include "hitlgate/common/thread_annotations.h"
#include "hitlgate/engine/engine.h"
#include "hitlgate/gateway/principal.h"
#include "hitlgate/gateway/supervision_types.h"
#include "hitlgate/store/store.h"

namespace hitlgate::gateway {

class LiveEvents;
class LiveStats;

class SupervisionService {
 public:
  // `engine`: its policy's queues route what a control holds;
  // `escalation_queue`: where a held proposal goes when no rule routed it.
  SupervisionService(store::Store& store, const engine::DecisionEngine& engine, const Clock& clock,
                     LiveEvents& live, std::string escalation_queue);
  ~SupervisionService();
  SupervisionService(const SupervisionService&) = delete;
  SupervisionService& operator=(const SupervisionService&) = delete;

  // Workflows seen in the last day or paused, with their pause state, and
  // every control in force.
  [[nodiscard]] Result<WorkflowBoard> Workflows(const Principal& who);
  // Every AI proposal of the workflow is held until it is resumed. Audited.
  // Controls are set only on workflows the active policy declares (else
  // InvalidArgument naming it); they are cleared on any.
  [[nodiscard]] Result<ControlChange> PauseWorkflow(const Principal& who,
                                                    const std::string& workflow,
                                                    const std::string& reason);
  // NotFound when it is not paused.
  [[nodiscard]] Result<ControlChange> ResumeWorkflow(const Principal& who,
                                                     const std::string& workflow);
  // Interaction ids are unique within a workflow only: `workflow` names it,
  // or, when empty, the interaction's one workflow is found in the store
  // (InvalidArgument when it has several, NotFound when it has none).
  // The interaction's next AI proposal is held for a person. Audited.
  [[nodiscard]] Result<ControlChange> HoldNextTurn(const Principal& who,
                                                   const std::string& interaction_id,
                                                   const std::string& reason,
                                                   const std::string& workflow = "");
  // A person answers the customer from now on: the AI's proposals in this
  // interaction are blocked until it is handed back. Audited.
  [[nodiscard]] Result<ControlChange> TakeOver(const Principal& who,
                                               const std::string& interaction_id,
                                               const std::string& reason,
                                               const std::string& workflow = "");
  [[nodiscard]] Result<ControlChange> HandBack(const Principal& who,
                                               const std::string& interaction_id,
                                               const std::string& workflow = "");
  // Volume, escalation rate, sentiment and SLA breaches per workflow over the
  // last `window`, the alerts they raise, and each workflow's open tasks
  // (every one counted; the store's error when it cannot count them).
  [[nodiscard]] Result<LiveStatsReport> Stats(const Principal& who, Duration window);

  // Reloads the controls in force from the store (another node may have set
  // them). Tick calls it.
  [[nodiscard]] Result<void> RefreshControls();
  // The controls in force (the mirror; legal holds included).
  std::vector<store::Control> Controls() const;

  // The event path: raises `decision` for the controls in force on this
  // event (paused workflow, hold next turn, taken over). Returns the
  // hold-next control it consumed, if any, to be cleared once the decision
  // is durable.
  std::optional<store::Control> ApplyControls(const engine::Event& event,
                                              engine::Decision* decision);
  // The event path, once the decision is durable: counts it on the board.
  void RecordDecision(const engine::Event& event, const engine::Decision& decision, TimePoint now);
  // The tick: an escalated task's SLA passed.
  void RecordSlaBreach(const std::string& workflow, const std::string& interaction_id,
                       TimePoint now);

 private:
  // Checks the caller may supervise the interaction and names its control's
  // target ("<workflow>/<interaction id>"): `workflow`, or the interaction's
  // one workflow found in the store. `to_set`: the workflow must be declared.
  Result<std::string> InteractionTarget(const Principal& who, const std::string& interaction_id,
                                        const std::string& workflow, bool to_set);
  // InvalidArgument naming `workflow` when the active policy does not declare it.
  Result<void> RequireDeclared(const std::string& workflow) const;
  Result<ControlChange> SetControl(const Principal& who, store::ControlKind kind,
                                   const std::string& target, const std::string& reason);
  Result<ControlChange> ClearControl(const Principal& who, store::ControlKind kind,
                                     const std::string& target);

  store::Store& store_;
  const engine::DecisionEngine& engine_;
  const Clock& clock_;
  LiveEvents& live_;
  const std::string escalation_queue_;

  mutable std::mutex controls_mu_;
  std::vector<store::Control> controls_ HITLGATE_GUARDED_BY(controls_mu_);  // mirror of the store's

  std::unique_ptr<LiveStats> stats_;
};

}  // namespace hitlgate::gateway
