// Gateway: the service behind the HTTP API, and the composition root of the
// services it is made of, each in its own header with typed results:
// events() (EventService: an agent's event in, its durable decision out;
// agents' deadlines, hold notices), review() (ReviewService: queues,
// claims, leases, verdicts, the task an agent waits on), access(),
// policies(), supervision(), autonomy(), receipts(). It builds them, hands
// each what it needs, and runs the periodic work (Tick: lease expiry, SLA
// escalation, deadlines, hold notices, purges, checkpoints).
//
// It knows nothing of HTTP: every method takes the authenticated Principal
// and returns Result<...> whose error codes the API maps to status codes.
// Live updates leave through the LiveEvents interface.
//
// Thread-safe: methods may be called from any number of threads. All
// collaborators must outlive the Gateway.
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
#include "hitlgate/gateway/event_service.h"
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
  // Keys, authentication, rate limits (access_service.h): the pepper from
  // the data folder, key-use auditing, per-key and per-address limits.
  AccessOptions access;
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
  // Approval receipts and signed audit checkpoints (receipt_service.h).
  ReceiptOptions receipts;
  // Earned autonomy (docs/autonomy.md): window, targets, audit rates.
  autonomy::AutonomyConfig autonomy;
};

class Gateway {
 public:
  Gateway(store::Store& store, engine::DecisionEngine& engine, const Clock& clock,
          store::IdGenerator& ids, crypto::RandomSource& random, LiveEvents& live,
          GatewayMetrics& metrics, GatewayOptions options);
  ~Gateway();

  // Keys, authentication, rate limits, webhooks (access_service.h).
  AccessService& access() { return access_; }

  // Agents' events in, durable decisions out; agents' deadlines and hold
  // notices (event_service.h).
  EventService& events() { return *events_; }

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
  store::Store& store_;
  engine::DecisionEngine& engine_;
  const Clock& clock_;
  crypto::RandomSource& random_;
  LiveEvents& live_;
  GatewayMetrics& metrics_;
  GatewayOptions options_;

  std::unique_ptr<ReviewService> review_;

  AccessService access_;
  AutonomyService autonomy_;
  ReceiptService receipts_;

  std::unique_ptr<PolicyService> policies_;
  std::unique_ptr<SupervisionService> supervision_;
  std::unique_ptr<EventService> events_;

  std::mutex purge_mu_;
  TimePoint last_purge_ HITLGATE_GUARDED_BY(purge_mu_){};
};

}  // namespace hitlgate::gateway
