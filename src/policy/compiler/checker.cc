// CheckPolicy: the top-level sections (queues, defaults, groups, workflows,
// topics, phrases, audit); rules and triggers have their own files.
#include "policy/compiler/checker.h"

#include <algorithm>

#include "hitlgate/signals/phrase_matcher.h"

namespace hitlgate::policy::compiler {
namespace {

const std::vector<std::string> kOversights = {"hitl", "hotl", "hootl"};

std::optional<engine::Oversight> ReadOversight(NodeReader* r, const Node& n,
                                               std::string_view what) {
  std::optional<std::string> s = r->OneOf(n, what, kOversights);
  if (!s) return std::nullopt;
  return engine::ParseOversight(*s);
}

void CheckQueues(const Node& n, NodeReader* r, PolicyModel* m) {
  if (!r->ExpectMap(n, "queues")) return;
  r->CheckKeys(n, {}, "queues");
  for (const parser::MapEntry& e : n.entries) {
    if (!e.key.is_scalar()) continue;
    QueueModel q;
    q.name = e.key.scalar;
    q.pos = PosOf(e.key);
    const std::string where = "queue '" + q.name + "'";
    if (e.value.is_null()) {
      m->queues.push_back(std::move(q));
      continue;
    }
    if (!r->ExpectMap(e.value, where)) continue;
    r->CheckKeys(e.value, {"skills", "sla_seconds", "priority", "description"}, where);
    if (const Node* v = e.value.Find("skills")) {
      if (auto s = r->Strings(*v, "skills")) q.skills = std::move(*s);
    }
    if (const Node* v = e.value.Find("sla_seconds")) {
      if (auto i = r->IntegerIn(*v, "sla_seconds", Range{1, 604800})) q.sla_seconds = *i;
    }
    if (const Node* v = e.value.Find("priority")) {
      if (auto i = r->IntegerIn(*v, "priority", Range{1, 5})) q.priority = *i;
    }
    if (const Node* v = e.value.Find("description")) r->String(*v, "description");
    m->queues.push_back(std::move(q));
  }
}

const std::vector<std::string> kFallbacks = {"fail_closed", "fail_open", "handoff"};

std::optional<engine::DeadlineFallback> ReadFallback(NodeReader* r, const Node& n,
                                                     std::string_view what) {
  std::optional<std::string> s = r->OneOf(n, what, kFallbacks);
  if (!s) return std::nullopt;
  return engine::ParseDeadlineFallback(*s);
}

// `deadline:` under defaults or a workflow: the fallback when an agent's
// deadline_ms passes on a hold, per action where it differs, and the lines
// the agent says while it waits and when it fails closed.
void CheckDeadline(const Node& n, const std::string& where, NodeReader* r, DeadlineModel* out) {
  if (!r->ExpectMap(n, where)) return;
  r->CheckKeys(n, {"fallback", "wait_message", "customer_message", "actions"}, where);
  if (const Node* v = n.Find("fallback")) out->fallback = ReadFallback(r, *v, where + ".fallback");
  if (const Node* v = n.Find("wait_message")) {
    if (auto s = r->String(*v, "wait_message")) out->wait_message = *s;
  }
  if (const Node* v = n.Find("customer_message")) {
    if (auto s = r->String(*v, "customer_message")) out->customer_message = *s;
  }
  if (const Node* v = n.Find("actions")) {
    const std::string actions = where + ".actions";
    if (!r->ExpectMap(*v, actions)) return;
    r->CheckKeys(*v, {}, actions);
    for (const parser::MapEntry& e : v->entries) {
      if (!e.key.is_scalar()) continue;
      if (e.key.scalar.empty()) {
        r->issues().Error(PosOf(e.key), "wrong_type", actions + ": empty name");
        continue;
      }
      if (auto f = ReadFallback(r, e.value, actions + "." + e.key.scalar)) {
        out->actions.push_back(DeadlineModel::ActionEntry{NameRef{e.key.scalar, PosOf(e.key)}, *f});
      }
    }
  }
}

void CheckDefaults(const Node& n, NodeReader* r, PolicyModel* m) {
  if (!r->ExpectMap(n, "defaults")) return;
  r->CheckKeys(n,
               {"oversight", "customer_messages", "queue", "hold_notice_seconds",
                "repeat_contact_window_days", "deadline"},
               "defaults");
  if (const Node* v = n.Find("deadline")) {
    CheckDeadline(*v, "defaults.deadline", r, &m->default_deadline);
  }
  if (const Node* v = n.Find("oversight")) {
    if (auto o = ReadOversight(r, *v, "oversight")) m->default_oversight = *o;
    m->default_oversight_pos = PosOf(*v);
  }
  if (const Node* v = n.Find("customer_messages")) {
    if (auto s = r->OneOf(*v, "customer_messages", {"allow", "allow_monitored"})) {
      m->customer_messages = *engine::ParseOutcome(*s);
    }
  }
  if (const Node* v = n.Find("queue")) {
    if (auto s = r->String(*v, "queue")) m->default_queue = *s;
    m->default_queue_pos = PosOf(*v);
  }
  if (const Node* v = n.Find("hold_notice_seconds")) {
    if (auto i = r->IntegerIn(*v, "hold_notice_seconds", Range{1, 86400})) {
      m->hold_notice_seconds = *i;
    }
  }
  if (const Node* v = n.Find("repeat_contact_window_days")) {
    if (auto i = r->IntegerIn(*v, "repeat_contact_window_days", Range{1, 365})) {
      m->repeat_contact_window_days = *i;
    }
  }
}

void CheckGroupKind(const Node& n, std::string_view kind, NodeReader* r,
                    std::vector<GroupModel>* out) {
  const std::string where = "groups." + std::string(kind);
  if (!r->ExpectMap(n, where)) return;
  r->CheckKeys(n, {}, where);
  for (const parser::MapEntry& e : n.entries) {
    if (!e.key.is_scalar()) continue;
    GroupModel g;
    g.name = e.key.scalar;
    if (auto names = r->Names(e.value, "group '" + g.name + "'", false)) {
      g.members = std::move(*names);
      for (const NameRef& member : g.members) {
        if (member.text.starts_with("@")) {
          r->issues().Error(
              member.pos, "wrong_type",
              "group '" + g.name + "': groups cannot contain groups ('" + member.text + "')");
        }
      }
    }
    out->push_back(std::move(g));
  }
}

void CheckGroups(const Node& n, NodeReader* r, PolicyModel* m) {
  if (!r->ExpectMap(n, "groups")) return;
  r->CheckKeys(n, {"intents", "actions"}, "groups");
  if (const Node* v = n.Find("intents")) CheckGroupKind(*v, "intents", r, &m->intent_groups);
  if (const Node* v = n.Find("actions")) CheckGroupKind(*v, "actions", r, &m->action_groups);
}

void CheckOversightMap(const Node& n, const std::string& where, NodeReader* r,
                       std::vector<OversightEntry>* out) {
  if (!r->ExpectMap(n, where)) return;
  r->CheckKeys(n, {}, where);
  for (const parser::MapEntry& e : n.entries) {
    if (!e.key.is_scalar()) continue;
    if (e.key.scalar.empty()) {
      r->issues().Error(PosOf(e.key), "wrong_type", where + ": empty name");
      continue;
    }
    if (auto o = ReadOversight(r, e.value, where + "." + e.key.scalar)) {
      out->push_back(OversightEntry{NameRef{e.key.scalar, PosOf(e.key)}, *o});
    }
  }
}

void CheckWorkflows(const Node& n, NodeReader* r, PolicyModel* m) {
  if (!r->ExpectMap(n, "workflows")) return;
  r->CheckKeys(n, {}, "workflows");
  for (const parser::MapEntry& e : n.entries) {
    if (!e.key.is_scalar()) continue;
    WorkflowModel w;
    w.name = e.key.scalar;
    w.pos = PosOf(e.key);
    const std::string where = "workflow '" + w.name + "'";
    if (w.name.find('*') != std::string::npos || w.name.starts_with("@")) {
      r->issues().Error(w.pos, "wrong_type",
                        where + ": workflow names are exact (globs belong in rule scopes)");
    }
    if (!e.value.is_null() && r->ExpectMap(e.value, where)) {
      r->CheckKeys(e.value, {"oversight", "queue", "intents", "actions", "deadline", "description"},
                   where);
      if (const Node* v = e.value.Find("oversight"))
        w.oversight = ReadOversight(r, *v, "oversight");
      if (const Node* v = e.value.Find("queue")) {
        if (auto s = r->String(*v, "queue")) w.queue = *s;
        w.queue_pos = PosOf(*v);
      }
      const std::string prefix = "workflows." + w.name;
      if (const Node* v = e.value.Find("intents")) {
        CheckOversightMap(*v, prefix + ".intents", r, &w.intents);
      }
      if (const Node* v = e.value.Find("actions")) {
        CheckOversightMap(*v, prefix + ".actions", r, &w.actions);
      }
      if (const Node* v = e.value.Find("deadline")) {
        CheckDeadline(*v, prefix + ".deadline", r, &w.deadline);
      }
      if (const Node* v = e.value.Find("description")) r->String(*v, "description");
    }
    m->workflows.push_back(std::move(w));
  }
}

void CheckPhraseSources(const Node& list, std::string_view what, NodeReader* r,
                        std::vector<PhraseSource>* out) {
  if (!r->ExpectList(list, what)) return;
  for (const Node& item : list.items) {
    if (!item.is_scalar() || item.scalar.empty()) {
      r->issues().Error(
          PosOf(item), "wrong_type",
          std::string(what) + ": expected a non-empty string, got " + item.Describe());
      continue;
    }
    out->push_back(PhraseSource{item.scalar, PosOf(item)});
  }
}

// topics: and phrases: share a shape: name -> {phrases: [...], patterns: [...]}.
void CheckCategories(const Node& n, std::string_view section, bool builtin_only, NodeReader* r,
                     std::vector<CategoryModel>* out) {
  if (!r->ExpectMap(n, section)) return;
  r->CheckKeys(n, {}, section);
  for (const parser::MapEntry& e : n.entries) {
    if (!e.key.is_scalar()) continue;
    CategoryModel c;
    c.name = e.key.scalar;
    c.pos = PosOf(e.key);
    if (builtin_only) {
      const auto& names = BuiltinCategoryNames();
      if (std::find(names.begin(), names.end(), c.name) == names.end()) {
        std::string list;
        for (const std::string& name : names) list += (list.empty() ? "" : ", ") + name;
        std::string hint = DidYouMean(c.name, names);
        if (hint.empty()) {
          hint = " (phrases: extends " + list + "; declare new topics under topics:)";
        }
        r->issues().Error(c.pos, "unknown_key", "unknown phrase category '" + c.name + "'" + hint);
        continue;
      }
    }
    const std::string where = std::string(section) + " '" + c.name + "'";
    if (!r->ExpectMap(e.value, where)) continue;
    if (builtin_only) {
      r->CheckKeys(e.value, {"phrases", "patterns", "description"}, where);
    } else {
      r->CheckKeys(e.value, {"phrases", "patterns", "intents", "description"}, where);
    }
    if (const Node* v = e.value.Find("phrases")) CheckPhraseSources(*v, "phrases", r, &c.phrases);
    if (const Node* v = e.value.Find("patterns")) {
      CheckPhraseSources(*v, "patterns", r, &c.patterns);
    }
    if (const Node* v = e.value.Find("intents"); v != nullptr && !builtin_only) {
      CheckPhraseSources(*v, "intents", r, &c.intents);
    }
    if (!builtin_only && c.phrases.empty() && c.patterns.empty() && c.intents.empty()) {
      r->issues().Error(c.pos, "missing_key",
                        where + ": needs at least one entry in phrases, patterns or intents");
    }
    out->push_back(std::move(c));
  }
}

void CheckAudit(const Node& n, NodeReader* r, PolicyModel* m) {
  if (!r->ExpectMap(n, "audit")) return;
  r->CheckKeys(n, {"sample_rate"}, "audit");
  if (const Node* v = n.Find("sample_rate")) {
    if (auto d = r->NumberIn(*v, "sample_rate", Range{0, 1})) m->audit_sample_rate = *d;
  }
}

}  // namespace

const std::vector<std::string>& BuiltinTopicNames() {
  static const std::vector<std::string>* names =
      new std::vector<std::string>{"medical", "financial", "legal"};
  return *names;
}

const std::vector<std::string>& BuiltinCategoryNames() {
  static const std::vector<std::string>* names = [] {
    auto* out = new std::vector<std::string>;
    for (const signals::PhraseCategory& c : signals::PhraseMatcher::BuiltinCategories()) {
      out->push_back(c.name);
    }
    return out;
  }();
  return *names;
}

PolicyModel CheckPolicy(const Node& root, std::string_view source, IssueList* issues) {
  PolicyModel m;
  NodeReader r(issues);
  if (!root.is_map()) {
    issues->Error(Pos{root.line > 0 ? root.line : 1, root.column > 0 ? root.column : 1},
                  "wrong_type", "policy file: expected a map, got " + root.Describe());
    return m;
  }
  r.CheckKeys(root,
              {"policy", "description", "queues", "defaults", "groups", "workflows", "topics",
               "phrases", "floors", "rules", "audit"},
              "the policy");
  if (const Node* v = r.Require(root, "policy", "the policy")) {
    if (auto s = r.String(*v, "policy")) {
      if (s->empty()) issues->Error(PosOf(*v), "wrong_type", "policy: the name must not be empty");
      m.name = *s;
    }
  }
  if (const Node* v = root.Find("description")) {
    if (auto s = r.String(*v, "description")) m.description = *s;
  }
  if (const Node* v = root.Find("queues")) CheckQueues(*v, &r, &m);
  if (const Node* v = root.Find("defaults")) CheckDefaults(*v, &r, &m);
  if (const Node* v = root.Find("groups")) CheckGroups(*v, &r, &m);
  if (const Node* v = root.Find("workflows")) CheckWorkflows(*v, &r, &m);
  if (const Node* v = root.Find("topics")) CheckCategories(*v, "topics", false, &r, &m.topics);
  if (const Node* v = root.Find("phrases")) CheckCategories(*v, "phrases", true, &r, &m.phrases);
  if (const Node* v = root.Find("floors")) CheckRuleList(*v, true, source, &r, &m);
  if (const Node* v = root.Find("rules")) CheckRuleList(*v, false, source, &r, &m);
  if (const Node* v = root.Find("audit")) CheckAudit(*v, &r, &m);
  CheckReferences(m, issues);
  return m;
}

}  // namespace hitlgate::policy::compiler
