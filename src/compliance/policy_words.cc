// The policy in plain words: each workflow's baseline oversight and every
// floor and rule as a sentence, from the policy's YAML (the same parser the
// compiler uses, so what is described is what was compiled).
#include <string>

#include "hitlgate/compliance/report.h"
#include "policy/parser/yaml_tree.h"

namespace hitlgate::compliance {
namespace {

using policy::parser::Node;

std::string Oversight(std::string_view o) {
  if (o == "hitl") return "a person approves every AI proposal before the customer sees it (human in the loop)";
  if (o == "hotl") return "AI proposals go out and are watched live; supervisors can step in (human on the loop)";
  if (o == "hootl") return "AI proposals go out without routine review and are audited later by sampling (human out of the loop)";
  return "oversight '" + std::string(o) + "'";
}

std::string Outcome(std::string_view d) {
  if (d == "allow") return "the proposal goes out";
  if (d == "allow_monitored") return "the proposal goes out and is watched live";
  if (d == "hold") return "the proposal is held until a person approves, edits or rejects it";
  if (d == "handoff") return "the conversation is handed over to a person";
  if (d == "block") return "the proposal is blocked";
  return "the outcome is '" + std::string(d) + "'";
}

// A YAML value as short prose: scalars as they are, lists joined, maps as
// "key value" pairs.
std::string Value(const Node& n) {
  if (n.is_scalar()) return n.scalar;
  std::string out;
  if (n.is_sequence()) {
    for (size_t i = 0; i < n.items.size(); ++i) {
      if (i > 0) out += i + 1 == n.items.size() ? " or " : ", ";
      out += Value(n.items[i]);
    }
    return out;
  }
  if (n.is_map()) {
    for (size_t i = 0; i < n.entries.size(); ++i) {
      if (i > 0) out += ", ";
      out += n.entries[i].key.scalar + " " + Value(n.entries[i].value);
    }
    return out;
  }
  return "";
}

std::string Condition(const Node& when) {
  if (!when.is_map()) return Value(when);
  std::string out;
  for (size_t i = 0; i < when.entries.size(); ++i) {
    const std::string& key = when.entries[i].key.scalar;
    const Node& v = when.entries[i].value;
    if (i > 0) out += " and ";
    std::string words = key;
    for (char& c : words) c = c == '_' ? ' ' : c;
    if (v.is_scalar() && (v.scalar == "true" || v.scalar == "false")) {
      out += v.scalar == "true" ? "the " + words + " signal is present" : "there is no " + words;
    } else {
      out += words + " (" + Value(v) + ")";
    }
  }
  return out;
}

std::string Scalar(const Node& map, std::string_view key) {
  const Node* n = map.Find(key);
  return n != nullptr && n->is_scalar() ? n->scalar : "";
}

std::string RuleSentence(const Node& r, bool floor) {
  std::string s = (floor ? "Floor '" : "Rule '") + Scalar(r, "name") + "': ";
  if (const Node* when = r.Find("when")) s += "when " + Condition(*when) + ", ";
  const std::string decision = Scalar(r, "decision");
  const std::string oversight = Scalar(r, "oversight");
  if (!decision.empty()) {
    s += Outcome(decision);
  } else if (!oversight.empty()) {
    s += "at least: " + Oversight(oversight);
  } else {
    s += "the outcome follows the baseline";
  }
  if (const std::string q = Scalar(r, "queue"); !q.empty()) s += " (review queue '" + q + "')";
  if (const Node* w = r.Find("workflows")) s += ", in workflows " + Value(*w);
  if (const Node* e = r.Find("events")) s += ", for " + Value(*e) + " events";
  if (const std::string cond = Scalar(r, "if"); !cond.empty()) s += ", only if " + cond;
  s += ".";
  if (floor || Scalar(r, "floor") == "true") s += " Nothing relaxes it, not even earned autonomy.";
  if (const std::string d = Scalar(r, "description"); !d.empty()) s += " Why: " + d;
  return s;
}

std::string Mapping(const Node& m, std::string_view what) {
  std::string out;
  for (const auto& e : m.entries) {
    if (!out.empty()) out += "; ";
    out += (what.empty() ? std::string() : std::string(what) + " ") + e.key.scalar + ": " +
           (e.value.is_scalar() ? e.value.scalar : Value(e.value));
  }
  return out;
}

}  // namespace

Result<PolicyInWords> DescribePolicy(std::string_view yaml) {
  auto root = policy::parser::ParseYaml(yaml);
  if (!root) return InvalidArgument("policy: line " + std::to_string(root.error().line) + ": " + root.error().message);
  if (!root->is_map()) return InvalidArgument("policy: not a mapping");
  PolicyInWords p;
  p.name = Scalar(*root, "policy");
  if (const Node* d = root->Find("defaults"); d != nullptr && d->is_map()) {
    const std::string o = Scalar(*d, "oversight");
    p.defaults.push_back("Workflows the policy does not name: " + Oversight(o.empty() ? "hotl" : o) + ".");
    if (const std::string c = Scalar(*d, "customer_messages"); !c.empty()) {
      p.defaults.push_back("Customer messages: " + Outcome(c) + " unless a rule says otherwise.");
    }
    if (const std::string q = Scalar(*d, "queue"); !q.empty()) {
      p.defaults.push_back("Holds no rule routes go to the '" + q + "' queue.");
    }
    if (const std::string h = Scalar(*d, "hold_notice_seconds"); !h.empty()) {
      p.defaults.push_back("A customer waiting " + h + " s on a hold is told a person is checking.");
    }
  }
  if (const Node* a = root->Find("audit"); a != nullptr && a->is_map()) {
    if (const std::string r = Scalar(*a, "sample_rate"); !r.empty()) {
      p.defaults.push_back("Share of autonomous conversations sampled for an auditor's review: " + r + ".");
    }
  }
  if (const Node* ws = root->Find("workflows"); ws != nullptr && ws->is_map()) {
    for (const auto& w : ws->entries) {
      std::string s = "Workflow '" + w.key.scalar + "': " +
                      Oversight(Scalar(w.value, "oversight").empty() ? "hotl" : Scalar(w.value, "oversight"));
      if (const Node* i = w.value.Find("intents"); i != nullptr && i->is_map()) s += ". By intent: " + Mapping(*i, "");
      if (const Node* a = w.value.Find("actions"); a != nullptr && a->is_map()) s += ". By action: " + Mapping(*a, "");
      if (const std::string q = Scalar(w.value, "queue"); !q.empty()) s += ". Its holds go to '" + q + "'";
      p.workflows.push_back(s + ".");
    }
  }
  if (const Node* fs = root->Find("floors"); fs != nullptr && fs->is_sequence()) {
    for (const Node& f : fs->items) p.floors.push_back(RuleSentence(f, true));
  }
  if (const Node* rs = root->Find("rules"); rs != nullptr && rs->is_sequence()) {
    for (const Node& r : rs->items) {
      (Scalar(r, "floor") == "true" ? p.floors : p.rules).push_back(RuleSentence(r, Scalar(r, "floor") == "true"));
    }
  }
  if (const Node* qs = root->Find("queues"); qs != nullptr && qs->is_map()) {
    for (const auto& q : qs->entries) {
      std::string s = "Queue '" + q.key.scalar + "'";
      if (const Node* sk = q.value.Find("skills"); sk != nullptr && !sk->items.empty()) s += ", skills " + Value(*sk);
      if (const std::string sla = Scalar(q.value, "sla_seconds"); !sla.empty()) {
        s += ": escalates to supervisors after " + sla + " s";
      }
      p.queues.push_back(s + ".");
    }
  }
  return p;
}

}  // namespace hitlgate::compliance
