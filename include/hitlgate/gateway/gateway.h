// Gateway: the service behind the HTTP API. It turns an agent's event into a
// durable decision (engine -> store, with audit records, in one transaction),
// holds and handoffs into review tasks with their full context, reviewers'
// claims and verdicts into answers for the waiting agent, and runs the
// periodic work (lease expiry, SLA escalation, hold notices, webhooks).
//
// It is also the composition root of the services split out of it, each in
// its own header with typed results: review() (ReviewService: queues,
// claims, leases, verdicts, the task an agent waits on).
//
// It knows nothing of HTTP: every method takes the authenticated Principal
// and returns Result<...> whose error codes the API maps to status codes.
// Live updates leave through the LiveEvents interface.
//
// Thread-safe: methods may be called from any number of threads. Events of
// one interaction are decided one at a time (InteractionTurns), so conversation
// state stays in order. All collaborators must outlive the Gateway.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "hitlgate/autonomy/tracker.h"
#include "hitlgate/common/clock.h"
#include "hitlgate/common/error.h"
#include "hitlgate/common/thread_annotations.h"
#include "hitlgate/crypto/random.h"
#include "hitlgate/engine/engine.h"
#include "hitlgate/gateway/access_service.h"
#include "hitlgate/gateway/autonomy_service.h"
#include "hitlgate/gateway/live_events.h"
#include "hitlgate/gateway/metrics.h"
#include "hitlgate/gateway/policy_service.h"
#include "hitlgate/gateway/principal.h"
#include "hitlgate/gateway/receipt_service.h"
#include "hitlgate/gateway/rate_limit.h"
#include "hitlgate/gateway/review_service.h"
#include "hitlgate/gateway/supervision_service.h"
#include "hitlgate/receipts/checkpoint.h"
#include "hitlgate/receipts/signing_keys.h"
#include "hitlgate/store/id_generator.h"
#include "hitlgate/store/store.h"

namespace hitlgate::gateway {
class InteractionTurns;
}

namespace hitlgate::gateway {

struct GatewayOptions {
  Duration lease_ttl = std::chrono::minutes(2);
  // An event's own time `at` is accepted within this distance of the
  // server's clock (either side); beyond it: 400. Windows keyed on event
  // time (repeat contacts, rates) must not be movable by the agent. Zero:
  // unchecked. A retry older than this is refused too: retry sooner.
  Duration event_clock_skew = std::chrono::minutes(15);
  std::string escalation_queue = "supervisors";
  std::string holding_message =
      "Thanks for your patience: a specialist is checking this for you.";
  int max_transcript_events = 50;
  // Secret mixed into stored API key hashes (from the data folder).
  std::string key_pepper;
  // Key use is audited at most once per key per this interval (every
  // authentication failure is audited).
  Duration key_use_audit_interval = std::chrono::minutes(1);
  // Requests per key, by role (token buckets; over it: ResourceExhausted,
  // HTTP 429 with Retry-After). Default: unlimited.
  RateLimits rate_limits;
  // How many authentication failures get an audit record (the rest are
  // counted into the next record); docs/hardening.md.
  AuthFailureThrottle::Options auth_failure_audit;
  // Failed authentications per source address before that address is
  // refused (429) without a key lookup (docs/hardening.md).
  AddressFailureLimiter::Options auth_failures_per_address;
  // Audit records older than this are purged (hourly, itself audited).
  // At least 183 days (EU AI Act: six months) unless allow_short_retention.
  Duration audit_retention = std::chrono::hours(24 * 183);
  bool allow_short_retention = false;
  // Personal text (event text, task contexts, verdicts' free text) older
  // than this is erased in the same hourly run, sparing legal holds; zero
  // keeps it until the customer is erased (docs/data-protection.md).
  Duration text_retention = Duration::zero();
  // Where sampled autonomous conversations wait for auditors.
  std::string audit_queue = "audit";
  Duration audit_sample_due = std::chrono::hours(24 * 7);
  // Signs approval receipts and audit checkpoints (docs/receipts.md); must
  // outlive the Gateway. Null: no receipts, no checkpoints.
  receipts::SigningKeys* signing_keys = nullptr;
  // Signed audit checkpoints (docs/audit-format.md, "Checkpoints"), one JSON
  // file each, written by Tick into this folder (empty: none) every
  // `checkpoint_every_records` new records or, when there are new records,
  // every `checkpoint_interval`. Needs signing_keys. One node of a cluster.
  std::string checkpoint_dir;
  std::int64_t checkpoint_every_records = 1000;
  Duration checkpoint_interval = std::chrono::minutes(10);
  // Earned autonomy (docs/autonomy.md): window, targets, audit rates.
  autonomy::AutonomyConfig autonomy;
};

// What an agent gets back for one event.
struct SubmitResult {
  std::string decision_json;  // the decision, plus task_id when one was opened
  std::string task_id;
  // A retry of an event recorded before: decision_json is the recorded
  // answer, byte for byte, and nothing changed (ADR 0009).
  bool duplicate = false;
};

// One event on its way through SubmitEvent's steps: AcceptEvent, AwaitTurn,
// DecideEvent, WriteEvent (the durable write), FinishEvent. Callers carry it
// between the steps and read nothing in it.
struct PendingEvent {
  Principal who;
  engine::Event event;
  std::string body;    // as received; moved into the decision record by DecideEvent
  std::string digest;  // SHA-256 of the event's canonical JSON (ADR 0009)
  std::string turn;    // the interaction's key (InteractionKey)
  std::chrono::steady_clock::time_point started{};
  bool has_turn = false;
  bool decided = false;  // its state change must be committed or abandoned
  TimePoint now{};
  engine::Decision decision;
  engine::StateChange state_change;
  std::optional<store::Control> consumed;  // a supervisor's hold-next it used
  std::string answer;                      // what the agent is sent
  std::optional<store::DecisionRecord> record;  // moved into the write
  std::optional<store::NewTask> task;
};

class Gateway {
 public:
  Gateway(store::Store& store, engine::DecisionEngine& engine, const Clock& clock,
          store::IdGenerator& ids, crypto::RandomSource& random, LiveEvents& live,
          GatewayMetrics& metrics, GatewayOptions options);
  ~Gateway();

  // Keys, authentication, rate limits, webhooks (access_service.h).
  AccessService& access() { return access_; }

  // ---- Agents ----
  // One event in, its durable decision out (ADR 0009): checks and parses it,
  // waits for its interaction's turn, decides it from a snapshot of the
  // conversation, writes event, decision, task and audit records in one
  // transaction, and only then folds the state change into the
  // conversation. A retry of a recorded event (same workflow and event_id)
  // gets the recorded answer; one with another body, AlreadyExists naming
  // the fields that differ. Blocks until the write is durable.
  [[nodiscard]] Result<SubmitResult> SubmitEvent(const Principal& who, std::string_view event_json);

  // SubmitEvent in steps, for callers that must not block (the HTTP layer's
  // I/O threads): AcceptEvent; AwaitTurn, whose `start` runs once the turn
  // is the event's (at once, or later on the thread that ended the turn
  // before: it must not block); DecideEvent (CPU only with the in-memory
  // conversation store); WriteEvent, whose `done` runs on the store's
  // writer thread (it must not block); FinishEvent, which ends the turn and
  // must follow every AwaitTurn whatever happened in between.
  [[nodiscard]] Result<PendingEvent> AcceptEvent(const Principal& who, std::string_view event_json);
  void AwaitTurn(PendingEvent& pending, std::move_only_function<void()> start);
  void DecideEvent(PendingEvent& pending);
  void WriteEvent(PendingEvent& pending,
                  std::move_only_function<void(Result<store::RecordedDecision>)> done);
  [[nodiscard]] Result<SubmitResult> FinishEvent(PendingEvent& pending,
                                                 Result<store::RecordedDecision> written);

  // ---- Reviewers, and the held task as its agent reads it ----
  ReviewService& review() { return *review_; }


  // ---- Audit ----
  [[nodiscard]] Result<std::vector<audit::AuditRecord>> ReadAudit(const Principal& who,
                                                                  std::int64_t from_seq, int limit);

  // Approval receipts, signing keys, audit checkpoints (receipt_service.h).
  ReceiptService& receipts() { return receipts_; }

  // Earned autonomy (autonomy_service.h, docs/autonomy.md).
  AutonomyService& autonomy() { return autonomy_; }

  // ---- Periodic work (the server calls it about once a second) ----
  struct TickReport {
    int leases_expired = 0;
    int escalated = 0;
    int hold_notices = 0;
    int deadlines_passed = 0;
    std::int64_t audit_purged = 0;
    std::int64_t text_purged = 0;  // decisions and tasks whose personal text was erased
    int checkpoints_written = 0;
  };
  [[nodiscard]] Result<TickReport> Tick();

  // Sets the queue-depth gauges from the store (called when /metrics is scraped).
  [[nodiscard]] Result<void> RefreshQueueMetrics();

  // Policy versions, tests, shadow mode, replay (policy_service.h).
  PolicyService& policies() { return *policies_; }
  // Supervisors' controls and the live board (supervision_service.h).
  SupervisionService& supervision() { return *supervision_; }

  const GatewayOptions& options() const { return options_; }
  const Clock& clock() const { return clock_; }

 private:
  [[nodiscard]] Result<void> CheckEventClock(const engine::Event& event) const;
  std::string BuildTaskContext(const engine::Event& event, std::string_view event_json,
                               const engine::Decision& decision);
  // Settles the tasks whose agent deadline passed (all of them, or only
  // `task_id`) with their fallbacks, and tells the waiting agents: live
  // update, long-poll wake-up, webhook. Returns how many it settled.
  Result<int> SettleDeadlines(TimePoint now, const std::string& task_id);

  store::Store& store_;
  engine::DecisionEngine& engine_;
  const Clock& clock_;
  store::IdGenerator& ids_;
  crypto::RandomSource& random_;
  LiveEvents& live_;
  GatewayMetrics& metrics_;
  GatewayOptions options_;

  std::unique_ptr<InteractionTurns> turns_;
  std::unique_ptr<ReviewService> review_;

  AccessService access_;
  AutonomyService autonomy_;
  ReceiptService receipts_;

  std::unique_ptr<PolicyService> policies_;
  std::unique_ptr<SupervisionService> supervision_;

  std::mutex purge_mu_;
  TimePoint last_purge_ HITLGATE_GUARDED_BY(purge_mu_){};


  std::mutex notice_mu_;
  // Hold notices sent (set for the look-up every tick makes per due task,
  // queue for evicting the oldest beyond kNoticesKept).
  static constexpr size_t kNoticesKept = 10000;
  std::unordered_set<std::string> noticed_tasks_ HITLGATE_GUARDED_BY(notice_mu_);
  std::deque<std::string> notice_order_ HITLGATE_GUARDED_BY(notice_mu_);
  // Notices due up to here were announced (or are in the set above).
  TimePoint notice_watermark_ HITLGATE_GUARDED_BY(notice_mu_){};

};

}  // namespace hitlgate::gateway
