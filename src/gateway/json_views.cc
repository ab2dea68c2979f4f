#include "gateway/json_views.h"

#include <algorithm>

#include "hitlgate/codec/json.h"
#include "hitlgate/codec/json_reader.h"
#include "hitlgate/common/time_format.h"

namespace hitlgate::gateway {

void WriteVerdict(const store::Verdict& v, codec::JsonWriter& w) {
  w.BeginObject();
  w.Field("kind", store::VerdictKindName(v.kind));
  w.Field("reviewer", v.reviewer);
  w.Field("at", FormatRfc3339(v.at));
  if (!v.edited_text.empty()) w.Field("edited_text", v.edited_text);
  if (!v.edited_action_json.empty()) w.Key("edited_action").Raw(v.edited_action_json);
  if (!v.reason.empty()) w.Field("reason", v.reason);
  if (!v.customer_message.empty()) w.Field("customer_message", v.customer_message);
  if (!v.note.empty()) w.Field("note", v.note);
  w.EndObject();
}

namespace {

void WriteTaskFields(const store::Task& t, codec::JsonWriter& w, bool with_context);

// One earlier interaction, summarised: when, where, the first customer
// words, the strictest decision and what people answered.
void WriteContact(const store::InteractionRecord& r, codec::JsonWriter& w) {
  w.BeginObject();
  w.Field("interaction_id", r.interaction_id);
  const store::DecisionRecord& first = r.decisions.front().record;
  w.Field("workflow", first.workflow);
  w.Field("channel", first.channel);
  w.Field("first_at", FormatRfc3339(first.at));
  w.Field("last_at", FormatRfc3339(r.decisions.back().record.at));
  w.Field("events", static_cast<std::int64_t>(r.decisions.size()));
  engine::Outcome strictest = engine::Outcome::kAllow;
  std::string first_message;
  for (const store::StoredDecision& d : r.decisions) {
    strictest = std::max(strictest, d.record.outcome);
    if (first_message.empty() && d.record.type == engine::EventType::kCustomerMessage) {
      if (auto reader = codec::JsonObjectReader::Parse(d.record.event_json)) {
        if (auto text = reader->OptString("text"); text && *text) first_message = **text;
      }
    }
  }
  constexpr size_t kPreview = 160;
  if (first_message.size() > kPreview) {
    size_t cut = kPreview;
    // Never cut a UTF-8 sequence in half.
    while (cut > 0 && (static_cast<unsigned char>(first_message[cut]) & 0xC0) == 0x80) --cut;
    first_message = first_message.substr(0, cut) + "…";
  }
  w.Field("first_message", first_message);
  w.Field("strictest_decision", engine::OutcomeName(strictest));
  w.Key("verdicts").BeginArray();
  for (const store::Task& task : r.tasks) {
    if (task.verdict) w.String(store::VerdictKindName(task.verdict->kind));
  }
  w.EndArray();
  w.EndObject();
}

}  // namespace

void WriteTranscriptEntry(const engine::Event& e, std::string_view decision, codec::JsonWriter& w) {
  w.BeginObject();
  w.Field("type", engine::EventTypeName(e.type));
  if (!e.text.empty()) w.Field("text", e.text);
  if (e.at) w.Field("at", FormatRfc3339(*e.at));
  if (!e.intent.empty()) w.Field("intent", e.intent);
  if (e.confidence) w.Key("confidence").Number(*e.confidence, 4);
  if (e.action) w.Key("action").Raw(codec::EncodeAction(*e.action));
  if (!decision.empty()) w.Field("decision", decision);
  w.EndObject();
}

std::string TaskWithRecentContactsJson(const store::Task& t,
                                       const std::vector<store::InteractionRecord>& history,
                                       size_t limit, const store::InteractionRecord* transcript,
                                       size_t max_transcript) {
  std::vector<const store::InteractionRecord*> others;
  for (const store::InteractionRecord& r : history) {
    if (r.interaction_id != t.interaction_id && !r.decisions.empty()) others.push_back(&r);
  }
  std::ranges::sort(others, [](const auto* a, const auto* b) {
    return a->decisions.back().record.at > b->decisions.back().record.at;
  });
  if (others.size() > limit) others.resize(limit);
  codec::JsonWriter w;
  w.BeginObject();
  WriteTaskFields(t, w, /*with_context=*/true);
  if (limit > 0) {  // 0: the contacts were not read, so none are shown
    w.Key("recent_contacts").BeginArray();
    for (const auto* r : others) WriteContact(*r, w);
    w.EndArray();
  }
  if (transcript != nullptr) {
    // Read when the task is shown rather than copied into it when it is
    // opened: the event path does no read for it, and the customer's words
    // are stored once (interaction ids are unique within a workflow).
    std::vector<const store::StoredDecision*> turns;
    for (const store::StoredDecision& d : transcript->decisions) {
      if (d.record.workflow != t.workflow) continue;
      if (t.decision_seq > 0 && d.seq > t.decision_seq) break;
      turns.push_back(&d);
    }
    const size_t first = turns.size() > max_transcript ? turns.size() - max_transcript : 0;
    w.Key("transcript").BeginArray();
    for (size_t i = first; i < turns.size(); ++i) {
      if (auto event = codec::ParseEvent(turns[i]->record.event_json)) {
        WriteTranscriptEntry(*event, engine::OutcomeName(turns[i]->record.outcome), w);
      }
    }
    w.EndArray();
  }
  w.EndObject();
  return w.Take();
}

void WriteTask(const store::Task& t, codec::JsonWriter& w, bool with_context, std::optional<bool> can_claim) {
  w.BeginObject();
  WriteTaskFields(t, w, with_context);
  if (can_claim) w.Field("can_claim", *can_claim);
  w.EndObject();
}

namespace {

void WriteTaskFields(const store::Task& t, codec::JsonWriter& w, bool with_context) {
  w.Field("id", t.id);
  w.Field("kind", store::TaskKindName(t.kind));
  w.Field("status", store::TaskStatusName(t.status));
  w.Field("interaction_id", t.interaction_id);
  w.Field("customer_id", t.customer_id);
  w.Field("workflow", t.workflow);
  w.Field("queue", t.queue);
  w.Key("skills").Strings(t.skills);
  w.Field("language", t.language);
  w.Field("priority", t.priority);
  w.Field("created_at", FormatRfc3339(t.created_at));
  w.Field("due_at", FormatRfc3339(t.due_at));
  if (t.hold_notice_at) w.Field("hold_notice_at", FormatRfc3339(*t.hold_notice_at));
  w.Field("escalated", t.escalated);
  w.Field("claim_count", t.claim_count);
  if (t.lease) {
    w.Key("lease").BeginObject();
    w.Field("owner", t.lease->owner);
    w.Field("lease_id", t.lease->lease_id);
    w.Field("expires_at", FormatRfc3339(t.lease->expires_at));
    w.EndObject();
  } else {
    w.Key("lease").Null();
  }
  w.Key("verdict");
  if (t.verdict) {
    WriteVerdict(*t.verdict, w);
  } else {
    w.Null();
  }
  if (with_context) w.Key("context").Raw(t.context_json.empty() ? "{}" : t.context_json);
}

}  // namespace

std::string TaskJson(const store::Task& t, bool with_context) {
  codec::JsonWriter w;
  WriteTask(t, w, with_context);
  return w.Take();
}

void WriteKey(const store::ApiKey& k, codec::JsonWriter& w) {
  // Never the secret hash: it is of no use to a client and helps an attacker.
  w.BeginObject();
  w.Field("key_id", k.key_id);
  w.Field("name", k.name);
  w.Field("role", store::RoleName(k.role));
  w.Key("skills").Strings(k.skills);
  w.Key("languages").Strings(k.languages);
  w.Key("workflows").Strings(k.workflows);
  w.Field("max_concurrent", k.max_concurrent);
  w.Key("approval_limits").BeginObject();
  for (const store::ApprovalLimit& l : k.approval_limits) w.Key(l.currency).Number(l.max_amount);
  w.EndObject();
  w.Field("created_at", FormatRfc3339(k.created_at));
  w.Field("created_by", k.created_by);
  if (k.revoked_at) w.Field("revoked_at", FormatRfc3339(*k.revoked_at));
  w.EndObject();
}

}  // namespace hitlgate::gateway
