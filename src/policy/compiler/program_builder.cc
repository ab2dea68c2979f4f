// BuildProgram (see program_builder.h).
#include "policy/compiler/program_builder.h"

#include <cmath>
#include <functional>

#include "policy/compiler/checker.h"
#include "policy/compiler/expr_compiler.h"

namespace hitlgate::policy::compiler {
namespace {

using eval::IsGlob;

// Where a phrase or pattern of the final category list came from.
struct SourceOf {
  int category;
  bool is_pattern;
  int index;
  Pos pos;
  std::string where;
};

class Builder {
 public:
  Builder(const PolicyModel& m, IssueList* issues) : m_(m), issues_(issues) {}

  std::shared_ptr<eval::CompiledPolicy> Run() {
    p_ = std::make_shared<eval::CompiledPolicy>();
    BuildMatcher();
    for (const QueueModel& q : m_.queues) {
      p_->queues_.push_back(QueueSpec{q.name, q.skills, q.priority, q.sla_seconds});
    }
    p_->default_queue_ = QueueIndex(m_.default_queue);
    p_->default_oversight_ = m_.default_oversight;
    p_->customer_messages_ = m_.customer_messages;
    p_->hold_notice_seconds_ = m_.hold_notice_seconds;
    p_->repeat_contact_window_ = std::chrono::days(m_.repeat_contact_window_days);
    p_->audit_sample_rate_ = m_.audit_sample_rate;
    p_->audit_threshold_ = static_cast<std::uint64_t>(std::llround(m_.audit_sample_rate * 1e6));
    p_->name_ = m_.name;
    FillDeadline(m_.default_deadline, "defaults.deadline", &p_->default_deadline_);
    for (const WorkflowModel& w : m_.workflows) BuildWorkflow(w);
    for (const RuleModel& r : m_.rules) BuildRule(r);
    // Symbols interned after a workflow was registered need a slot too.
    p_->workflow_of_symbol_.resize(static_cast<std::size_t>(p_->symbols_.size()), -1);
    if (issues_->has_errors()) return nullptr;
    return std::move(p_);
  }

 private:
  // ---- phrase matcher ----

  void BuildMatcher() {
    std::vector<signals::PhraseCategory> cats = signals::PhraseMatcher::BuiltinCategories();
    std::vector<SourceOf> sources;
    auto add = [&](int ci, const CategoryModel& c, const std::string& where) {
      for (const PhraseSource& s : c.phrases) {
        sources.push_back({ci, false, static_cast<int>(cats[ci].phrases.size()), s.pos, where});
        cats[ci].phrases.push_back(s.text);
      }
      for (const PhraseSource& s : c.patterns) {
        sources.push_back({ci, true, static_cast<int>(cats[ci].patterns.size()), s.pos, where});
        cats[ci].patterns.push_back(s.text);
      }
    };
    for (const CategoryModel& c : m_.phrases) {
      for (std::size_t i = 0; i < cats.size(); ++i) {
        if (cats[i].name == c.name) add(static_cast<int>(i), c, "phrases '" + c.name + "'");
      }
    }
    for (const CategoryModel& c : m_.topics) {
      if (cats.size() >= static_cast<std::size_t>(signals::kMaxCategories)) break;
      signals::PhraseCategory cat;
      cat.name = c.name;
      cats.push_back(std::move(cat));
      add(static_cast<int>(cats.size() - 1), c, "topic '" + c.name + "'");
      for (const PhraseSource& intent : c.intents) {
        p_->intent_topics_.push_back({intent.text, std::uint64_t{1} << (cats.size() - 1)});
      }
    }
    // Topics: the built-in sensitive ones and the policy's own. Counted once:
    // BuiltinCategories() builds every language's phrase lists anew.
    const std::size_t builtin_count = signals::PhraseMatcher::BuiltinCategories().size();
    for (std::size_t i = 0; i < cats.size(); ++i) {
      const std::string& name = cats[i].name;
      const bool builtin_topic =
          i < builtin_count && (name == "medical" || name == "financial" || name == "legal");
      const bool custom = i >= builtin_count;
      if (builtin_topic || custom) {
        topics_.names.push_back(name);
        topics_.categories.push_back(static_cast<int>(i));
        p_->topic_bits_ |= std::uint64_t{1} << i;
      }
      if (name == "human_request") p_->human_request_category_ = static_cast<int>(i);
      if (name == "legal_threat") p_->legal_threat_category_ = static_cast<int>(i);
      if (name == "frustration") p_->frustration_category_ = static_cast<int>(i);
    }
    auto built = signals::PhraseMatcher::Build(std::move(cats));
    if (built) {
      p_->matcher_ = std::move(*built);
      return;
    }
    for (const signals::PatternError& e : built.error()) {
      Pos pos;
      std::string where = "a built-in phrase";
      for (const SourceOf& s : sources) {
        if (s.category == e.category && s.is_pattern == e.is_pattern && s.index == e.index) {
          pos = s.pos;
          where = s.where;
        }
      }
      issues_->Error(pos, "bad_pattern",
                     std::string(e.is_pattern ? "bad pattern in " : "bad phrase in ") + where +
                         ": " + e.message);
    }
  }

  // ---- names ----

  int QueueIndex(const std::string& name) const {
    for (std::size_t i = 0; i < m_.queues.size(); ++i) {
      if (m_.queues[i].name == name) return static_cast<int>(i);
    }
    return -1;
  }

  const GroupModel* FindGroup(const std::string& ref, bool intents) const {
    const std::vector<GroupModel>& groups = intents ? m_.intent_groups : m_.action_groups;
    for (const GroupModel& g : groups) {
      if ("@" + g.name == ref) return &g;
    }
    return nullptr;
  }

  // Adds `refs` to a table in precedence order: exact names, then members of
  // groups (exact ones), then every glob (direct or from a group).
  template <typename AddExact, typename AddGlob>
  void AddRefs(const std::vector<const NameRef*>& refs, bool intents, AddExact add_exact,
               AddGlob add_glob) {
    for (int pass = 0; pass < 3; ++pass) {
      for (std::size_t i = 0; i < refs.size(); ++i) {
        const std::string& text = refs[i]->text;
        if (text.starts_with("@")) {
          const GroupModel* g = FindGroup(text, intents);
          if (g == nullptr) continue;  // reported by the checker
          for (const NameRef& member : g->members) {
            if (pass == 1 && !IsGlob(member.text)) add_exact(i, p_->symbols_.Intern(member.text));
            if (pass == 2 && IsGlob(member.text)) add_glob(i, member.text);
          }
        } else if (pass == 0 && !IsGlob(text)) {
          add_exact(i, p_->symbols_.Intern(text));
        } else if (pass == 2 && IsGlob(text)) {
          add_glob(i, text);
        }
      }
    }
  }

  void FillSet(const std::vector<NameRef>& refs, bool intents, eval::NameSet* set) {
    std::vector<const NameRef*> ptrs;
    for (const NameRef& r : refs) ptrs.push_back(&r);
    AddRefs(
        ptrs, intents, [&](std::size_t, int id) { set->AddExact(id); },
        [&](std::size_t, const std::string& glob) { set->AddGlob(glob); });
    set->Finish();
  }

  void FillBaseline(const std::vector<OversightEntry>& entries, bool intents,
                    const std::string& prefix, eval::NameTable<eval::BaselineEntry>* table) {
    std::vector<const NameRef*> ptrs;
    for (const OversightEntry& e : entries) ptrs.push_back(&e.key);
    auto entry = [&](std::size_t i) {
      return eval::BaselineEntry{entries[i].level, prefix + entries[i].key.text};
    };
    AddRefs(
        ptrs, intents, [&](std::size_t i, int id) { table->AddExact(id, entry(i)); },
        [&](std::size_t i, const std::string& glob) { table->AddGlob(glob, entry(i)); });
    table->Finish();
  }

  void FillDeadline(const DeadlineModel& d, const std::string& prefix, eval::CompiledDeadline* out) {
    if (d.fallback) out->fallback = eval::FallbackEntry{*d.fallback, prefix + ".fallback"};
    out->wait_message = d.wait_message;
    out->customer_message = d.customer_message;
    std::vector<const NameRef*> ptrs;
    for (const DeadlineModel::ActionEntry& e : d.actions) ptrs.push_back(&e.key);
    auto entry = [&](std::size_t i) {
      return eval::FallbackEntry{d.actions[i].fallback, prefix + ".actions." + d.actions[i].key.text};
    };
    AddRefs(
        ptrs, false, [&](std::size_t i, int id) { out->actions.AddExact(id, entry(i)); },
        [&](std::size_t i, const std::string& glob) { out->actions.AddGlob(glob, entry(i)); });
    out->actions.Finish();
  }

  void BuildWorkflow(const WorkflowModel& w) {
    eval::CompiledWorkflow cw;
    cw.name = w.name;
    cw.oversight = w.oversight;
    cw.queue = QueueIndex(w.queue);
    const std::string prefix = "workflows." + w.name;
    FillBaseline(w.intents, true, prefix + ".intents.", &cw.intents);
    FillBaseline(w.actions, false, prefix + ".actions.", &cw.actions);
    FillDeadline(w.deadline, prefix + ".deadline", &cw.deadline);
    const int id = p_->symbols_.Intern(w.name);
    if (p_->workflow_of_symbol_.size() <= static_cast<std::size_t>(id)) {
      p_->workflow_of_symbol_.resize(static_cast<std::size_t>(id) + 1, -1);
    }
    if (p_->workflow_of_symbol_[id] < 0) {
      p_->workflow_of_symbol_[id] = static_cast<int>(p_->workflows_.size());
    }
    p_->workflows_.push_back(std::move(cw));
  }

  // ---- rules ----

  void BuildTrigger(const TriggerModel& t, eval::CompiledTrigger* out) {
    out->kind = t.kind;
    out->threshold = t.threshold;
    out->calibrated = t.calibrated;
    out->fire_when_missing = t.fire_when_missing;
    out->level = t.level;
    out->count = t.count;
    out->per_seconds = t.per_seconds;
    out->per = std::chrono::seconds(t.per_seconds);
    out->contacts = t.contacts;
    out->within_days = t.within_days;
    out->within = std::chrono::days(t.within_days);
    out->same_intent = t.same_intent;
    out->limits = t.limits;
    switch (t.kind) {
      case TriggerKind::kConfidenceBelow: {
        std::vector<const NameRef*> ptrs;
        for (const auto& [ref, threshold] : t.per_intent) ptrs.push_back(&ref);
        AddRefs(
            ptrs, true,
            [&](std::size_t i, int id) { out->per_intent.AddExact(id, t.per_intent[i].second); },
            [&](std::size_t i, const std::string& glob) {
              out->per_intent.AddGlob(glob, t.per_intent[i].second);
            });
        out->per_intent.Finish();
        break;
      }
      case TriggerKind::kSensitiveTopic:
        for (const NameRef& ref : t.names) {
          const int c = topics_.Find(ref.text);
          if (c < 0) continue;  // reported by the checker
          out->topic_categories.push_back(c);
          out->topic_mask |= std::uint64_t{1} << c;
        }
        break;
      case TriggerKind::kAction:
        FillSet(t.names, false, &out->names);
        break;
      case TriggerKind::kIntent:
        FillSet(t.names, true, &out->names);
        break;
      case TriggerKind::kActionValueAbove:
        FillSet({t.action}, false, &out->names);
        break;
      default:
        break;
    }
  }

  void BuildRule(const RuleModel& r) {
    eval::CompiledRule cr;
    cr.name = r.name;
    cr.floor = r.floor;
    cr.outcome = r.outcome;
    cr.events = r.events;
    cr.trigger_name = std::string(InfoFor(r.trigger.kind).name);
    cr.all_workflows = r.workflows.empty();
    if (!cr.all_workflows) {
      for (const NameRef& ref : r.workflows) {
        if (IsGlob(ref.text)) {
          cr.workflows.AddGlob(ref.text);
        } else {
          cr.workflows.AddExact(p_->symbols_.Intern(ref.text));
        }
      }
      cr.workflows.Finish();
    }
    BuildTrigger(r.trigger, &cr.trigger);
    if (r.condition) {
      cr.condition_text = r.condition->text;
      auto compiled = CompileExpr(*r.condition, r.events, topics_, &p_->code_, issues_);
      if (compiled) {
        using Constant = CompiledExpr::Constant;
        if (compiled->constant == Constant::kAlwaysFalse) {
          issues_->Error(r.condition->pos, "unreachable_rule",
                         std::string(r.floor ? "floor '" : "rule '") + r.name +
                             "' can never fire: its `if` is always false");
        } else if (compiled->constant == Constant::kNo) {
          cr.has_condition = true;
          cr.expr_begin = compiled->begin;
          cr.expr_end = compiled->end;
        }
      }
    }
    cr.queue = QueueIndex(r.queue);
    cr.skills = r.skills;
    cr.priority = r.priority;
    cr.sla_seconds = r.sla_seconds;
    p_->rules_.push_back(std::move(cr));
  }

  const PolicyModel& m_;
  IssueList* issues_;
  std::shared_ptr<eval::CompiledPolicy> p_;
  TopicTable topics_;
};

}  // namespace

std::shared_ptr<eval::CompiledPolicy> BuildProgram(const PolicyModel& model, IssueList* issues) {
  return Builder(model, issues).Run();
}

}  // namespace hitlgate::policy::compiler
