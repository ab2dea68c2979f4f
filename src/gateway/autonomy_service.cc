// Earned autonomy in the gateway (docs/autonomy.md). The audit log is the
// source of truth: Sync follows it, turning judged proposals
// (verdicts on held proposals and on audit samples) into evidence for an
// autonomy::AutonomyTracker, and sign-offs (verdicts on autonomy-change
// tasks) into approved promotions. The tracker is deterministic, so the
// first call after a start replays the whole log and arrives at the same
// levels, evidence and pending promotions as before; nothing needs a table
// of its own. Side effects (a sign-off task for a proposed promotion, an
// "autonomy_changed" record for a demotion or an approved promotion) are
// written only for records appended after that replay.
#include <algorithm>
#include <deque>
#include <map>
#include <mutex>

#include <boost/json.hpp>

#include "gateway/access.h"
#include "hitlgate/codec/review_json.h"
#include "hitlgate/audit/payload.h"
#include "hitlgate/audit/record.h"
#include "hitlgate/autonomy/levels.h"
#include "hitlgate/codec/autonomy_json.h"
#include "hitlgate/common/thread_annotations.h"
#include "hitlgate/common/time_format.h"
#include "hitlgate/gateway/autonomy_service.h"
#include "hitlgate/learning/feedback.h"
#include "hitlgate/store/audit_source.h"

namespace hitlgate::gateway {

namespace json = boost::json;
using autonomy::AutonomyKey;
using autonomy::LevelChange;
using engine::Oversight;

constexpr std::string_view kAutonomyChanged = "autonomy_changed";
constexpr std::string_view kEarnedRule = "earned_autonomy";

class AutonomyState {
 public:
  explicit AutonomyState(const autonomy::AutonomyConfig& config)
      : tracker(config), levels(std::make_shared<const autonomy::LevelTable>()) {}

  std::mutex mu;
  autonomy::AutonomyTracker tracker HITLGATE_GUARDED_BY(mu);
  std::int64_t next_seq HITLGATE_GUARDED_BY(mu) = 1;          // the next audit record to read
  std::int64_t replayed_to HITLGATE_GUARDED_BY(mu) = -1;      // head at the first sync (-1: not yet)
  std::deque<LevelChange> recent HITLGATE_GUARDED_BY(mu);     // newest last, at most kRecent
  std::map<AutonomyKey, std::string> pending_tasks HITLGATE_GUARDED_BY(mu);  // key -> sign-off task
  std::map<AutonomyKey, LevelChange> proposals HITLGATE_GUARDED_BY(mu);      // the latest promotion proposed
  static constexpr size_t kRecent = 50;

  std::atomic<std::shared_ptr<const autonomy::LevelTable>> levels;
};

namespace {

// Whether a "task_created" record opened a sign-off task (its payload names
// the task's kind).
bool OpensAutonomyChange(const audit::AuditRecord& r) {
  boost::json::error_code ec;
  boost::json::value payload = boost::json::parse(r.payload_json, ec);
  if (ec || !payload.is_object()) return false;
  const boost::json::value* kind = payload.as_object().if_contains("kind");
  return kind != nullptr && kind->is_string() &&
         kind->get_string() == store::TaskKindName(store::TaskKind::kAutonomyChange);
}

std::string StringField(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_string() ? std::string(it->value().get_string()) : std::string();
}

std::string ActionName(std::string_view action_json) {
  if (action_json.empty()) return {};
  json::error_code ec;
  json::value v = json::parse(action_json, ec);
  return !ec && v.is_object() ? StringField(v.get_object(), "name") : std::string();
}

// The key and target level of a sign-off task, from its context.
std::optional<std::pair<AutonomyKey, Oversight>> SignOffOf(const store::Task& task) {
  json::error_code ec;
  json::value v = json::parse(task.context_json, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const json::object* change = v.get_object().if_contains("autonomy_change") != nullptr
                                   ? v.get_object().at("autonomy_change").if_object()
                                   : nullptr;
  if (change == nullptr) return std::nullopt;
  auto to = engine::ParseOversight(StringField(*change, "to"));
  if (!to) return std::nullopt;
  return std::pair{AutonomyKey{StringField(*change, "workflow"), StringField(*change, "subject")}, *to};
}

}  // namespace

AutonomyService::AutonomyService(store::Store& store, const Clock& clock, LiveEvents& live,
                                 const autonomy::AutonomyConfig& config, std::string signoff_queue)
    : store_(store),
      clock_(clock),
      live_(live),
      signoff_queue_(std::move(signoff_queue)),
      state_(std::make_unique<AutonomyState>(config)) {}

AutonomyService::~AutonomyService() = default;

std::shared_ptr<const policy::AutonomyLevels> AutonomyService::Levels() const {
  return state_->levels.load();
}

bool AutonomyService::SampleAudit(const engine::Event& event, engine::Decision* decision) const {
  if (decision->reasons.empty() || decision->reasons.front().rule != kEarnedRule) return false;
  if (decision->outcome != engine::Outcome::kAllow && decision->outcome != engine::Outcome::kAllowMonitored) {
    return false;  // rules or floors held it: a person sees it anyway
  }
  const Oversight level = engine::OversightForOutcome(decision->reasons.front().outcome);
  const double rate = state_->tracker.config().AuditRate(level);  // config is immutable
  // Deterministic per event, like the policy's own sampling.
  const std::uint64_t h =
      engine::StableHash(event.interaction_id + "#" + std::to_string(decision->event_index)) % 1000000;
  if (static_cast<double>(h) >= rate * 1e6) return false;
  decision->audit_sample = true;
  return true;
}

Result<int> AutonomyService::Sync(bool write_side_effects) {
  AutonomyState& st = *state_;
  std::lock_guard lock(st.mu);
  if (st.replayed_to < 0) {
    auto head = store_.GetAuditHead();
    HITLGATE_RETURN_IF_ERROR(head);
    st.replayed_to = head->seq;
  }
  std::vector<LevelChange> changes;  // to act on: live records only
  std::vector<std::pair<LevelChange, std::string>> signed_off;  // approved promotions, by whom
  bool levels_changed = false;
  // Only verdicts and opened tasks move the levels: read those, a window of
  // seqs at a time, instead of copying every record of the log.
  auto head = store_.GetAuditHead();
  HITLGATE_RETURN_IF_ERROR(head);
  static const std::vector<std::string> kFollowed = {std::string(audit::kinds::kVerdict),
                                                     std::string(audit::kinds::kTaskCreated)};
  constexpr std::int64_t kWindow = 5000;
  std::vector<audit::AuditRecord> window;
  size_t next = 0;
  std::int64_t window_end = st.next_seq;
  while (true) {
    if (next == window.size()) {
      st.next_seq = std::max(st.next_seq, window_end);
      if (st.next_seq > head->seq) break;
      window_end = std::min(st.next_seq + kWindow, head->seq + 1);
      auto read = store_.ReadAuditOfKinds(st.next_seq, window_end, kFollowed);
      HITLGATE_RETURN_IF_ERROR(read);
      window = std::move(*read);
      next = 0;
      continue;
    }
    const audit::AuditRecord& r = window[next++];
    const bool live = r.seq > st.replayed_to;
    if (r.kind == audit::kinds::kVerdict) {
      auto task = store_.GetTask(r.subject);
      if (!task && task.error().code() != ErrorCode::kNotFound) return std::unexpected(task.error());
      if (task && task->kind == store::TaskKind::kAutonomyChange && task->verdict) {
        if (auto signoff = SignOffOf(*task)) {
          const auto& [key, to] = *signoff;
          st.pending_tasks.erase(key);
          const Oversight from = st.tracker.LevelOf(key);
          if (task->verdict->kind == store::VerdictKind::kApproved && st.tracker.PendingOf(key) == to) {
            const autonomy::Evidence before = [&] {
              for (const auto& e : st.tracker.Snapshot()) {
                if (e.key == key) return e.evidence;
              }
              return autonomy::Evidence{};
            }();
            if (st.tracker.Approve(key)) {
              levels_changed = true;
              LevelChange c{key, from, to, true, "signed off", before};
              st.recent.push_back(c);
              if (live) signed_off.emplace_back(c, r.actor);
            }
          } else {
            st.tracker.Reject(key);
          }
        }
      } else if (task && (task->kind == store::TaskKind::kHold || task->kind == store::TaskKind::kAuditSample)) {
        auto ex = learning::FeedbackFromRecord(store_, r);
        HITLGATE_RETURN_IF_ERROR(ex);
        if (*ex && (*ex)->agreed) {
          const learning::FeedbackExample& e = **ex;
          if (auto key = autonomy::KeyFor(e.workflow, e.intent, ActionName(e.proposal_action_json))) {
            autonomy::Judgement j{*e.agreed, e.source == "audit_sample", autonomy::IsSevereCategory(e.reason_category)};
            if (auto change = st.tracker.Observe(*key, j)) {
              st.recent.push_back(*change);
              if (change->promotion) {
                st.proposals[*key] = *change;  // its task is opened below
              } else {
                levels_changed = true;
                if (live) changes.push_back(*change);
              }
            }
          }
        }
      }
    } else if (r.kind == audit::kinds::kTaskCreated && OpensAutonomyChange(r)) {
      // Which task asks for which sign-off, also after a restart.
      auto task = store_.GetTask(r.subject);
      if (!task && task.error().code() != ErrorCode::kNotFound) return std::unexpected(task.error());
      if (task && !task->verdict) {
        if (auto signoff = SignOffOf(*task)) st.pending_tasks[signoff->first] = task->id;
      }
    }
    st.next_seq = r.seq + 1;
  }
  while (st.recent.size() > AutonomyState::kRecent) st.recent.pop_front();
  if (levels_changed) {
    st.levels.store(std::make_shared<const autonomy::LevelTable>(autonomy::LevelTable::FromTracker(st.tracker)));
  }

  // Side effects of live records: durable, audited; in a cluster, by the
  // leading node only. A node that takes the lead over opens the sign-off
  // tasks its predecessor had not (the loop below); a demotion or sign-off
  // record the predecessor died before writing is not written again (the
  // level itself follows from the log either way).
  if (!write_side_effects) {
    for (const LevelChange& c : changes) live_.Publish("autonomy.changed", c.key.workflow, codec::LevelChangeJson(c));
    return 0;
  }
  const TimePoint now = clock_.Now();
  for (const auto& [c, actor] : signed_off) {
    audit::AuditEntry entry{std::string(kAutonomyChanged), actor, c.key.ToString(), codec::LevelChangeJson(c)};
    HITLGATE_RETURN_IF_ERROR(store_.AppendAudit({entry}, now));
  }
  for (const LevelChange& c : changes) {
    audit::AuditEntry entry{std::string(kAutonomyChanged), "system", c.key.ToString(), codec::LevelChangeJson(c)};
    HITLGATE_RETURN_IF_ERROR(store_.AppendAudit({entry}, now));
    live_.Publish("autonomy.changed", c.key.workflow, codec::LevelChangeJson(c));
  }
  // Every pending promotion has a sign-off task: opened here when proposed,
  // or again when a crash came between the proposal and its task.
  int opened_tasks = 0;
  for (const auto& [key, c] : st.proposals) {
    if (st.tracker.PendingOf(key) != c.to || st.pending_tasks.contains(key)) continue;
    store::StandaloneTask t;
    t.task.kind = store::TaskKind::kAutonomyChange;
    t.task.queue = signoff_queue_;
    t.task.priority = 4;
    t.task.created_at = now;
    t.task.due_at = now + std::chrono::hours(24 * 7);
    codec::JsonWriter context;
    context.BeginObject().Key("autonomy_change");
    codec::WriteLevelChange(c, context);
    context.EndObject();
    t.task.context_json = context.Take();
    t.interaction_id = "autonomy:" + c.key.ToString();
    t.customer_id = "";
    t.workflow = c.key.workflow;
    t.actor = "system";
    auto opened = store_.OpenTask(t, {}, now);
    HITLGATE_RETURN_IF_ERROR(opened);
    st.pending_tasks[c.key] = opened->id;
    ++opened_tasks;
    live_.Publish("task.created", opened->workflow, codec::TaskJson(*opened, false));
  }
  return static_cast<int>(changes.size() + signed_off.size()) + opened_tasks;
}

Result<AutonomyReport> AutonomyService::Report(const Principal& who) const {
  if (!who.Can(Permission::kReadMetrics) && !who.Can(Permission::kSuperviseTasks)) {
    return MakeError(ErrorCode::kPermissionDenied, "this key may not read autonomy levels");
  }
  AutonomyState& st = *state_;
  std::lock_guard lock(st.mu);
  AutonomyReport report;
  report.config = st.tracker.config();
  for (const auto& e : st.tracker.Snapshot()) {
    if (!who.CoversWorkflow(e.key.workflow)) continue;
    AutonomyLevelView level;
    level.key = e.key;
    level.level = e.level;
    level.audit_rate = report.config.AuditRate(e.level);
    level.pending_to = e.pending;
    if (auto t = st.pending_tasks.find(e.key); e.pending && t != st.pending_tasks.end()) {
      level.pending_task_id = t->second;
    }
    level.evidence = e.evidence;
    report.levels.push_back(std::move(level));
  }
  report.recent_changes.assign(st.recent.rbegin(), st.recent.rend());
  std::erase_if(report.recent_changes,
                [&](const autonomy::LevelChange& c) { return !who.CoversWorkflow(c.key.workflow); });
  return report;
}

}  // namespace hitlgate::gateway
