// CollectFacts and RecordCsat: the store reads behind the effectiveness
// figures (effectiveness.h).
#include <cmath>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "hitlgate/audit/payload.h"
#include "hitlgate/audit/record.h"
#include "hitlgate/codec/json.h"
#include "hitlgate/codec/json_reader.h"
#include "hitlgate/measure/effectiveness.h"

namespace hitlgate::measure {
namespace {

constexpr int kAuditPage = 2000;

struct LastClaim {
  std::string reviewer;
  TimePoint at;
};

std::string PayloadString(const std::string& payload, std::string_view field) {
  auto r = codec::JsonObjectReader::Parse(payload);
  if (!r) return {};
  auto v = r->OptString(field);
  return v && *v ? **v : std::string();
}

std::optional<double> PayloadNumber(const std::string& payload, std::string_view field) {
  auto r = codec::JsonObjectReader::Parse(payload);
  if (!r) return std::nullopt;
  auto v = r->OptNumber(field);
  return v ? *v : std::nullopt;
}

EventFact ToEventFact(const store::StoredDecision& d) {
  EventFact e;
  e.index = d.record.event_index;
  e.type = d.record.type;
  e.at = d.record.at;
  e.outcome = d.record.outcome;
  if (auto event = codec::ParseEvent(d.record.event_json)) {
    e.text = std::move(event->text);
    e.intent = std::move(event->intent);
    e.collected = std::move(event->collected);
  }
  auto decision = codec::ParseDecision(d.record.decision_json);
  if (decision) {
    e.language = std::move(decision->signals.language);
    e.sentiment = decision->signals.sentiment;
    e.human_request = decision->signals.human_request;
  }
  if (e.outcome == engine::Outcome::kHold || e.outcome == engine::Outcome::kHandoff) {
    if (decision) {
      for (const engine::Reason& r : decision->reasons) {
        if (r.outcome != engine::Outcome::kHold && r.outcome != engine::Outcome::kHandoff) continue;
        bool seen = false;
        for (const auto& t : e.escalation_triggers) seen = seen || t == r.trigger;
        if (!seen) e.escalation_triggers.push_back(r.trigger);
      }
    }
    // A supervisor's control that raised the outcome leaves no policy
    // reason; name it so the escalation is not unexplained.
    if (e.escalation_triggers.empty()) e.escalation_triggers.push_back("control");
  }
  return e;
}

}  // namespace

Result<CollectedFacts> CollectFacts(store::Store& store, const TimeRange& range) {
  auto start = SeekAudit(store, range.from);
  HITLGATE_RETURN_IF_ERROR(start);
  std::vector<std::string> ids;
  std::unordered_set<std::string> id_set;
  std::unordered_map<std::string, std::string> opened_queue;       // task -> queue at creation
  std::unordered_map<std::string, LastClaim> last_claim;           // task -> latest claim
  std::unordered_map<std::string, std::vector<CsatFact>> csat;     // interaction -> surveys
  std::unordered_map<std::string, std::pair<std::int64_t, std::int64_t>> assist;  // task -> (used, wrong)
  CollectedFacts facts;
  std::int64_t next = *start;
  for (;;) {
    auto page = store.ReadAudit(next, kAuditPage);
    HITLGATE_RETURN_IF_ERROR(page);
    if (page->empty()) break;
    for (const audit::AuditRecord& r : *page) {
      if (r.kind == audit::kinds::kEvent) {
        if (range.Contains(r.at) && id_set.insert(r.subject).second) ids.push_back(r.subject);
      } else if (r.kind == audit::kinds::kTaskCreated) {
        opened_queue[r.subject] = PayloadString(r.payload_json, "queue");
      } else if (r.kind == audit::kinds::kClaim) {
        last_claim[r.subject] = {r.actor, r.at};
        ++facts.claims_by_reviewer[r.actor];
      } else if (r.kind == "assist_feedback") {
        auto& [used, wrong] = assist[r.subject];
        ++(PayloadString(r.payload_json, "judgement") == "used" ? used : wrong);
      } else if (r.kind == kCsatAuditKind) {
        auto score = PayloadNumber(r.payload_json, "score");
        auto scale = PayloadNumber(r.payload_json, "scale");
        if (score && scale) csat[r.subject].push_back({r.at, *score, *scale});
      }
    }
    next = page->back().seq + 1;
  }
  for (const std::string& id : ids) {
    auto record = store.GetInteraction(id);
    if (!record) {
      if (record.error().code() == ErrorCode::kNotFound) continue;
      return std::unexpected(record.error());
    }
    InteractionFacts f;
    f.id = id;
    std::unordered_map<std::int64_t, std::int64_t> index_of_seq;
    for (const store::StoredDecision& d : record->decisions) {
      if (f.workflow.empty()) f.workflow = d.record.workflow;
      if (f.channel.empty()) f.channel = d.record.channel;
      index_of_seq[d.seq] = d.record.event_index;
      f.events.push_back(ToEventFact(d));
    }
    for (const store::Task& t : record->tasks) {
      TaskFact tf;
      tf.id = t.id;
      tf.kind = t.kind;
      auto q = opened_queue.find(t.id);
      tf.queue = q != opened_queue.end() && !q->second.empty() ? q->second : t.queue;
      tf.created_at = t.created_at;
      tf.due_at = t.due_at;
      tf.escalated = t.escalated;
      tf.cancelled = t.status == store::TaskStatus::kCancelled;
      if (auto it = index_of_seq.find(t.decision_seq); it != index_of_seq.end()) tf.event_index = it->second;
      if (t.verdict) {
        tf.answered_at = t.verdict->at;
        tf.verdict = t.verdict->kind;
        tf.reviewer = t.verdict->reviewer;
        auto c = last_claim.find(t.id);
        if (c != last_claim.end() && c->second.reviewer == t.verdict->reviewer && c->second.at <= t.verdict->at) {
          tf.handle_seconds = std::chrono::duration<double>(t.verdict->at - c->second.at).count();
        }
      }
      if (auto a = assist.find(t.id); a != assist.end()) std::tie(tf.assist_used, tf.assist_wrong) = a->second;
      f.tasks.push_back(std::move(tf));
    }
    if (auto c = csat.find(id); c != csat.end()) f.csat = std::move(c->second);
    facts.interactions.push_back(std::move(f));
  }
  return facts;
}

Result<void> RecordCsat(store::Store& store, const std::string& interaction_id, double score,
                        double scale, const std::string& source, const std::string& actor,
                        TimePoint now) {
  if (!(scale >= 2 && scale <= 100) || std::floor(scale) != scale) {
    return InvalidArgument("field 'scale': expected a whole number in 2..100");
  }
  if (!(score >= 1 && score <= scale)) {
    return InvalidArgument("field 'score': expected a number in 1.." + std::to_string(static_cast<int>(scale)));
  }
  if (source.size() > 64) return InvalidArgument("field 'source': longer than 64 bytes");
  auto interaction = store.GetInteraction(interaction_id);
  HITLGATE_RETURN_IF_ERROR(interaction);
  audit::AuditEntry entry;
  entry.kind = std::string(kCsatAuditKind);
  entry.actor = actor;
  entry.subject = interaction_id;
  std::string score_json, scale_json;
  codec::AppendJsonNumber(score, &score_json);
  codec::AppendJsonNumber(scale, &scale_json);
  entry.payload_json = audit::PayloadBuilder()
                           .Str("customer_id", interaction->customer_id)
                           .Raw("scale", scale_json)
                           .Raw("score", score_json)
                           .Str("source", source)
                           .Build();
  auto appended = store.AppendAudit({entry}, now);
  HITLGATE_RETURN_IF_ERROR(appended);
  return {};
}

}  // namespace hitlgate::measure
