// CheckRuleList: floors: and rules: entries (name, scope, when/if, decision,
// route). Triggers are checked in trigger_checker.cc.
#include <algorithm>

#include "policy/compiler/checker.h"
#include "policy/eval/compiled_policy.h"

namespace hitlgate::policy::compiler {
namespace {

std::string EventNames(std::uint8_t mask) {
  if (mask == kOnBoth) return "customer_message and ai_proposal";
  return mask == kOnProposal ? "ai_proposal" : "customer_message";
}

void CheckEvents(const Node& n, NodeReader* r, std::uint8_t* given) {
  auto names = r->Names(n, "events", true);
  if (!names) return;
  const std::vector<std::string> choices = {"customer_message", "ai_proposal"};
  for (const NameRef& name : *names) {
    if (name.text == "customer_message") {
      *given |= kOnCustomerMessage;
    } else if (name.text == "ai_proposal") {
      *given |= kOnProposal;
    } else if (name.text == "interaction_closed") {
      r->issues().Error(name.pos, "wrong_type",
                        "events: rules do not apply to interaction_closed events");
    } else {
      r->issues().Error(name.pos, "wrong_type",
                        "events: expected customer_message or ai_proposal, got '" + name.text +
                            "'" + DidYouMean(name.text, choices));
    }
  }
}

void CheckDecision(const Node& map, bool floor, const std::string& where, NodeReader* r,
                   RuleModel* rule) {
  const Node* decision = map.Find("decision");
  const Node* oversight = floor ? map.Find("oversight") : nullptr;
  if (decision != nullptr && oversight != nullptr) {
    r->issues().Error(PosOf(*oversight), "wrong_type",
                      where + ": give either decision or oversight, not both");
    return;
  }
  if (oversight != nullptr) {
    auto s = r->OneOf(*oversight, "oversight", {"hitl", "hotl", "hootl"});
    if (!s) return;
    if (*s == "hootl") {
      r->issues().Error(PosOf(*oversight), "rule_decision_allow",
                        where + ": oversight hootl relaxes nothing; a floor must be hitl or hotl");
      return;
    }
    rule->outcome = engine::OutcomeForOversight(*engine::ParseOversight(*s));
    return;
  }
  if (decision == nullptr) {
    r->issues().Error(rule->pos, "missing_key",
                      where + ": missing required key '" +
                          std::string(floor ? "oversight' or 'decision'" : "decision'"));
    return;
  }
  if (decision->is_scalar() && decision->scalar == "allow") {
    r->issues().Error(PosOf(*decision), "rule_decision_allow",
                      where +
                          ": decision allow is not allowed: rules only tighten (use "
                          "allow_monitored, hold, handoff or block)");
    return;
  }
  auto s = r->OneOf(*decision, "decision", {"allow_monitored", "hold", "handoff", "block"});
  if (s) rule->outcome = *engine::ParseOutcome(*s);
}

void CheckRule(const Node& item, bool floor, std::string_view source, NodeReader* r,
               PolicyModel* m) {
  RuleModel rule;
  rule.floor = floor;
  rule.pos = PosOf(item);
  const char* kind = floor ? "floor" : "rule";
  if (!r->ExpectMap(item, kind)) return;
  std::vector<std::string> keys = {"name",   "description", "workflows",  "events",
                                   "when",   "if",          "decision",   "queue",
                                   "skills", "priority",    "sla_seconds"};
  if (floor) keys.push_back("oversight");
  const Node* name = item.Find("name");
  std::string where = std::string(kind);
  if (name != nullptr && name->is_scalar()) where += " '" + name->scalar + "'";
  r->CheckKeys(item, keys, where);

  if (r->Require(item, "name", where) != nullptr) {
    if (auto s = r->String(*name, "name")) {
      rule.name = *s;
      rule.name_pos = PosOf(*name);
      if (s->empty()) {
        r->issues().Error(rule.name_pos, "wrong_type", where + ": the name must not be empty");
      }
      const bool taken = std::any_of(m->rules.begin(), m->rules.end(),
                                     [&](const RuleModel& o) { return o.name == *s; });
      if (taken && !s->empty()) {
        r->issues().Error(rule.name_pos, "duplicate_name",
                          "duplicate rule name '" + *s + "' (rule and floor names are unique)");
      }
    }
  }
  if (const Node* v = item.Find("description")) {
    if (auto s = r->String(*v, "description")) rule.description = *s;
  }
  if (const Node* v = item.Find("workflows")) {
    if (auto names = r->Names(*v, "workflows", true)) rule.workflows = std::move(*names);
  }
  std::uint8_t given_events = 0;
  const Node* events = item.Find("events");
  if (events != nullptr) CheckEvents(*events, r, &given_events);

  const Node* when = item.Find("when");
  const Node* cond = item.Find("if");
  if (when == nullptr && cond == nullptr) {
    r->issues().Error(rule.pos, "missing_key", where + ": needs `when` (a trigger), `if`, or both");
  }
  bool trigger_ok = true;
  if (when != nullptr) {
    if (!r->ExpectMap(*when, "when")) {
      trigger_ok = false;
    } else if (when->entries.size() != 1) {
      r->issues().Error(PosOf(*when), "multiple_triggers",
                        where + ": `when` takes exactly one trigger, got " +
                            std::to_string(when->entries.size()) + " (combine triggers with `if`)");
      trigger_ok = false;
    } else {
      CheckTrigger(when->entries[0], r, &rule.trigger);
    }
  }
  if (cond != nullptr) {
    if (cond->is_scalar() && !cond->scalar.empty()) {
      rule.condition = ExprSourceOf(*cond, source);
    } else {
      r->issues().Error(PosOf(*cond), "wrong_type",
                        "if: expected an expression, got " + cond->Describe());
    }
  }

  // Which events the rule can see: those the trigger applies to, narrowed by
  // `events:`. An empty intersection is a rule that can never fire.
  const TriggerInfo& info = InfoFor(rule.trigger.kind);
  rule.events = info.applies_to;
  if (given_events != 0) {
    rule.events = given_events & info.applies_to;
    if (rule.events == 0 && trigger_ok) {
      r->issues().Error(PosOf(*events), "unreachable_rule",
                        where + " can never fire: trigger " + std::string(info.name) +
                            " applies only to " + EventNames(info.applies_to) +
                            " events, but the rule is scoped to " + EventNames(given_events));
      rule.events = given_events;
    }
  }

  CheckDecision(item, floor, where, r, &rule);
  if (const Node* v = item.Find("queue")) {
    if (auto s = r->String(*v, "queue")) rule.queue = *s;
    rule.queue_pos = PosOf(*v);
  }
  if (const Node* v = item.Find("skills")) rule.skills = r->Strings(*v, "skills");
  if (const Node* v = item.Find("priority"))
    rule.priority = r->IntegerIn(*v, "priority", Range{1, 5});
  if (const Node* v = item.Find("sla_seconds")) {
    rule.sla_seconds = r->IntegerIn(*v, "sla_seconds", Range{1, 604800});
  }
  m->rules.push_back(std::move(rule));
}

}  // namespace

void CheckRuleList(const Node& list, bool floors, std::string_view source, NodeReader* reader,
                   PolicyModel* model) {
  if (list.is_null()) return;
  if (!reader->ExpectList(list, floors ? "floors" : "rules")) return;
  for (const Node& item : list.items) {
    if (model->rules.size() >= eval::kMaxRules) {
      reader->issues().Error(PosOf(item), "out_of_range",
                             "too many rules: at most " + std::to_string(eval::kMaxRules) +
                                 " floors and rules in one policy");
      return;
    }
    CheckRule(item, floors, source, reader, model);
  }
}

}  // namespace hitlgate::policy::compiler
