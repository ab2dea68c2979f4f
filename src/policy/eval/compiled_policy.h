// CompiledPolicy: the Program a policy compiles to. Everything an evaluation
// needs is precomputed: symbol ids for names, per-workflow baseline tables,
// rules with their trigger parameters and the steps of their `if`. Built by
// compiler/program_builder.cc, immutable afterwards; Evaluate is thread-safe
// and allocates only the reasons and route it writes.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "hitlgate/policy/policy.h"
#include "policy/eval/name_table.h"
#include "policy/eval/step.h"
#include "policy/eval/trigger_kind.h"

namespace hitlgate::policy::eval {

// One entry of a workflow's intents: or actions: map.
struct BaselineEntry {
  engine::Oversight level = engine::Oversight::kHotl;
  std::string rule;  // "workflows.retail-bot.actions.refund"
};

// A `deadline:` section, under defaults or a workflow.
struct FallbackEntry {
  engine::DeadlineFallback fallback = engine::DeadlineFallback::kFailClosed;
  std::string rule;  // "workflows.voice-bot.deadline.actions.refund"
};
struct CompiledDeadline {
  std::optional<FallbackEntry> fallback;
  std::string wait_message;
  std::string customer_message;
  NameTable<FallbackEntry> actions;
};

struct CompiledWorkflow {
  std::string name;
  std::optional<engine::Oversight> oversight;
  int queue = -1;  // index into queues; -1: defaults.queue
  NameTable<BaselineEntry> intents;
  NameTable<BaselineEntry> actions;
  CompiledDeadline deadline;
};

struct CompiledTrigger {
  TriggerKind kind = TriggerKind::kCondition;
  // confidence_below
  double threshold = 0.0;
  NameTable<double> per_intent;
  bool calibrated = false;
  bool fire_when_missing = true;
  // sentiment_below (level), sentiment_falling (by)
  double level = 0.0;
  // message_rate_above
  int count = 0;
  Duration per{0};
  int per_seconds = 0;
  // repeat_contact
  int contacts = 0;
  int within_days = 0;
  Duration within{0};
  bool same_intent = false;
  // sensitive_topic: category bits, in the order listed
  std::vector<int> topic_categories;
  std::uint64_t topic_mask = 0;
  // action, intent, and action_value_above's action scope
  NameSet names;
  std::vector<std::pair<std::string, double>> limits;
};

// Floors plus rules in one policy (the evaluator tracks fired rules in a
// fixed-size bit set).
inline constexpr std::size_t kMaxRules = 512;

struct CompiledRule {
  std::string name;
  std::string trigger_name;    // the reason's trigger
  std::string condition_text;  // the `if`, for rules that are only a condition
  bool floor = false;
  engine::Outcome outcome = engine::Outcome::kHold;
  std::uint8_t events = 0;  // bit 1: customer_message, bit 2: ai_proposal
  bool all_workflows = true;
  NameSet workflows;
  CompiledTrigger trigger;
  bool has_condition = false;
  int expr_begin = 0;
  int expr_end = 0;
  // Route: queue -1 means the workflow's queue, then defaults.queue; skills,
  // priority and SLA default to that queue's when not given.
  int queue = -1;
  std::optional<std::vector<std::string>> skills;
  std::optional<int> priority;
  std::optional<int> sla_seconds;
};

class CompiledPolicy final : public Program {
 public:
  const std::string& name() const override { return name_; }
  const std::string& version() const override { return version_; }
  const std::string& source() const override { return source_; }
  const signals::PhraseMatcher& matcher() const override { return *matcher_; }
  std::uint64_t topic_bits() const override { return topic_bits_; }
  std::uint64_t TopicBitsForIntent(std::string_view intent) const override;  // evaluate.cc
  int human_request_category() const override { return human_request_category_; }
  int legal_threat_category() const override { return legal_threat_category_; }
  int frustration_category() const override { return frustration_category_; }
  Duration repeat_contact_window() const override { return repeat_contact_window_; }
  const std::vector<QueueSpec>& queues() const override { return queues_; }
  bool AcceptsWorkflow(std::string_view workflow) const override {
    if (workflows_.empty()) return true;
    for (const CompiledWorkflow& w : workflows_) {
      if (w.name == workflow) return true;
    }
    return false;
  }
  int hold_notice_seconds() const override { return hold_notice_seconds_; }
  double audit_sample_rate() const override { return audit_sample_rate_; }
  engine::DeadlinePlan DeadlineFor(const engine::Event& event) const override;  // evaluate.cc
  void Evaluate(const EvalInput& input, engine::Decision* out) const override;  // evaluate.cc

  // Filled by the builder.
  std::string name_;
  std::string version_;
  std::string source_;
  std::shared_ptr<const signals::PhraseMatcher> matcher_;
  std::uint64_t topic_bits_ = 0;
  // (intent name or glob, topic bit), from topics' `intents:`; a handful.
  std::vector<std::pair<std::string, std::uint64_t>> intent_topics_;
  int human_request_category_ = -1;
  int legal_threat_category_ = -1;
  int frustration_category_ = -1;
  Duration repeat_contact_window_{0};
  std::vector<QueueSpec> queues_;
  int hold_notice_seconds_ = 15;
  double audit_sample_rate_ = 0.0;
  std::uint64_t audit_threshold_ = 0;  // StableHash(id) % 1e6 below this: sampled

  engine::Oversight default_oversight_ = engine::Oversight::kHotl;
  engine::Outcome customer_messages_ = engine::Outcome::kAllow;
  int default_queue_ = -1;
  CompiledDeadline default_deadline_;
  SymbolTable symbols_;
  std::vector<int> workflow_of_symbol_;  // symbol id -> index into workflows_, or -1
  std::vector<CompiledWorkflow> workflows_;
  std::vector<CompiledRule> rules_;  // floors first
  ExprCode code_;
};

// Trigger checks (triggers.cc): Fires() is the hot path and never allocates;
// Detail() explains a fired trigger for the reason.
struct EventNames {
  int workflow = -1;  // symbol ids
  int intent = -1;
  int action = -1;
};
bool TriggerFires(const CompiledTrigger& t, const EvalContext& ctx, const EventNames& names);
std::string TriggerDetail(const CompiledTrigger& t, const EvalContext& ctx, const EventNames& names,
                          const signals::PhraseMatcher& matcher);

}  // namespace hitlgate::policy::eval
