// CompiledPolicy::Evaluate: baseline, then every floor and rule; the
// strictest outcome wins and every fired rule is a reason (docs/adr/0002).
#include <algorithm>
#include <bitset>

#include "policy/eval/compiled_policy.h"
#include "policy/eval/glob.h"

namespace hitlgate::policy::eval {
namespace {

using engine::EventType;
using engine::Outcome;
using engine::Oversight;

std::string_view ModelWords(Oversight o) {
  switch (o) {
    case Oversight::kHitl:
      return "human-in-the-loop";
    case Oversight::kHotl:
      return "human-on-the-loop";
    case Oversight::kHootl:
      return "human-out-of-the-loop";
  }
  return "human-in-the-loop";
}

struct Baseline {
  Oversight level;
  const BaselineEntry* action = nullptr;  // the entry that decided, if any
  const BaselineEntry* intent = nullptr;
  bool from_workflow = false;
};

engine::Reason BaselineReason(const Baseline& b, const CompiledWorkflow* wf,
                              const engine::Event& e) {
  engine::Reason r;
  r.trigger = "oversight_default";
  r.outcome = engine::OutcomeForOversight(b.level);
  const std::string words(ModelWords(b.level));
  if (b.action != nullptr) {
    r.rule = b.action->rule;
    r.detail = e.action->name + " actions in " + wf->name + " are " + words;
  } else if (b.intent != nullptr) {
    r.rule = b.intent->rule;
    r.detail = e.intent + " intents in " + wf->name + " are " + words;
  } else if (b.from_workflow) {
    r.rule = "workflows." + wf->name + ".oversight";
    r.detail = wf->name + " is " + words;
  } else {
    r.rule = "defaults.oversight";
    r.detail = "the default oversight is " + words;
  }
  return r;
}

}  // namespace

std::uint64_t CompiledPolicy::TopicBitsForIntent(std::string_view intent) const {
  std::uint64_t bits = 0;
  if (intent.empty()) return bits;
  for (const auto& [name, bit] : intent_topics_) {
    if (IsGlob(name) ? GlobMatch(name, intent) : name == intent) bits |= bit;
  }
  return bits;
}

engine::DeadlinePlan CompiledPolicy::DeadlineFor(const engine::Event& event) const {
  const int wf_symbol = symbols_.Find(event.workflow);
  const int wf_index = wf_symbol >= 0 ? workflow_of_symbol_[wf_symbol] : -1;
  const CompiledDeadline* workflow = wf_index >= 0 ? &workflows_[wf_index].deadline : nullptr;
  const int action = event.action ? symbols_.Find(event.action->name) : -1;
  // The most specific declaration wins: the workflow's entry for this
  // action, the workflow's fallback, then the same two from defaults.
  const FallbackEntry* chosen = nullptr;
  for (const CompiledDeadline* d : {workflow, &default_deadline_}) {
    if (d == nullptr || chosen != nullptr) continue;
    if (event.action) chosen = d->actions.Lookup(action, event.action->name);
    if (chosen == nullptr && d->fallback) chosen = &*d->fallback;
  }
  engine::DeadlinePlan plan;
  if (chosen != nullptr) {
    plan.fallback = chosen->fallback;
    plan.rule = chosen->rule;
  } else {
    plan.rule = "defaults.deadline.fallback";  // fail_closed, the safe side
  }
  auto line = [&](std::string CompiledDeadline::*field) {
    if (workflow != nullptr && !(workflow->*field).empty()) return workflow->*field;
    return default_deadline_.*field;
  };
  plan.wait_message = line(&CompiledDeadline::wait_message);
  plan.customer_message = line(&CompiledDeadline::customer_message);
  return plan;
}

void CompiledPolicy::Evaluate(const EvalInput& input, engine::Decision* out) const {
  const engine::Event& event = input.event;
  out->reasons.clear();
  out->route.reset();
  out->audit_sample = false;
  if (event.type == EventType::kInteractionClosed) {
    out->outcome = Outcome::kAllow;
    out->oversight = engine::OversightForOutcome(Outcome::kAllow);
    return;
  }
  const EvalContext ctx{event, input.signals, input.snapshot};
  EventNames names;
  names.workflow = symbols_.Find(event.workflow);
  if (!event.intent.empty()) names.intent = symbols_.Find(event.intent);
  if (event.action) names.action = symbols_.Find(event.action->name);
  const int wf_index = names.workflow >= 0 ? workflow_of_symbol_[names.workflow] : -1;
  const CompiledWorkflow* wf = wf_index >= 0 ? &workflows_[wf_index] : nullptr;

  // 1. Baseline.
  Outcome final_outcome;
  if (event.type == EventType::kAiProposal) {
    Baseline b{default_oversight_};
    if (wf != nullptr) {
      if (event.action) b.action = wf->actions.Lookup(names.action, event.action->name);
      if (!event.intent.empty()) b.intent = wf->intents.Lookup(names.intent, event.intent);
      if (b.action != nullptr && b.intent != nullptr) {
        // The stricter of the two; on a tie the action names what is done.
        if (b.intent->level > b.action->level) {
          b.action = nullptr;
        } else {
          b.intent = nullptr;
        }
      }
      if (b.action != nullptr) {
        b.level = b.action->level;
      } else if (b.intent != nullptr) {
        b.level = b.intent->level;
      } else if (wf->oversight) {
        b.level = *wf->oversight;
        b.from_workflow = true;
      }
    }
    std::optional<Oversight> earned =
        input.autonomy != nullptr ? input.autonomy->LevelFor(event) : std::nullopt;
    if (earned) {
      engine::Reason r;
      r.trigger = "oversight_default";
      r.rule = "earned_autonomy";
      r.outcome = engine::OutcomeForOversight(*earned);
      r.detail = "earned autonomy sets this to " + std::string(ModelWords(*earned));
      out->reasons.push_back(std::move(r));
      final_outcome = engine::OutcomeForOversight(*earned);
    } else {
      out->reasons.push_back(BaselineReason(b, wf, event));
      final_outcome = engine::OutcomeForOversight(b.level);
    }
  } else {
    engine::Reason r;
    r.trigger = "oversight_default";
    r.rule = "defaults.customer_messages";
    r.outcome = customer_messages_;
    r.detail = customer_messages_ == Outcome::kAllow ? "customer messages are allowed"
                                                     : "customer messages are monitored";
    out->reasons.push_back(std::move(r));
    final_outcome = customer_messages_;
  }

  // 2. Floors, then rules: every one that fires is a reason.
  const std::uint8_t event_bit = event.type == EventType::kCustomerMessage ? 1 : 2;
  int first_fired = -1;
  std::bitset<kMaxRules> fired;
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    const CompiledRule& rule = rules_[i];
    if ((rule.events & event_bit) == 0) continue;
    if (!rule.all_workflows && !rule.workflows.Matches(names.workflow, event.workflow)) continue;
    if (!TriggerFires(rule.trigger, ctx, names)) continue;
    if (rule.has_condition && !RunExpr(code_, rule.expr_begin, rule.expr_end, ctx)) continue;
    engine::Reason r;
    r.trigger = rule.trigger_name;
    r.rule = rule.name;
    r.outcome = rule.outcome;
    r.floor = rule.floor;
    r.detail = rule.trigger.kind == TriggerKind::kCondition
                   ? "if " + rule.condition_text
                   : TriggerDetail(rule.trigger, ctx, names, *matcher_);
    out->reasons.push_back(std::move(r));
    final_outcome = std::max(final_outcome, rule.outcome);
    if (first_fired < 0) first_fired = static_cast<int>(i);
    fired.set(i);
  }

  out->outcome = final_outcome;
  out->oversight = engine::OversightForOutcome(final_outcome);
  if (final_outcome == Outcome::kAllow) {
    out->audit_sample = engine::StableHash(event.interaction_id) % 1000000 < audit_threshold_;
  }
  if (final_outcome < Outcome::kHold) return;

  // 3. Route: the first fired rule with the final outcome names the queue;
  // skills are unioned, the most urgent priority and shortest SLA win.
  const int workflow_queue = wf != nullptr && wf->queue >= 0 ? wf->queue : default_queue_;
  engine::Route route;
  route.hold_notice_seconds = hold_notice_seconds_;
  bool named = false;
  if (first_fired >= 0) {
    for (std::size_t i = static_cast<std::size_t>(first_fired); i < rules_.size(); ++i) {
      const CompiledRule& rule = rules_[i];
      if (!fired.test(i) || rule.outcome != final_outcome) continue;
      const int q = rule.queue >= 0 ? rule.queue : workflow_queue;
      const QueueSpec* spec = q >= 0 ? &queues_[q] : nullptr;
      const std::vector<std::string>& skills =
          rule.skills ? *rule.skills : (spec ? spec->skills : std::vector<std::string>{});
      const int priority = rule.priority.value_or(spec ? spec->priority : 3);
      const int sla = rule.sla_seconds.value_or(spec ? spec->sla_seconds : 300);
      if (!named) {
        route.queue = spec ? spec->name : "";
        route.priority = priority;
        route.sla_seconds = sla;
        named = true;
      } else {
        route.priority = std::min(route.priority, priority);
        route.sla_seconds = std::min(route.sla_seconds, sla);
      }
      for (const std::string& skill : skills) {
        if (std::find(route.skills.begin(), route.skills.end(), skill) == route.skills.end()) {
          route.skills.push_back(skill);
        }
      }
    }
  }
  if (!named) {
    // The final outcome came from the baseline: the workflow's queue.
    if (workflow_queue >= 0) {
      const QueueSpec& spec = queues_[workflow_queue];
      route.queue = spec.name;
      route.skills = spec.skills;
      route.priority = spec.priority;
      route.sla_seconds = spec.sla_seconds;
    }
  }
  out->route = std::move(route);
}

}  // namespace hitlgate::policy::eval
