// Reads a gateway's history from its Store; see store_history.h.
#include "hitlgate/measure/store_history.h"

#include <algorithm>
#include <unordered_set>

#include "hitlgate/audit/record.h"
#include "hitlgate/codec/json.h"

namespace hitlgate::measure {
namespace {

constexpr int kAuditPage = 2000;

// The verdict on the task an event opened, if it has one.
HumanVerdict VerdictFor(const store::InteractionRecord& record, const store::StoredDecision& d) {
  if (d.task_id.empty()) return HumanVerdict::kNone;
  for (const store::Task& t : record.tasks) {
    if (t.id == d.task_id && t.verdict) return ToHumanVerdict(t.verdict->kind);
  }
  return HumanVerdict::kNone;
}

}  // namespace

HumanVerdict ToHumanVerdict(store::VerdictKind kind) {
  switch (kind) {
    case store::VerdictKind::kApproved: return HumanVerdict::kApproved;
    case store::VerdictKind::kEdited: return HumanVerdict::kEdited;
    case store::VerdictKind::kRejected: return HumanVerdict::kRejected;
    case store::VerdictKind::kTakenOver: return HumanVerdict::kTakenOver;
  }
  return HumanVerdict::kNone;
}

Result<std::int64_t> SeekAudit(store::Store& store, TimePoint at) {
  auto head = store.GetAuditHead();
  HITLGATE_RETURN_IF_ERROR(head);
  auto first = store.ReadAudit(1, 1);
  HITLGATE_RETURN_IF_ERROR(first);
  if (first->empty()) return head->seq + 1;
  std::int64_t lo = first->front().seq, hi = head->seq + 1;  // answer in [lo, hi]
  while (lo < hi) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    auto page = store.ReadAudit(mid, 1);
    HITLGATE_RETURN_IF_ERROR(page);
    if (page->empty() || page->front().at >= at) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return lo;
}

Result<std::vector<std::string>> InteractionsInRange(store::Store& store, const TimeRange& range) {
  auto start = SeekAudit(store, range.from);
  HITLGATE_RETURN_IF_ERROR(start);
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  std::int64_t next = *start;
  for (;;) {
    auto page = store.ReadAudit(next, kAuditPage);
    HITLGATE_RETURN_IF_ERROR(page);
    if (page->empty()) break;
    for (const audit::AuditRecord& r : *page) {
      if (r.at >= range.to) return out;
      if (r.kind == audit::kinds::kEvent && range.Contains(r.at) && seen.insert(r.subject).second) {
        out.push_back(r.subject);
      }
    }
    next = page->back().seq + 1;
  }
  return out;
}

namespace {

struct Keyed {
  TimePoint at;
  std::int64_t seq;
  HistoryEvent event;
};

// Appends the interaction's parseable events; returns how many.
std::int64_t AppendEvents(const store::InteractionRecord& record, std::vector<Keyed>* events) {
  std::int64_t added = 0;
  for (const store::StoredDecision& d : record.decisions) {
    auto event = codec::ParseEvent(d.record.event_json);
    if (!event) continue;  // stored by an older codec; nothing to replay
    if (!event->at) event->at = d.record.at;
    events->push_back(Keyed{d.record.at, d.seq, HistoryEvent{std::move(*event), VerdictFor(record, d)}});
    ++added;
  }
  return added;
}

std::vector<HistoryEvent> InTimeOrder(std::vector<Keyed> events) {
  std::stable_sort(events.begin(), events.end(), [](const Keyed& a, const Keyed& b) {
    return a.at != b.at ? a.at < b.at : a.seq < b.seq;
  });
  std::vector<HistoryEvent> out;
  out.reserve(events.size());
  for (Keyed& k : events) out.push_back(std::move(k.event));
  return out;
}

}  // namespace

Result<std::vector<HistoryEvent>> LoadStoreHistory(store::Store& store, const TimeRange& range) {
  auto ids = InteractionsInRange(store, range);
  HITLGATE_RETURN_IF_ERROR(ids);
  std::vector<Keyed> events;
  for (const std::string& id : *ids) {
    auto record = store.GetInteraction(id);
    if (!record) {
      if (record.error().code() == ErrorCode::kNotFound) continue;  // erased since
      return std::unexpected(record.error());
    }
    AppendEvents(*record, &events);
  }
  return InTimeOrder(std::move(events));
}

Result<RecentHistory> LoadRecentStoreHistory(store::Store& store, const TimeRange& range,
                                             std::int64_t max_events) {
  if (max_events <= 0) return InvalidArgument("max_events must be positive");
  auto first = SeekAudit(store, range.from);
  HITLGATE_RETURN_IF_ERROR(first);
  auto end = SeekAudit(store, range.to);  // one past the last record in range
  HITLGATE_RETURN_IF_ERROR(end);

  // Newest first: interaction ids by their last event record in the range,
  // until the event records seen cover max_events.
  std::vector<std::string> ids;
  std::unordered_set<std::string> seen;
  std::int64_t event_records = 0;
  std::int64_t hi = *end;
  bool scanned_all = true;
  while (hi > *first) {
    const std::int64_t lo = std::max(*first, hi - kAuditPage);
    auto page = store.ReadAudit(lo, static_cast<int>(hi - lo));
    HITLGATE_RETURN_IF_ERROR(page);
    if (page->empty()) break;
    for (auto it = page->rbegin(); it != page->rend(); ++it) {
      if (it->seq >= hi || it->kind != audit::kinds::kEvent || !range.Contains(it->at)) continue;
      ++event_records;
      if (seen.insert(it->subject).second) ids.push_back(it->subject);
    }
    hi = lo;
    if (event_records >= max_events) {
      scanned_all = hi <= *first;
      break;
    }
  }

  RecentHistory out;
  out.truncated = !scanned_all;
  std::vector<Keyed> events;
  for (const std::string& id : ids) {
    auto record = store.GetInteraction(id);
    if (!record) {
      if (record.error().code() == ErrorCode::kNotFound) continue;  // erased since
      return std::unexpected(record.error());
    }
    const auto before = static_cast<std::int64_t>(events.size());
    if (before > 0 && before + static_cast<std::int64_t>(record->decisions.size()) > max_events) {
      out.truncated = true;
      break;
    }
    if (AppendEvents(*record, &events) > 0) ++out.interactions;
  }
  out.events = InTimeOrder(std::move(events));
  if (!out.events.empty()) {
    out.first_event_at = out.events.front().event.at;
    out.last_event_at = out.events.back().event.at;
  }
  return out;
}

Result<VerdictIndex> LoadStoreVerdicts(store::Store& store, const TimeRange& range) {
  auto ids = InteractionsInRange(store, range);
  HITLGATE_RETURN_IF_ERROR(ids);
  VerdictIndex index;
  for (const std::string& id : *ids) {
    auto record = store.GetInteraction(id);
    if (!record) {
      if (record.error().code() == ErrorCode::kNotFound) continue;
      return std::unexpected(record.error());
    }
    for (const store::StoredDecision& d : record->decisions) {
      HumanVerdict v = VerdictFor(*record, d);
      if (v != HumanVerdict::kNone) {
        index.Add(d.record.event_id, d.record.interaction_id, d.record.event_index, v);
      }
    }
  }
  return index;
}

}  // namespace hitlgate::measure
