// Reading a gateway's history back out of its Store: the interactions whose
// events were recorded in a time range (found through the audit log's
// "event" records), their events in time order, and the verdicts people gave
// on the tasks they opened. For `hitlgate replay --data` and the
// effectiveness report. Reads only; the store must outlive the calls.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hitlgate/common/clock.h"
#include "hitlgate/common/error.h"
#include "hitlgate/measure/replay.h"
#include "hitlgate/store/store.h"

namespace hitlgate::measure {

struct TimeRange {
  TimePoint from{};                     // inclusive
  TimePoint to = TimePoint::max();      // exclusive
  bool Contains(TimePoint t) const { return t >= from && t < to; }
};

// The first audit seq whose record was written at or after `at` (the log is
// written in time order), found by bisection; head + 1 when none.
[[nodiscard]] Result<std::int64_t> SeekAudit(store::Store& store, TimePoint at);

// Interactions with at least one "event" audit record in `range`, in order of
// their first such record.
[[nodiscard]] Result<std::vector<std::string>> InteractionsInRange(store::Store& store,
                                                                    const TimeRange& range);

// Every recorded event of those interactions, ordered by event time (then
// recording order), each with the verdict on the task it opened, if any.
// Events whose stored JSON carries no `at` get the time they were recorded.
[[nodiscard]] Result<std::vector<HistoryEvent>> LoadStoreHistory(store::Store& store,
                                                                 const TimeRange& range);

// A bounded slice of history for replays on request (the console's "replay
// this version"): the most recent interactions with events recorded in
// `range`, newest first, until about `max_events` events, read by walking
// the audit log backwards from the end of the range (so the cost follows
// max_events, not the range's length). Whole interactions only: one may
// push the total over max_events only when it is the first. `truncated`
// says interactions in the range were left out.
struct RecentHistory {
  std::vector<HistoryEvent> events;  // in time order, as LoadStoreHistory
  std::int64_t interactions = 0;
  bool truncated = false;
  std::optional<TimePoint> first_event_at, last_event_at;
};
[[nodiscard]] Result<RecentHistory> LoadRecentStoreHistory(store::Store& store, const TimeRange& range,
                                                           std::int64_t max_events);

// The verdicts on tasks opened by events in `range`, keyed by event id and by
// (interaction, event_index), for joining with a history file.
[[nodiscard]] Result<VerdictIndex> LoadStoreVerdicts(store::Store& store, const TimeRange& range);

// VerdictKind -> HumanVerdict.
HumanVerdict ToHumanVerdict(store::VerdictKind kind);

}  // namespace hitlgate::measure
