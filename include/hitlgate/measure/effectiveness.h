// Effectiveness of oversight, computed from a gateway's Store: the figures a
// CX leader asks for (docs/measure.md).
//   * escalation rate by trigger, intent, workflow, channel, and over time;
//   * handoff context retention: share of handoffs after which the customer
//     repeated what the AI had collected (context_retention.h);
//   * resolution time after escalation (task opened -> verdict), percentiles
//     by queue;
//   * CSAT of AI-resolved, escalated and human-resolved interactions, with
//     95% confidence intervals, from "csat" audit records (RecordCsat);
//   * SLA attainment per queue, reviewer workload and agreement with the AI,
//     audit-sample findings.
//
// Two steps, so the arithmetic is testable without a store: CollectFacts
// reads the store (audit log + interactions), ComputeEffectiveness works on
// the facts. Pure apart from the store reads; thread-compatible.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "hitlgate/common/clock.h"
#include "hitlgate/common/error.h"
#include "hitlgate/engine/decision.h"
#include "hitlgate/engine/event.h"
#include "hitlgate/measure/store_history.h"
#include "hitlgate/store/store.h"
#include "hitlgate/store/types.h"

namespace hitlgate::measure {

// ---- Facts read from the store ----------------------------------------------

struct EventFact {
  std::int64_t index = 0;
  engine::EventType type = engine::EventType::kCustomerMessage;
  TimePoint at;
  std::string text;
  std::string intent;
  engine::Outcome outcome = engine::Outcome::kAllow;
  // Triggers of the reasons that asked for hold or handoff (escalated only).
  std::vector<std::string> escalation_triggers;
  std::vector<std::pair<std::string, std::string>> collected;
  // From the decision's signals: the event's language (its own tag, else
  // the detected one; "" when neither said), and for customer messages the
  // sentiment and whether it asked for a person.
  std::string language;
  double sentiment = 0;
  bool human_request = false;
};

struct TaskFact {
  std::string id;
  store::TaskKind kind = store::TaskKind::kHold;
  std::string queue;  // where it was opened (before any SLA escalation)
  TimePoint created_at;
  TimePoint due_at;
  std::int64_t event_index = -1;  // the event that opened it; -1 if unknown
  std::optional<TimePoint> answered_at;
  std::optional<store::VerdictKind> verdict;
  std::string reviewer;
  bool cancelled = false;
  bool escalated = false;
  std::optional<double> handle_seconds;  // answering reviewer's last claim -> verdict
  // Agent assist suggestions the people on it used or marked wrong (audit "assist_feedback").
  std::int64_t assist_used = 0, assist_wrong = 0;
};

struct CsatFact {
  TimePoint at;
  double score = 0;  // 1..scale
  double scale = 5;
};

struct InteractionFacts {
  std::string id;
  std::string workflow;
  std::string channel;
  std::vector<EventFact> events;  // in event order
  std::vector<TaskFact> tasks;
  std::vector<CsatFact> csat;     // the latest one counts
};

struct CollectedFacts {
  std::vector<InteractionFacts> interactions;
  std::map<std::string, std::int64_t> claims_by_reviewer;
};

// Interactions with events recorded in `range`, with their tasks, claims and
// CSAT records (read to the log's head, so later verdicts and surveys count).
[[nodiscard]] Result<CollectedFacts> CollectFacts(store::Store& store, const TimeRange& range);

// ---- CSAT intake -------------------------------------------------------------

inline constexpr std::string_view kCsatAuditKind = "csat";

// Validates a survey result and appends it as a "csat" audit record
// (subject: the interaction; payload: score, scale, source; never free text).
// InvalidArgument: scale outside 2..100 or score outside 1..scale.
// NotFound: no such interaction.
[[nodiscard]] Result<void> RecordCsat(store::Store& store, const std::string& interaction_id,
                                      double score, double scale, const std::string& source,
                                      const std::string& actor, TimePoint now);

// ---- Figures ----------------------------------------------------------------

// A share with its Wilson 95% interval.
struct Proportion {
  std::int64_t n = 0;
  std::int64_t hits = 0;
  double share = 0, low = 0, high = 0;
};
Proportion WilsonInterval(std::int64_t hits, std::int64_t n);

struct RateRow {
  std::string key;
  std::int64_t events = 0;
  std::int64_t escalations = 0;
  double rate = 0;
};

// Per language (docs/signals.md): events and their escalations as in the
// other breakdowns, holds and handoffs apart, and over the customer
// messages alone how often they asked for a person and their mean sentiment.
struct LanguageRow {
  std::string language;  // "(unknown)" when neither the event nor its text said
  std::int64_t events = 0;
  std::int64_t escalations = 0;
  std::int64_t holds = 0, handoffs = 0;
  double rate = 0;
  std::int64_t customer_messages = 0;
  std::int64_t human_requests = 0;
  double human_request_rate = 0;  // over customer messages
  double sentiment_mean = 0;      // over customer messages, in [-1, 1]
};

struct TimeBucket {
  TimePoint start;
  std::int64_t events = 0;
  std::int64_t escalations = 0;
};

struct EscalationFigures {
  std::int64_t events = 0;
  std::int64_t escalations = 0;
  double rate = 0;
  std::vector<RateRow> by_trigger;  // escalations caused by each trigger, rate over all events
  std::vector<RateRow> by_intent;   // rate over events with that intent
  std::vector<RateRow> by_workflow;
  std::vector<RateRow> by_channel;
  std::vector<LanguageRow> by_language;  // most events first
  Duration bucket{};
  std::vector<TimeBucket> over_time;
};

struct RetentionExample {
  std::string interaction_id;
  std::string kind;
  std::string what;
};

struct RetentionFigures {
  std::int64_t handoffs = 0;
  std::int64_t observable = 0;  // with at least one customer message after the handoff
  std::int64_t repeated = 0;
  Proportion share;             // repeated / observable
  std::map<std::string, std::int64_t> by_kind;
  std::vector<RetentionExample> examples;
};

struct Percentiles {
  std::int64_t count = 0;
  double mean = 0, p50 = 0, p90 = 0, p95 = 0, p99 = 0, max = 0;
};
Percentiles ComputePercentiles(std::vector<double> values);

struct ResolutionFigures {
  Percentiles all;
  std::vector<std::pair<std::string, Percentiles>> by_queue;
};

struct CsatGroup {
  std::string group;  // "ai_resolved", "escalated", "human_resolved"
  std::int64_t responses = 0;
  double mean = 0, mean_low = 0, mean_high = 0;  // on a 1..5 scale
  Proportion satisfied;  // top-two-box (4 or 5 of 5)
};

struct CsatFigures {
  std::vector<CsatGroup> groups;
  // Satisfied share, human_resolved minus ai_resolved, Newcombe 95% interval.
  double delta = 0, delta_low = 0, delta_high = 0;
  bool delta_known = false;
};

struct SlaRow {
  std::string queue;
  std::int64_t tasks = 0;     // answered, or open past due
  std::int64_t met = 0;       // answered by due_at
  std::int64_t open_overdue = 0;
  Proportion attainment;
};

struct ReviewerRow {
  std::string reviewer;
  std::int64_t claims = 0;
  std::int64_t verdicts = 0;
  std::int64_t approved = 0, edited = 0, rejected = 0, taken_over = 0;
  double mean_handle_seconds = 0;
  Proportion agreement;  // approved as is, among held proposals
};

// Agent assist (docs/assist.md): how often people take a suggestion, and
// whether tasks where one was used are handled faster.
struct AssistFigures {
  std::int64_t judgements = 0;  // used + marked wrong
  Proportion acceptance;        // used among the judgements
  Percentiles handle_with_used;     // answered tasks' handling seconds, a suggestion used
  Percentiles handle_without_used;  // answered tasks' handling seconds, none used
};

struct AuditSampleFigures {
  std::int64_t samples = 0;
  std::int64_t reviewed = 0;
  std::int64_t findings = 0;  // edited or rejected: the AI should not have acted so
};

struct EffectivenessReport {
  TimePoint from, to, as_of;
  std::int64_t interactions = 0;
  EscalationFigures escalation;
  RetentionFigures retention;
  ResolutionFigures resolution;
  CsatFigures csat;
  std::vector<SlaRow> sla;
  std::vector<ReviewerRow> reviewers;
  Proportion agreement;  // all held proposals: approved as is
  AuditSampleFigures audit_samples;
  AssistFigures assist;
};

struct EffectivenessOptions {
  TimeRange range;
  TimePoint as_of;        // "now": open tasks past due at this time count as breaches
  Duration bucket{};      // 0 = hour, day or week by the range's length
};

EffectivenessReport ComputeEffectiveness(const CollectedFacts& facts, const EffectivenessOptions& options);

// The same figures as JSON (docs/measure.md) and as a self-contained HTML
// page with inline SVG charts.
std::string EffectivenessJson(const EffectivenessReport& report);
std::string EffectivenessHtml(const EffectivenessReport& report);

}  // namespace hitlgate::measure
