// CheckReferences: what one section says about another. Every queue named
// exists, every @group and topic is declared, a queue is known wherever a
// hold or handoff may need one, rule scopes name declared workflows.
#include <algorithm>

#include "policy/compiler/checker.h"
#include "policy/eval/glob.h"

namespace hitlgate::policy::compiler {
namespace {

bool Contains(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

class References {
 public:
  References(const PolicyModel& m, IssueList* issues) : m_(m), issues_(issues) {
    for (const QueueModel& q : m.queues) queues_.push_back(q.name);
    for (const GroupModel& g : m.intent_groups) intent_groups_.push_back(g.name);
    for (const GroupModel& g : m.action_groups) action_groups_.push_back(g.name);
    for (const WorkflowModel& w : m.workflows) workflows_.push_back(w.name);
    topics_ = BuiltinTopicNames();
    for (const CategoryModel& c : m.topics) topics_.push_back(c.name);
  }

  void Run() {
    Queue(m_.default_queue, m_.default_queue_pos);
    for (const DeadlineModel::ActionEntry& e : m_.default_deadline.actions) Group(e.key, false);
    for (const WorkflowModel& w : m_.workflows) Workflow(w);
    for (const CategoryModel& c : m_.topics) {
      if (Contains(BuiltinCategoryNames(), c.name)) {
        issues_->Error(
            c.pos, "duplicate_name",
            "topic '" + c.name + "' is a built-in category; extend it under phrases: instead");
      }
    }
    const std::size_t categories = BuiltinCategoryNames().size() + m_.topics.size();
    if (categories > 64 && !m_.topics.empty()) {
      issues_->Error(m_.topics.back().pos, "out_of_range",
                     "too many topics: at most " +
                         std::to_string(64 - BuiltinCategoryNames().size()) + " custom topics");
    }
    if (m_.default_oversight == engine::Oversight::kHitl && m_.default_queue.empty()) {
      issues_->Error(
          m_.default_oversight_pos, "missing_key",
          "defaults.oversight is hitl but defaults.queue is not set: holds need a queue");
    }
    for (const RuleModel& r : m_.rules) Rule(r);
  }

 private:
  void Queue(const std::string& name, Pos pos) {
    if (name.empty() || Contains(queues_, name)) return;
    issues_->Error(pos, "unknown_queue",
                   "unknown queue '" + name + "'" +
                       (queues_.empty() ? std::string(" (no queues are declared)")
                                        : DidYouMean(name, queues_)));
  }

  void Group(const NameRef& ref, bool intents) {
    if (!ref.text.starts_with("@")) return;
    const std::string name = ref.text.substr(1);
    const std::vector<std::string>& groups = intents ? intent_groups_ : action_groups_;
    if (Contains(groups, name)) return;
    issues_->Error(ref.pos, "unknown_group",
                   std::string("unknown ") + (intents ? "intent" : "action") + " group '@" + name +
                       "'" + DidYouMean(name, groups));
  }

  const WorkflowModel* FindWorkflow(std::string_view name) const {
    for (const WorkflowModel& w : m_.workflows) {
      if (w.name == name) return &w;
    }
    return nullptr;
  }

  void Workflow(const WorkflowModel& w) {
    Queue(w.queue, w.queue_pos);
    bool can_hold = w.oversight.value_or(m_.default_oversight) == engine::Oversight::kHitl;
    for (const OversightEntry& e : w.intents) {
      Group(e.key, true);
      can_hold = can_hold || e.level == engine::Oversight::kHitl;
    }
    for (const OversightEntry& e : w.actions) {
      Group(e.key, false);
      can_hold = can_hold || e.level == engine::Oversight::kHitl;
    }
    for (const DeadlineModel::ActionEntry& e : w.deadline.actions) Group(e.key, false);
    if (can_hold && w.queue.empty() && m_.default_queue.empty()) {
      issues_->Error(w.pos, "missing_key",
                     "workflow '" + w.name +
                         "' can be human-in-the-loop but has no queue, and defaults.queue is not "
                         "set");
    }
  }

  // True when a hold from `r` always finds a queue without defaults.queue.
  bool ScopeHasQueues(const RuleModel& r) const {
    if (r.workflows.empty()) return false;
    for (const NameRef& ref : r.workflows) {
      const WorkflowModel* w = eval::IsGlob(ref.text) ? nullptr : FindWorkflow(ref.text);
      if (w == nullptr || w->queue.empty()) return false;
    }
    return true;
  }

  void Rule(const RuleModel& r) {
    const std::string what = std::string(r.floor ? "floor '" : "rule '") + r.name + "'";
    Queue(r.queue, r.queue_pos);
    if (r.outcome >= engine::Outcome::kHold && r.queue.empty() && m_.default_queue.empty() &&
        !ScopeHasQueues(r)) {
      issues_->Error(r.name_pos.line > 0 ? r.name_pos : r.pos, "missing_key",
                     what + " names no queue, and defaults.queue is not set");
    }
    for (const NameRef& ref : r.workflows) {
      if (ref.text.starts_with("@")) {
        issues_->Error(
            ref.pos, "unknown_group",
            "workflows: scopes take workflow names or globs, not groups ('" + ref.text + "')");
        continue;
      }
      if (m_.workflows.empty()) continue;
      const bool any =
          std::any_of(m_.workflows.begin(), m_.workflows.end(),
                      [&](const WorkflowModel& w) { return eval::GlobMatch(ref.text, w.name); });
      if (!any) {
        issues_->Warning(ref.pos, "unknown_workflow",
                         what + " names workflow '" + ref.text +
                             "', which matches no workflow declared under workflows:" +
                             DidYouMean(ref.text, workflows_));
      }
    }
    const TriggerModel& t = r.trigger;
    switch (t.kind) {
      case TriggerKind::kConfidenceBelow:
        for (const auto& [ref, threshold] : t.per_intent) Group(ref, true);
        break;
      case TriggerKind::kIntent:
        for (const NameRef& ref : t.names) Group(ref, true);
        break;
      case TriggerKind::kAction:
        for (const NameRef& ref : t.names) Group(ref, false);
        break;
      case TriggerKind::kActionValueAbove:
        Group(t.action, false);
        break;
      case TriggerKind::kSensitiveTopic:
        for (const NameRef& ref : t.names) {
          if (!Contains(topics_, ref.text)) {
            std::string hint = DidYouMean(ref.text, topics_);
            if (hint.empty()) {
              hint =
                  " (built-in topics are medical, financial and legal; declare others under "
                  "topics:)";
            }
            issues_->Error(ref.pos, "unknown_topic", "unknown topic '" + ref.text + "'" + hint);
          }
        }
        break;
      default:
        break;
    }
  }

  const PolicyModel& m_;
  IssueList* issues_;
  std::vector<std::string> queues_, intent_groups_, action_groups_, workflows_, topics_;
};

}  // namespace

void CheckReferences(const PolicyModel& model, IssueList* issues) {
  References(model, issues).Run();
}

}  // namespace hitlgate::policy::compiler
