// EventService: the agents' side of the gateway. An event in, its durable
// decision out (ADR 0009): checks and parses it, waits for its
// interaction's turn, decides it from a snapshot of the conversation with
// the supervisors' controls and earned autonomy applied, writes event,
// decision, task and audit records in one transaction, and only then folds
// the state change into the conversation. Also what follows from a held
// event over time: agents' deadlines settled with their fallbacks, and hold
// notices that tell a waiting agent to show a holding message.
//
// Gateway owns it (Gateway::events()) and hands it the services the event
// path consults; the tick calls SettleDeadlines and AnnounceHoldNotices.
//
// Thread-safe: methods may be called from any number of threads. Events of
// one interaction are decided one at a time (InteractionTurns), so
// conversation state stays in order. All collaborators must outlive it.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "hitlgate/common/clock.h"
#include "hitlgate/common/error.h"
#include "hitlgate/common/thread_annotations.h"
#include "hitlgate/engine/engine.h"
#include "hitlgate/gateway/metrics.h"
#include "hitlgate/gateway/principal.h"
#include "hitlgate/store/id_generator.h"
#include "hitlgate/store/store.h"

namespace hitlgate::gateway {

class AutonomyService;
class InteractionTurns;
class LiveEvents;
class PolicyService;
class ReviewService;
class SupervisionService;
struct GatewayOptions;

// What an agent gets back for one event.
struct SubmitResult {
  std::string decision_json;  // the decision, plus task_id when one was opened
  std::string task_id;
  // A retry of an event recorded before: decision_json is the recorded
  // answer, byte for byte, and nothing changed (ADR 0009).
  bool duplicate = false;
};

// One event on its way through Submit's steps: Accept, AwaitTurn, Decide,
// Write (the durable write), Finish. Callers carry it between the steps and
// read nothing in it.
struct PendingEvent {
  Principal who;
  engine::Event event;
  std::string body;    // as received; moved into the decision record by Decide
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

// The services the event path consults, owned by the Gateway.
struct EventServiceDeps {
  AutonomyService& autonomy;        // earned levels, audit samples
  SupervisionService& supervision;  // controls in force, the live board
  PolicyService& policies;          // shadow evaluation
  ReviewService& review;            // the agent's view of a settled task
};

class EventService {
 public:
  // `options`: the clock skew allowed on an event's `at`, the audit queue
  // and its due time; it must outlive the service.
  EventService(store::Store& store, engine::DecisionEngine& engine, const Clock& clock,
               store::IdGenerator& ids, LiveEvents& live, GatewayMetrics& metrics,
               const GatewayOptions& options, EventServiceDeps deps);
  ~EventService();
  EventService(const EventService&) = delete;
  EventService& operator=(const EventService&) = delete;

  // One event in, its durable decision out. A retry of a recorded event
  // (same workflow and event_id) gets the recorded answer; one with another
  // body, AlreadyExists naming the fields that differ. Blocks until the
  // write is durable.
  [[nodiscard]] Result<SubmitResult> Submit(const Principal& who, std::string_view event_json);

  // Submit in steps, for callers that must not block (the HTTP layer's I/O
  // threads): Accept; AwaitTurn, whose `start` runs once the turn is the
  // event's (at once, or later on the thread that ended the turn before: it
  // must not block); Decide (CPU only with the in-memory conversation
  // store); Write, whose `done` runs on the store's writer thread (it must
  // not block); Finish, which ends the turn and must follow every AwaitTurn
  // whatever happened in between.
  [[nodiscard]] Result<PendingEvent> Accept(const Principal& who, std::string_view event_json);
  void AwaitTurn(PendingEvent& pending, std::move_only_function<void()> start);
  void Decide(PendingEvent& pending);
  void Write(PendingEvent& pending, std::move_only_function<void(Result<store::RecordedDecision>)> done);
  [[nodiscard]] Result<SubmitResult> Finish(PendingEvent& pending, Result<store::RecordedDecision> written);

  // Settles the tasks whose agent deadline passed (all of them, or only
  // `task_id`) with their fallbacks, and tells the waiting agents: live
  // update, long-poll wake-up, webhook. Returns how many it settled.
  [[nodiscard]] Result<int> SettleDeadlines(TimePoint now, const std::string& task_id);
  // Wakes the agents' long-polls once for each hold notice that fell due
  // since the last call (from the start of time on the first: a restart
  // announces what is due). Returns how many it announced.
  [[nodiscard]] Result<int> AnnounceHoldNotices(TimePoint now);

 private:
  [[nodiscard]] Result<void> CheckEventClock(const engine::Event& event) const;
  std::string BuildTaskContext(const engine::Event& event, std::string_view event_json,
                               const engine::Decision& decision);

  store::Store& store_;
  engine::DecisionEngine& engine_;
  const Clock& clock_;
  store::IdGenerator& ids_;
  LiveEvents& live_;
  GatewayMetrics& metrics_;
  const GatewayOptions& options_;
  AutonomyService& autonomy_;
  SupervisionService& supervision_;
  PolicyService& policies_;
  ReviewService& review_;

  std::unique_ptr<InteractionTurns> turns_;

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
