// Hold notices: a held task's route may say that after some seconds the
// agent should show the customer a holding message. The agent learns it by
// its long-poll waking once, when the notice falls due.
#include <algorithm>

#include "hitlgate/codec/review_json.h"
#include "hitlgate/gateway/event_service.h"
#include "hitlgate/gateway/live_events.h"

namespace hitlgate::gateway {

Result<int> EventService::AnnounceHoldNotices(TimePoint now) {
  int announced = 0;
  // Each tick reads only the notices that fell due since the last one (from
  // the start of time on the first tick: a restart announces what is due).
  TimePoint notices_from;
  {
    std::lock_guard lock(notice_mu_);
    notices_from = notice_watermark_;
  }
  TimePoint notices_to = now;
  for (store::TaskStatus status : {store::TaskStatus::kOpen, store::TaskStatus::kClaimed}) {
    store::TaskFilter filter;
    filter.status = status;
    filter.hold_notice_after = notices_from;
    filter.hold_notice_until = now;
    filter.limit = 1000;
    auto tasks = store_.ListTasks(filter);
    HITLGATE_RETURN_IF_ERROR(tasks);
    // A full page: the next tick goes on from the last notice read.
    // (One microsecond before it, so notices due at that same instant beyond
    // the page are read again; the set above drops the ones already sent.)
    if (tasks->size() == 1000) {
      notices_to = std::min(notices_to, *tasks->back().hold_notice_at - std::chrono::microseconds(1));
    }
    for (const store::Task& t : *tasks) {
      if (!t.hold_notice_at || now < *t.hold_notice_at) continue;
      {
        std::lock_guard lock(notice_mu_);
        if (!noticed_tasks_.insert(t.id).second) continue;
        notice_order_.push_back(t.id);
        // Bounded: only recent notices matter for de-duplication.
        if (notice_order_.size() > kNoticesKept) {
          noticed_tasks_.erase(notice_order_.front());
          notice_order_.pop_front();
        }
      }
      live_.Publish("task.hold_notice", t.workflow, codec::TaskJson(t, false));
      live_.TaskChanged(t.id);
      ++announced;
    }
  }
  {
    std::lock_guard lock(notice_mu_);
    notice_watermark_ = std::max(notice_watermark_, notices_to);
  }
  return announced;
}

}  // namespace hitlgate::gateway
