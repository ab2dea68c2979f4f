// ComputeEffectiveness: the figures of effectiveness.h from collected facts.
#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "hitlgate/measure/context_retention.h"
#include "hitlgate/measure/effectiveness.h"

namespace hitlgate::measure {
namespace {

constexpr double kZ95 = 1.959963984540054;
constexpr size_t kRetentionExamples = 10;

bool Escalated(engine::Outcome o) {
  return o == engine::Outcome::kHold || o == engine::Outcome::kHandoff;
}

std::vector<RateRow> Rows(const std::map<std::string, std::pair<std::int64_t, std::int64_t>>& counts,
                          std::int64_t fixed_denominator = 0) {
  std::vector<RateRow> rows;
  for (const auto& [key, c] : counts) {
    RateRow r;
    r.key = key;
    r.events = fixed_denominator > 0 ? fixed_denominator : c.first;
    r.escalations = c.second;
    r.rate = r.events == 0 ? 0.0 : double(r.escalations) / r.events;
    rows.push_back(std::move(r));
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const RateRow& a, const RateRow& b) { return a.escalations > b.escalations; });
  return rows;
}

Duration ChooseBucket(TimePoint from, TimePoint to) {
  const auto span = to - from;
  if (span <= std::chrono::hours(48)) return std::chrono::hours(1);
  if (span <= std::chrono::hours(24 * 60)) return std::chrono::hours(24);
  return std::chrono::hours(24 * 7);
}

struct LanguageSums {
  LanguageRow row;
  double sentiment_sum = 0;
};

std::vector<LanguageRow> LanguageRows(std::map<std::string, LanguageSums>& sums) {
  std::vector<LanguageRow> rows;
  for (auto& [language, s] : sums) {
    LanguageRow r = std::move(s.row);
    r.language = language;
    r.rate = r.events == 0 ? 0.0 : double(r.escalations) / r.events;
    if (r.customer_messages > 0) {
      r.human_request_rate = double(r.human_requests) / r.customer_messages;
      r.sentiment_mean = s.sentiment_sum / r.customer_messages;
    }
    rows.push_back(std::move(r));
  }
  std::stable_sort(rows.begin(), rows.end(), [](const LanguageRow& a, const LanguageRow& b) { return a.events > b.events; });
  return rows;
}

EscalationFigures Escalations(const CollectedFacts& facts, const EffectivenessOptions& options) {
  EscalationFigures e;
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> trigger, intent, workflow, channel;
  std::map<std::string, LanguageSums> language;
  TimePoint first = TimePoint::max(), last = TimePoint::min();
  for (const InteractionFacts& i : facts.interactions) {
    for (const EventFact& ev : i.events) {
      if (!options.range.Contains(ev.at)) continue;
      first = std::min(first, ev.at);
      last = std::max(last, ev.at);
    }
  }
  if (first == TimePoint::max()) return e;
  const TimePoint from = options.range.from > TimePoint{} ? options.range.from : first;
  const TimePoint to = options.range.to < TimePoint::max() ? options.range.to : last + Duration(1);
  e.bucket = options.bucket > Duration::zero() ? options.bucket : ChooseBucket(from, to);
  const std::int64_t buckets = std::max<std::int64_t>(1, (to - from + e.bucket - Duration(1)) / e.bucket);
  e.over_time.resize(static_cast<size_t>(std::min<std::int64_t>(buckets, 10000)));
  for (size_t b = 0; b < e.over_time.size(); ++b) e.over_time[b].start = from + e.bucket * static_cast<std::int64_t>(b);
  for (const InteractionFacts& i : facts.interactions) {
    for (const EventFact& ev : i.events) {
      if (!options.range.Contains(ev.at)) continue;
      const bool up = Escalated(ev.outcome);
      ++e.events;
      e.escalations += up;
      auto& w = workflow[i.workflow.empty() ? "(none)" : i.workflow];
      ++w.first;
      w.second += up;
      auto& c = channel[i.channel.empty() ? "(none)" : i.channel];
      ++c.first;
      c.second += up;
      LanguageSums& l = language[ev.language.empty() ? "(unknown)" : ev.language];
      ++l.row.events;
      l.row.escalations += up;
      l.row.holds += ev.outcome == engine::Outcome::kHold;
      l.row.handoffs += ev.outcome == engine::Outcome::kHandoff;
      if (ev.type == engine::EventType::kCustomerMessage) {
        ++l.row.customer_messages;
        l.row.human_requests += ev.human_request;
        l.sentiment_sum += ev.sentiment;
      }
      if (!ev.intent.empty()) {
        auto& in = intent[ev.intent];
        ++in.first;
        in.second += up;
      }
      if (up) {
        for (const std::string& t : ev.escalation_triggers) ++trigger[t].second;
      }
      const std::int64_t b = (ev.at - from) / e.bucket;
      if (b >= 0 && b < static_cast<std::int64_t>(e.over_time.size())) {
        ++e.over_time[b].events;
        e.over_time[b].escalations += up;
      }
    }
  }
  e.rate = e.events == 0 ? 0.0 : double(e.escalations) / e.events;
  e.by_trigger = Rows(trigger, e.events);
  e.by_intent = Rows(intent);
  e.by_workflow = Rows(workflow);
  e.by_channel = Rows(channel);
  e.by_language = LanguageRows(language);
  return e;
}

RetentionFigures Retention(const CollectedFacts& facts) {
  RetentionFigures r;
  for (const InteractionFacts& i : facts.interactions) {
    for (const TaskFact& t : i.tasks) {
      if (t.kind != store::TaskKind::kHandoff || t.event_index < 0) continue;
      ++r.handoffs;
      // What was established up to and including the event that handed off.
      HandoffContext context;
      bool observable = false;
      RepetitionFinding found;
      for (const EventFact& ev : i.events) {
        if (ev.index <= t.event_index) {
          if (ev.type == engine::EventType::kCustomerMessage) context.AddCustomerMessage(ev.text);
          for (const auto& [slot, value] : ev.collected) context.AddSlot(slot, value);
          continue;
        }
        if (ev.type != engine::EventType::kCustomerMessage) continue;
        observable = true;
        found = context.Check(ev.text);
        if (found.repeated) break;
      }
      if (!observable) continue;
      ++r.observable;
      if (!found.repeated) continue;
      ++r.repeated;
      ++r.by_kind[found.kind];
      if (r.examples.size() < kRetentionExamples) r.examples.push_back({i.id, found.kind, found.what});
    }
  }
  r.share = WilsonInterval(r.repeated, r.observable);
  return r;
}

ResolutionFigures Resolution(const CollectedFacts& facts) {
  ResolutionFigures res;
  std::vector<double> all;
  std::map<std::string, std::vector<double>> by_queue;
  for (const InteractionFacts& i : facts.interactions) {
    for (const TaskFact& t : i.tasks) {
      if (t.kind != store::TaskKind::kHold && t.kind != store::TaskKind::kHandoff) continue;
      if (!t.answered_at) continue;
      const double s = std::chrono::duration<double>(*t.answered_at - t.created_at).count();
      all.push_back(s);
      by_queue[t.queue].push_back(s);
    }
  }
  res.all = ComputePercentiles(std::move(all));
  for (auto& [q, v] : by_queue) res.by_queue.emplace_back(q, ComputePercentiles(std::move(v)));
  return res;
}

// Which group an interaction's CSAT counts for.
std::string_view CsatGroupOf(const InteractionFacts& i) {
  bool held = false;
  for (const TaskFact& t : i.tasks) {
    if (t.kind == store::TaskKind::kHandoff || t.verdict == store::VerdictKind::kTakenOver) {
      return "human_resolved";
    }
    if (t.kind == store::TaskKind::kHold) held = true;
  }
  for (const EventFact& e : i.events) {
    if (e.outcome == engine::Outcome::kHandoff) return "human_resolved";
    if (e.outcome == engine::Outcome::kHold) held = true;
  }
  return held ? "escalated" : "ai_resolved";
}

CsatFigures Csat(const CollectedFacts& facts) {
  CsatFigures c;
  const std::vector<std::string> order = {"ai_resolved", "escalated", "human_resolved"};
  std::map<std::string, std::vector<double>> scores;  // on 1..5
  for (const InteractionFacts& i : facts.interactions) {
    if (i.csat.empty()) continue;
    const CsatFact& latest = *std::max_element(
        i.csat.begin(), i.csat.end(), [](const CsatFact& a, const CsatFact& b) { return a.at < b.at; });
    const double normalized = 1 + 4 * (latest.score - 1) / (latest.scale - 1);
    scores[std::string(CsatGroupOf(i))].push_back(normalized);
  }
  for (const std::string& g : order) {
    CsatGroup group;
    group.group = g;
    const std::vector<double>& v = scores[g];
    group.responses = static_cast<std::int64_t>(v.size());
    std::int64_t satisfied = 0;
    double sum = 0;
    for (double s : v) {
      sum += s;
      satisfied += s >= 4.0 - 1e-9;
    }
    if (!v.empty()) {
      group.mean = sum / v.size();
      double var = 0;
      for (double s : v) var += (s - group.mean) * (s - group.mean);
      const double sd = v.size() > 1 ? std::sqrt(var / (v.size() - 1)) : 0.0;
      const double half = kZ95 * sd / std::sqrt(double(v.size()));
      group.mean_low = std::max(1.0, group.mean - half);
      group.mean_high = std::min(5.0, group.mean + half);
    }
    group.satisfied = WilsonInterval(satisfied, group.responses);
    c.groups.push_back(group);
  }
  const Proportion& ai = c.groups[0].satisfied;
  const Proportion& human = c.groups[2].satisfied;
  if (ai.n > 0 && human.n > 0) {
    // Newcombe's hybrid score interval for a difference of two proportions.
    c.delta_known = true;
    c.delta = human.share - ai.share;
    c.delta_low = c.delta - std::sqrt(std::pow(human.share - human.low, 2) + std::pow(ai.high - ai.share, 2));
    c.delta_high = c.delta + std::sqrt(std::pow(human.high - human.share, 2) + std::pow(ai.share - ai.low, 2));
  }
  return c;
}

std::vector<SlaRow> Sla(const CollectedFacts& facts, TimePoint as_of) {
  std::map<std::string, SlaRow> rows;
  for (const InteractionFacts& i : facts.interactions) {
    for (const TaskFact& t : i.tasks) {
      if (t.kind != store::TaskKind::kHold && t.kind != store::TaskKind::kHandoff) continue;
      if (t.cancelled) continue;
      SlaRow& row = rows[t.queue];
      row.queue = t.queue;
      if (t.answered_at) {
        ++row.tasks;
        row.met += *t.answered_at <= t.due_at;
      } else if (as_of > t.due_at) {
        ++row.tasks;
        ++row.open_overdue;
      }
    }
  }
  std::vector<SlaRow> out;
  for (auto& [q, row] : rows) {
    row.attainment = WilsonInterval(row.met, row.tasks);
    out.push_back(row);
  }
  return out;
}

void Reviewers(const CollectedFacts& facts, EffectivenessReport* report) {
  std::map<std::string, ReviewerRow> rows;
  std::map<std::string, std::pair<double, std::int64_t>> handle;
  std::int64_t held_judged = 0, held_approved = 0;
  for (const auto& [reviewer, claims] : facts.claims_by_reviewer) {
    rows[reviewer].reviewer = reviewer;
    rows[reviewer].claims = claims;
  }
  for (const InteractionFacts& i : facts.interactions) {
    for (const TaskFact& t : i.tasks) {
      if (t.kind == store::TaskKind::kAuditSample) {
        ++report->audit_samples.samples;
        if (t.verdict) {
          ++report->audit_samples.reviewed;
          report->audit_samples.findings +=
              *t.verdict == store::VerdictKind::kEdited || *t.verdict == store::VerdictKind::kRejected;
        }
      }
      if (!t.verdict) continue;
      ReviewerRow& r = rows[t.reviewer];
      r.reviewer = t.reviewer;
      ++r.verdicts;
      switch (*t.verdict) {
        case store::VerdictKind::kApproved: ++r.approved; break;
        case store::VerdictKind::kEdited: ++r.edited; break;
        case store::VerdictKind::kRejected: ++r.rejected; break;
        case store::VerdictKind::kTakenOver: ++r.taken_over; break;
      }
      if (t.handle_seconds) {
        handle[t.reviewer].first += *t.handle_seconds;
        ++handle[t.reviewer].second;
      }
      if (t.kind == store::TaskKind::kHold) {
        ++r.agreement.n;
        ++held_judged;
        if (*t.verdict == store::VerdictKind::kApproved) {
          ++r.agreement.hits;
          ++held_approved;
        }
      }
    }
  }
  for (auto& [name, r] : rows) {
    if (auto h = handle.find(name); h != handle.end() && h->second.second > 0) {
      r.mean_handle_seconds = h->second.first / h->second.second;
    }
    r.agreement = WilsonInterval(r.agreement.hits, r.agreement.n);
    report->reviewers.push_back(r);
  }
  std::stable_sort(report->reviewers.begin(), report->reviewers.end(),
                   [](const ReviewerRow& a, const ReviewerRow& b) { return a.verdicts > b.verdicts; });
  report->agreement = WilsonInterval(held_approved, held_judged);
}

AssistFigures Assist(const CollectedFacts& facts) {
  AssistFigures a;
  std::int64_t used = 0;
  std::vector<double> with_used, without_used;
  for (const InteractionFacts& f : facts.interactions) {
    for (const TaskFact& t : f.tasks) {
      a.judgements += t.assist_used + t.assist_wrong;
      used += t.assist_used;
      if (t.handle_seconds) (t.assist_used > 0 ? with_used : without_used).push_back(*t.handle_seconds);
    }
  }
  a.acceptance = WilsonInterval(used, a.judgements);
  a.handle_with_used = ComputePercentiles(std::move(with_used));
  a.handle_without_used = ComputePercentiles(std::move(without_used));
  return a;
}

}  // namespace

Proportion WilsonInterval(std::int64_t hits, std::int64_t n) {
  Proportion p;
  p.n = n;
  p.hits = hits;
  if (n <= 0) return p;
  const double share = double(hits) / n;
  const double z2 = kZ95 * kZ95;
  const double denom = 1 + z2 / n;
  const double center = (share + z2 / (2 * n)) / denom;
  const double half = kZ95 * std::sqrt(share * (1 - share) / n + z2 / (4.0 * n * n)) / denom;
  p.share = share;
  p.low = std::max(0.0, center - half);
  p.high = std::min(1.0, center + half);
  return p;
}

Percentiles ComputePercentiles(std::vector<double> values) {
  Percentiles p;
  p.count = static_cast<std::int64_t>(values.size());
  if (values.empty()) return p;
  std::sort(values.begin(), values.end());
  double sum = 0;
  for (double v : values) sum += v;
  p.mean = sum / values.size();
  // Nearest rank: the smallest value with at least q of the values at or below it.
  auto rank = [&](double q) {
    size_t k = static_cast<size_t>(std::ceil(q * values.size()));
    return values[std::clamp<size_t>(k, 1, values.size()) - 1];
  };
  p.p50 = rank(0.50);
  p.p90 = rank(0.90);
  p.p95 = rank(0.95);
  p.p99 = rank(0.99);
  p.max = values.back();
  return p;
}

EffectivenessReport ComputeEffectiveness(const CollectedFacts& facts, const EffectivenessOptions& options) {
  EffectivenessReport r;
  r.from = options.range.from;
  r.to = options.range.to;
  r.as_of = options.as_of;
  r.interactions = static_cast<std::int64_t>(facts.interactions.size());
  r.escalation = Escalations(facts, options);
  r.retention = Retention(facts);
  r.resolution = Resolution(facts);
  r.csat = Csat(facts);
  r.sla = Sla(facts, options.as_of);
  Reviewers(facts, &r);
  r.assist = Assist(facts);
  return r;
}

}  // namespace hitlgate::measure
