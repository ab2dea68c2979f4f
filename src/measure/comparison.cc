// DecisionComparison: tallies pairs of decisions (active vs. candidate).
#include "hitlgate/measure/comparison.h"

#include <algorithm>
#include <cstdio>

#include "hitlgate/codec/json_writer.h"

namespace hitlgate::measure {
namespace {

constexpr size_t kExampleTextBytes = 160;

int Index(engine::Outcome o) { return static_cast<int>(o); }

// Cuts at a UTF-8 boundary so examples stay valid text.
std::string Cut(std::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end)) + "...";
}

std::vector<std::string> FiredRules(const engine::Decision& d) {
  std::vector<std::string> rules;
  for (const engine::Reason& r : d.reasons) {
    if (r.trigger == "oversight_default") continue;
    rules.push_back(r.rule);
  }
  return rules;
}

void Tally(const engine::Decision& d, HumanVerdict verdict, PolicyTally* t) {
  ++t->events;
  ++t->by_outcome[Index(d.outcome)];
  if (IsEscalation(d.outcome)) {
    ++t->escalations;
    // A trigger counts once per decision even when several rules of that
    // kind fired, so the per-trigger figures read as "escalations caused by".
    std::array<std::string_view, 16> seen;
    size_t seen_count = 0;
    for (const engine::Reason& r : d.reasons) {
      if (!IsEscalation(r.outcome)) continue;
      std::string_view trigger = r.trigger;
      if (std::find(seen.begin(), seen.begin() + seen_count, trigger) != seen.begin() + seen_count) {
        continue;
      }
      if (seen_count < seen.size()) seen[seen_count++] = trigger;
      auto it = t->escalations_by_trigger.find(trigger);
      if (it == t->escalations_by_trigger.end()) {
        t->escalations_by_trigger.emplace(std::string(trigger), 1);
      } else {
        ++it->second;
      }
    }
  }
  const bool error = verdict == HumanVerdict::kRejected || verdict == HumanVerdict::kEdited;
  if (error) {
    if (IsDelivered(d.outcome)) {
      ++t->judged_errors_let_through;
    } else {
      ++t->judged_errors_stopped;
    }
  } else if (verdict == HumanVerdict::kApproved && IsEscalation(d.outcome)) {
    ++t->approvals_escalated;
  }
}

void WriteTally(const PolicyTally& t, codec::JsonWriter& w) {
  w.BeginObject();
  w.Field("events", t.events);
  w.Key("by_outcome").BeginObject();
  for (int i = 0; i < kOutcomeCount; ++i) {
    w.Field(engine::OutcomeName(static_cast<engine::Outcome>(i)), t.by_outcome[i]);
  }
  w.EndObject();
  w.Field("escalations", t.escalations);
  w.Key("escalation_rate").Number(t.EscalationRate(), 6);
  w.Key("escalations_by_trigger").BeginArray();
  std::vector<std::pair<std::string, std::int64_t>> triggers(t.escalations_by_trigger.begin(),
                                                             t.escalations_by_trigger.end());
  std::stable_sort(triggers.begin(), triggers.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& [trigger, count] : triggers) {
    w.BeginObject().Field("trigger", trigger).Field("count", count);
    w.Key("rate").Number(t.events == 0 ? 0.0 : double(count) / t.events, 6);
    w.EndObject();
  }
  w.EndArray();
  w.Field("judged_errors_let_through", t.judged_errors_let_through);
  w.Field("judged_errors_stopped", t.judged_errors_stopped);
  w.Field("approvals_escalated", t.approvals_escalated);
  w.EndObject();
}

void AppendF(std::string* out, const char* format, auto... args) {
  char buf[512];
  int n = std::snprintf(buf, sizeof buf, format, args...);
  if (n > 0) out->append(buf, std::min<size_t>(n, sizeof buf - 1));
}

}  // namespace

std::string_view HumanVerdictName(HumanVerdict v) {
  switch (v) {
    case HumanVerdict::kNone: return "none";
    case HumanVerdict::kApproved: return "approved";
    case HumanVerdict::kEdited: return "edited";
    case HumanVerdict::kRejected: return "rejected";
    case HumanVerdict::kTakenOver: return "taken_over";
  }
  return "none";
}

std::optional<HumanVerdict> ParseHumanVerdict(std::string_view name) {
  if (name == "approved") return HumanVerdict::kApproved;
  if (name == "edited") return HumanVerdict::kEdited;
  if (name == "rejected") return HumanVerdict::kRejected;
  if (name == "taken_over") return HumanVerdict::kTakenOver;
  return std::nullopt;
}

bool IsEscalation(engine::Outcome o) {
  return o == engine::Outcome::kHold || o == engine::Outcome::kHandoff;
}

bool IsDelivered(engine::Outcome o) {
  return o == engine::Outcome::kAllow || o == engine::Outcome::kAllowMonitored;
}

void DecisionComparison::Add(const engine::Event& event, const engine::Decision& active,
                             const engine::Decision& candidate, HumanVerdict verdict) {
  ++events_;
  ++changes_[Index(active.outcome)][Index(candidate.outcome)];
  if (verdict != HumanVerdict::kNone) {
    ++judged_;
    ++verdicts_[static_cast<int>(verdict)];
  }
  Tally(active, verdict, &active_);
  Tally(candidate, verdict, &candidate_);
  if (active.outcome == candidate.outcome) return;
  ++changed_;
  auto& list = examples_[{active.outcome, candidate.outcome}];
  if (static_cast<int>(list.size()) >= max_examples_) return;
  ChangeExample ex;
  ex.interaction_id = event.interaction_id;
  ex.event_index = active.event_index;
  ex.event_type = std::string(engine::EventTypeName(event.type));
  ex.text = Cut(event.text, kExampleTextBytes);
  if (event.action) ex.action = event.action->name;
  ex.active_rules = FiredRules(active);
  ex.candidate_rules = FiredRules(candidate);
  ex.verdict = verdict;
  list.push_back(std::move(ex));
}

std::string DecisionComparison::ToJson() const {
  codec::JsonWriter w;
  w.BeginObject();
  w.Field("events", events_);
  w.Field("changed", changed_);
  w.Key("changed_rate").Number(events_ == 0 ? 0.0 : double(changed_) / events_, 6);
  w.Key("changes").BeginArray();
  for (int from = 0; from < kOutcomeCount; ++from) {
    for (int to = 0; to < kOutcomeCount; ++to) {
      if (from == to || changes_[from][to] == 0) continue;
      w.BeginObject()
          .Field("from", engine::OutcomeName(static_cast<engine::Outcome>(from)))
          .Field("to", engine::OutcomeName(static_cast<engine::Outcome>(to)))
          .Field("count", changes_[from][to])
          .EndObject();
    }
  }
  w.EndArray();
  w.Key("active");
  WriteTally(active_, w);
  w.Key("candidate");
  WriteTally(candidate_, w);
  w.Key("judged").BeginObject();
  w.Field("events", judged_);
  for (int v = 1; v < 5; ++v) {
    w.Field(HumanVerdictName(static_cast<HumanVerdict>(v)), verdicts_[v]);
  }
  w.EndObject();
  w.Key("examples").BeginArray();
  for (const auto& [pair, list] : examples_) {
    for (const ChangeExample& ex : list) {
      w.BeginObject()
          .Field("from", engine::OutcomeName(pair.first))
          .Field("to", engine::OutcomeName(pair.second))
          .Field("interaction_id", ex.interaction_id)
          .Field("event_index", ex.event_index)
          .Field("type", ex.event_type)
          .Field("text", ex.text);
      if (!ex.action.empty()) w.Field("action", ex.action);
      w.Key("active_rules").Strings(ex.active_rules);
      w.Key("candidate_rules").Strings(ex.candidate_rules);
      if (ex.verdict != HumanVerdict::kNone) w.Field("human_verdict", HumanVerdictName(ex.verdict));
      w.EndObject();
    }
  }
  w.EndArray();
  w.EndObject();
  return w.Take();
}

std::string DecisionComparison::ToText(std::string_view active_name,
                                       std::string_view candidate_name) const {
  std::string out;
  const std::string a(active_name), c(candidate_name);
  AppendF(&out, "events replayed: %lld; decisions that change: %lld (%.2f%%)\n",
          static_cast<long long>(events_), static_cast<long long>(changed_),
          events_ == 0 ? 0.0 : 100.0 * changed_ / events_);
  if (changed_ > 0) {
    out += "\nchanges (active -> candidate):\n";
    for (int from = 0; from < kOutcomeCount; ++from) {
      for (int to = 0; to < kOutcomeCount; ++to) {
        if (from == to || changes_[from][to] == 0) continue;
        AppendF(&out, "  %-16s -> %-16s %10lld\n",
                std::string(engine::OutcomeName(static_cast<engine::Outcome>(from))).c_str(),
                std::string(engine::OutcomeName(static_cast<engine::Outcome>(to))).c_str(),
                static_cast<long long>(changes_[from][to]));
      }
    }
  }
  AppendF(&out, "\n%-28s %16s %16s\n", "", "active", "candidate");
  AppendF(&out, "%-28s %15.2f%% %15.2f%%\n", "escalation rate", 100.0 * active_.EscalationRate(),
          100.0 * candidate_.EscalationRate());
  for (int i = 0; i < kOutcomeCount; ++i) {
    AppendF(&out, "  %-26s %16lld %16lld\n",
            std::string(engine::OutcomeName(static_cast<engine::Outcome>(i))).c_str(),
            static_cast<long long>(active_.by_outcome[i]),
            static_cast<long long>(candidate_.by_outcome[i]));
  }
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> triggers;
  for (const auto& [t, n] : active_.escalations_by_trigger) triggers[t].first = n;
  for (const auto& [t, n] : candidate_.escalations_by_trigger) triggers[t].second = n;
  if (!triggers.empty()) out += "escalations by trigger:\n";
  for (const auto& [t, n] : triggers) {
    AppendF(&out, "  %-26s %9lld %5.2f%% %9lld %5.2f%%\n", t.c_str(),
            static_cast<long long>(n.first), events_ == 0 ? 0.0 : 100.0 * n.first / events_,
            static_cast<long long>(n.second), events_ == 0 ? 0.0 : 100.0 * n.second / events_);
  }
  if (judged_ > 0) {
    AppendF(&out, "\nevents a person judged: %lld (approved %lld, edited %lld, rejected %lld, taken over %lld)\n",
            static_cast<long long>(judged_), static_cast<long long>(verdicts_[1]),
            static_cast<long long>(verdicts_[2]), static_cast<long long>(verdicts_[3]),
            static_cast<long long>(verdicts_[4]));
    AppendF(&out, "%-28s %16lld %16lld\n", "errors let through",
            static_cast<long long>(active_.judged_errors_let_through),
            static_cast<long long>(candidate_.judged_errors_let_through));
    AppendF(&out, "%-28s %16lld %16lld\n", "errors stopped",
            static_cast<long long>(active_.judged_errors_stopped),
            static_cast<long long>(candidate_.judged_errors_stopped));
    AppendF(&out, "%-28s %16lld %16lld\n", "approvals still escalated",
            static_cast<long long>(active_.approvals_escalated),
            static_cast<long long>(candidate_.approvals_escalated));
  } else {
    out += "\nno human verdicts in the history: errors let through cannot be counted\n";
  }
  if (!examples_.empty()) out += "\nexamples:\n";
  for (const auto& [pair, list] : examples_) {
    for (const ChangeExample& ex : list) {
      AppendF(&out, "  %s -> %s  %s#%lld %s%s%s: %s\n",
              std::string(engine::OutcomeName(pair.first)).c_str(),
              std::string(engine::OutcomeName(pair.second)).c_str(), ex.interaction_id.c_str(),
              static_cast<long long>(ex.event_index), ex.event_type.c_str(),
              ex.action.empty() ? "" : " action=", ex.action.c_str(), ex.text.c_str());
      std::string rules;
      for (const auto& r : ex.candidate_rules) rules += (rules.empty() ? "" : ", ") + r;
      std::string arules;
      for (const auto& r : ex.active_rules) arules += (arules.empty() ? "" : ", ") + r;
      AppendF(&out, "      %s: [%s]  %s: [%s]\n", a.c_str(), arules.c_str(), c.c_str(), rules.c_str());
    }
  }
  return out;
}

}  // namespace hitlgate::measure
