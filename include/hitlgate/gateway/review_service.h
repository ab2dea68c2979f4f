// ReviewService: what reviewers, supervisors and auditors do with tasks
// (queues, lists, claims under leases, renewals, releases, verdicts), the
// whole record of an interaction, and a held task as its waiting agent reads
// it. Typed values in and out; the HTTP handlers write them with
// hitlgate/codec/review_json.h.
//
// Thread-safe: it keeps no state of its own; the store serialises claims.
// The Gateway constructs it and wires the hooks into the pieces it still
// owns (agent deadlines, approval receipts).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "hitlgate/common/clock.h"
#include "hitlgate/common/error.h"
#include "hitlgate/engine/engine.h"
#include "hitlgate/gateway/metrics.h"
#include "hitlgate/gateway/principal.h"
#include "hitlgate/gateway/review_types.h"
#include "hitlgate/store/store.h"

namespace hitlgate::gateway {

class LiveEvents;
struct GatewayOptions;

// What the review side needs from the rest of the gateway.
struct ReviewHooks {
  // Settles the tasks whose agent deadline passed (only `task_id`), telling
  // the waiting agents; returns how many it settled.
  std::function<Result<int>(TimePoint now, const std::string& task_id)> settle_deadlines;
  // Signs the approval receipt a verdict earns (none for most verdicts),
  // adding its audit record to `options`: called before the verdict's
  // transaction, which writes it.
  std::function<Result<std::optional<std::string>>(const Principal& who, const store::Task& task,
                                                   const store::Verdict& verdict, TimePoint now,
                                                   store::VerdictOptions* options)>
      prepare_receipt;
  // The verdict committed: the receipt may be served from memory.
  std::function<void(const std::string& task_id, const std::string& receipt_json)> remember_receipt;
  // The task's approval receipt (JSON), when it has one.
  std::function<std::optional<std::string>(const store::Task& task)> receipt_for;
};

class ReviewService {
 public:
  ReviewService(store::Store& store, const engine::DecisionEngine& engine, const Clock& clock,
                const GatewayOptions& options, LiveEvents& live, GatewayMetrics& metrics,
                ReviewHooks hooks);

  // The policy's queues, the escalation and audit queues, with their open
  // counts and whether this key may work each.
  [[nodiscard]] Result<std::vector<QueueSummary>> Queues(const Principal& who);
  // In the order a reviewer works them: most urgent, then earliest deadline.
  [[nodiscard]] Result<std::vector<TaskListEntry>> Tasks(const Principal& who, const store::TaskFilter& filter);
  // With its transcript and the customer's recent contacts.
  [[nodiscard]] Result<ReviewerTask> Task(const Principal& who, const std::string& task_id);
  // The next task this key qualifies for (of `queues`, or any), claimed.
  // Only supervisors work the escalation queue, and auditors only the audit
  // queue. NotFound when none is waiting.
  [[nodiscard]] Result<ReviewerTask> ClaimNext(const Principal& who, const std::vector<std::string>& queues);
  [[nodiscard]] Result<ReviewerTask> Claim(const Principal& who, const std::string& task_id);
  // Aborted unless `lease_id` is this key's live lease on the task.
  [[nodiscard]] Result<store::Task> RenewLease(const Principal& who, const std::string& task_id,
                                               const std::string& lease_id);
  [[nodiscard]] Result<store::Task> Release(const Principal& who, const std::string& task_id,
                                            const std::string& lease_id);
  // Answers the task (under this key's lease, or a supervisor's override)
  // and wakes its agent; the answered task.
  [[nodiscard]] Result<store::Task> SubmitVerdict(const Principal& who, const std::string& task_id,
                                                  const VerdictRequest& verdict);
  // Interaction ids are unique within a workflow only: `workflow`, when
  // given, keeps that workflow's events and tasks (NotFound when it has none).
  [[nodiscard]] Result<store::InteractionRecord> Interaction(const Principal& who,
                                                             const std::string& interaction_id,
                                                             const std::string& workflow = "");
  // The task as the waiting agent sees it; a read at or past the agent's
  // deadline settles it with its fallback first. NotFound; PermissionDenied
  // for another workflow's task.
  [[nodiscard]] Result<AgentTaskView> AgentTask(const Principal& who, const std::string& task_id);

  // The view of `task` its agent (or a webhook) is sent at `now`.
  AgentTaskView AgentView(store::Task task, TimePoint now, std::optional<std::string> receipt_json) const;

 private:
  store::ClaimRequest ClaimRequestFor(const Principal& who) const;
  bool CanWorkTask(const Principal& who, const store::Task& task) const;
  // `with_contacts`: also read the customer's recent contacts.
  Result<ReviewerTask> ViewForReviewer(const Principal& who, store::Task task, bool with_contacts);

  store::Store& store_;
  const engine::DecisionEngine& engine_;
  const Clock& clock_;
  const GatewayOptions& options_;
  LiveEvents& live_;
  GatewayMetrics& metrics_;
  ReviewHooks hooks_;
};

}  // namespace hitlgate::gateway
