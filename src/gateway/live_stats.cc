#include "gateway/live_stats.h"

#include <algorithm>

namespace hitlgate::gateway {
namespace {

std::int64_t MinuteOf(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::minutes>(t.time_since_epoch()).count();
}

void Remember(std::deque<std::string>& ids, const std::string& id, size_t keep) {
  std::erase(ids, id);
  ids.push_front(id);
  while (ids.size() > keep) ids.pop_back();
}

void Add(WorkflowStats& into, const WorkflowStats& b) {
  into.events += b.events;
  into.proposals += b.proposals;
  into.customer_messages += b.customer_messages;
  into.escalations += b.escalations;
  into.holds += b.holds;
  into.handoffs += b.handoffs;
  into.blocks += b.blocks;
  into.monitored += b.monitored;
  into.sentiment_sum += b.sentiment_sum;
  into.negative += b.negative;
  into.sla_breaches += b.sla_breaches;
}

}  // namespace

LiveStats::Bucket& LiveStats::BucketFor(PerWorkflow& w, TimePoint now) {
  const std::int64_t minute = MinuteOf(now);
  if (w.buckets.empty() || w.buckets.back().minute < minute) {
    w.buckets.push_back(Bucket{minute, {}});
    while (w.buckets.size() > 1 && w.buckets.front().minute <= minute - kKeepMinutes) {
      w.buckets.pop_front();
    }
  }
  // A late event (clock moved back) counts in the newest bucket.
  return w.buckets.back();
}

void LiveStats::Record(const engine::Event& event, const engine::Decision& d, TimePoint now) {
  if (event.type == engine::EventType::kInteractionClosed) return;
  std::lock_guard lock(mu_);
  PerWorkflow& w = workflows_[event.workflow];
  WorkflowStats& s = BucketFor(w, now).stats;
  ++s.events;
  const bool escalated = d.outcome >= engine::Outcome::kHold;
  if (event.type == engine::EventType::kAiProposal) ++s.proposals;
  if (event.type == engine::EventType::kCustomerMessage) {
    ++s.customer_messages;
    s.sentiment_sum += d.signals.sentiment;
    if (d.signals.sentiment <= -0.3) {
      ++s.negative;
      Remember(w.negative, event.interaction_id, kKeepIds);
    }
  }
  if (escalated) {
    ++s.escalations;
    Remember(w.escalated, event.interaction_id, kKeepIds);
  }
  s.holds += d.outcome == engine::Outcome::kHold;
  s.handoffs += d.outcome == engine::Outcome::kHandoff;
  s.blocks += d.outcome == engine::Outcome::kBlock;
  s.monitored += d.outcome == engine::Outcome::kAllowMonitored;
}

void LiveStats::SlaBreach(const std::string& workflow, const std::string& interaction_id,
                          TimePoint now) {
  std::lock_guard lock(mu_);
  PerWorkflow& w = workflows_[workflow];
  ++BucketFor(w, now).stats.sla_breaches;
  Remember(w.breached, interaction_id, kKeepIds);
}

std::vector<WorkflowStats> LiveStats::Window(TimePoint now, Duration window) const {
  const std::int64_t since = MinuteOf(now - window);
  std::lock_guard lock(mu_);
  std::vector<WorkflowStats> out;
  for (const auto& [name, w] : workflows_) {
    WorkflowStats total;
    total.workflow = name;
    for (const Bucket& b : w.buckets) {
      if (b.minute > since) Add(total, b.stats);
    }
    out.push_back(std::move(total));
  }
  return out;
}

std::vector<Alert> LiveStats::Alerts(TimePoint now, Duration window) const {
  std::vector<WorkflowStats> stats = Window(now, window);
  std::lock_guard lock(mu_);
  std::vector<Alert> out;
  for (const WorkflowStats& s : stats) {
    const PerWorkflow& w = workflows_.at(s.workflow);
    auto ids = [](const std::deque<std::string>& d) { return std::vector<std::string>(d.begin(), d.end()); };
    if (s.events >= thresholds_.min_events && s.escalation_rate() >= thresholds_.escalation_rate) {
      out.push_back({s.workflow, "escalation_rate", s.escalation_rate(), thresholds_.escalation_rate,
                     ids(w.escalated)});
    }
    if (s.customer_messages >= thresholds_.min_events && s.negative_share() >= thresholds_.negative_share) {
      out.push_back({s.workflow, "negative_sentiment", s.negative_share(), thresholds_.negative_share,
                     ids(w.negative)});
    }
    if (s.sla_breaches >= thresholds_.sla_breaches) {
      out.push_back({s.workflow, "sla_breach", static_cast<double>(s.sla_breaches),
                     static_cast<double>(thresholds_.sla_breaches), ids(w.breached)});
    }
  }
  return out;
}

}  // namespace hitlgate::gateway
