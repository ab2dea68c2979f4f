#include "hitlgate/codec/review_json.h"

#include <algorithm>
#include <chrono>

#include "hitlgate/codec/json.h"
#include "hitlgate/codec/json_reader.h"
#include "hitlgate/common/time_format.h"

namespace hitlgate::codec {
namespace {

void WriteTaskFields(const store::Task& t, JsonWriter& w, bool with_context) {
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

// One earlier interaction, summarised: when, where, the first customer
// words, the strictest decision and what people answered.
void WriteContact(const store::InteractionRecord& r, JsonWriter& w) {
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
      if (auto reader = JsonObjectReader::Parse(d.record.event_json)) {
        if (auto text = reader->OptString("text"); text && *text) first_message = **text;
      }
    }
  }
  constexpr size_t kPreview = 160;
  if (first_message.size() > kPreview) {
    size_t cut = kPreview;
    // Never cut a UTF-8 sequence in half.
    while (cut > 0 && (static_cast<unsigned char>(first_message[cut]) & 0xC0) == 0x80) --cut;
    first_message.resize(cut);
    first_message += "…";
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

void WriteTranscriptEntry(const engine::Event& e, std::string_view decision, JsonWriter& w) {
  w.BeginObject();
  w.Field("type", engine::EventTypeName(e.type));
  if (!e.text.empty()) w.Field("text", e.text);
  if (e.at) w.Field("at", FormatRfc3339(*e.at));
  if (!e.intent.empty()) w.Field("intent", e.intent);
  if (e.confidence) w.Key("confidence").Number(*e.confidence, 4);
  if (e.action) w.Key("action").Raw(EncodeAction(*e.action));
  if (!decision.empty()) w.Field("decision", decision);
  w.EndObject();
}

std::string DeadlineCustomerMessage(const store::Task& task) {
  auto context = JsonObjectReader::Parse(task.context_json);
  if (!context) return "";
  auto line = context->OptString("deadline_customer_message");
  return line && *line ? std::move(**line) : std::string();
}

// Delivers the proposal as it was: what a fail_open deadline and an approval
// without edits both send.
void WriteProposal(const engine::Event* ai, std::string_view edited_text,
                   std::string_view edited_action_json, JsonWriter& w) {
  const std::string text(!edited_text.empty() ? edited_text : ai ? std::string_view(ai->text) : "");
  const bool has_action = !edited_action_json.empty() || (ai && ai->action);
  w.Field("deliver", !text.empty() || has_action);
  w.Field("text", text);
  if (!edited_action_json.empty()) {
    w.Key("action").Raw(edited_action_json);
    // The AI wrote its reply for the action it proposed ("I refunded 150
    // USD"); a reviewer who changed only the action leaves that reply wrong.
    if (edited_text.empty() && !text.empty()) w.Field("text_outdated", true);
  } else if (ai && ai->action) {
    w.Key("action").Raw(EncodeAction(*ai->action));
  }
}

// The agent's deadline settled the task before a person did.
void WriteDeadlineFinal(const store::Task& task, JsonWriter& w) {
  const engine::DeadlineFallback fallback = task.deadline->fallback;
  w.Key("final").BeginObject();
  if (fallback == engine::DeadlineFallback::kFailOpen) {
    const std::optional<engine::Event> proposal = HeldProposal(task);
    WriteProposal(proposal ? &*proposal : nullptr, "", "", w);
  } else {
    w.Field("deliver", false);
    if (std::string line = DeadlineCustomerMessage(task); !line.empty()) {
      w.Field("customer_message", line);
    }
  }
  w.Field("fallback", engine::DeadlineFallbackName(fallback));
  w.EndObject();
}

// What the agent should deliver after a person's verdict, so it needs no
// merging logic.
void WriteVerdictFinal(const store::Task& task, const store::Verdict& v, JsonWriter& w) {
  w.Key("final").BeginObject();
  if (task.kind == store::TaskKind::kAuditSample) {
    // An auditor judged work that already went out: nothing to deliver
    // (an edit is a correction for the learning loop, not an action).
    w.Field("deliver", false);
  } else if (task.kind == store::TaskKind::kContest) {
    // A contested decision: nothing to deliver but the explanation owed to
    // the customer (docs/data-protection.md).
    w.Field("contest", v.kind == store::VerdictKind::kApproved ? "upheld" : "overturned");
    w.Field("deliver", false);
    w.Field("customer_message", v.customer_message);
  } else {
    switch (v.kind) {
      case store::VerdictKind::kApproved:
      case store::VerdictKind::kEdited: {
        const std::optional<engine::Event> proposal = HeldProposal(task);
        WriteProposal(proposal ? &*proposal : nullptr, v.edited_text, v.edited_action_json, w);
        break;
      }
      case store::VerdictKind::kRejected:
        w.Field("deliver", false);
        w.Field("customer_message", v.customer_message);
        break;
      case store::VerdictKind::kTakenOver:
        w.Field("deliver", false);
        w.Field("taken_over_by", v.reviewer);
        break;
    }
  }
  w.EndObject();
}

}  // namespace

void WriteVerdict(const store::Verdict& v, JsonWriter& w) {
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

void WriteTask(const store::Task& t, JsonWriter& w, bool with_context, std::optional<bool> can_claim) {
  w.BeginObject();
  WriteTaskFields(t, w, with_context);
  if (can_claim) w.Field("can_claim", *can_claim);
  w.EndObject();
}

std::string TaskJson(const store::Task& t, bool with_context) {
  JsonWriter w;
  WriteTask(t, w, with_context);
  return w.Take();
}

std::string QueuesJson(const std::vector<gateway::QueueSummary>& queues) {
  JsonWriter w;
  w.BeginObject().Key("queues").BeginArray();
  for (const gateway::QueueSummary& q : queues) {
    w.BeginObject();
    w.Field("name", q.name);
    w.Key("skills").Strings(q.skills);
    w.Field("priority", q.priority);
    w.Field("sla_seconds", q.sla_seconds);
    w.Field("open", q.open);
    w.Field("can_work", q.can_work);
    w.EndObject();
  }
  w.EndArray().EndObject();
  return w.Take();
}

std::string TaskListJson(const std::vector<gateway::TaskListEntry>& tasks) {
  JsonWriter w;
  w.BeginObject().Key("tasks").BeginArray();
  for (const gateway::TaskListEntry& e : tasks) WriteTask(e.task, w, /*with_context=*/false, e.can_claim);
  w.EndArray().EndObject();
  return w.Take();
}

std::string ReviewerTaskJson(const gateway::ReviewerTask& view) {
  JsonWriter w;
  w.BeginObject();
  WriteTaskFields(view.task, w, /*with_context=*/true);
  if (view.recent_contacts) {
    w.Key("recent_contacts").BeginArray();
    for (const store::InteractionRecord& r : *view.recent_contacts) WriteContact(r, w);
    w.EndArray();
  }
  if (view.transcript) {
    w.Key("transcript").BeginArray();
    for (const store::StoredDecision& d : *view.transcript) {
      if (auto event = ParseEvent(d.record.event_json)) {
        WriteTranscriptEntry(*event, engine::OutcomeName(d.record.outcome), w);
      }
    }
    w.EndArray();
  }
  w.EndObject();
  return w.Take();
}

std::string InteractionJson(const store::InteractionRecord& record) {
  JsonWriter w;
  w.BeginObject();
  w.Field("interaction_id", record.interaction_id);
  w.Field("customer_id", record.customer_id);
  w.Key("events").BeginArray();
  for (const store::StoredDecision& d : record.decisions) {
    w.BeginObject();
    w.Field("seq", d.seq);
    w.Field("workflow", d.record.workflow);
    w.Key("event").Raw(d.record.event_json);
    w.Key("decision").Raw(d.record.decision_json);
    if (!d.task_id.empty()) w.Field("task_id", d.task_id);
    w.EndObject();
  }
  w.EndArray();
  w.Key("tasks").BeginArray();
  for (const store::Task& t : record.tasks) WriteTask(t, w, /*with_context=*/false);
  w.EndArray();
  w.EndObject();
  return w.Take();
}

std::string AgentTaskJson(const gateway::AgentTaskView& view) {
  const store::Task& task = view.task;
  JsonWriter w;
  w.BeginObject();
  w.Field("task_id", task.id);
  w.Field("kind", store::TaskKindName(task.kind));
  w.Field("interaction_id", task.interaction_id);
  const bool answered = task.status == store::TaskStatus::kAnswered;
  const bool cancelled = task.status == store::TaskStatus::kCancelled;
  // Expired for the agent: a handed-off task may still be open for a person.
  const bool expired = !answered && !cancelled && task.expired_at.has_value();
  w.Field("status", answered ? "answered" : cancelled ? "cancelled" : expired ? "expired" : "pending");
  w.Field("queue", task.queue);
  w.Field("escalated", task.escalated);
  w.Field("due_at", FormatRfc3339(task.due_at));
  if (task.deadline) {
    w.Field("deadline_at", FormatRfc3339(task.deadline->at));
    w.Field("on_deadline", engine::DeadlineFallbackName(task.deadline->fallback));
  }
  if (answered && task.verdict) {
    w.Key("verdict");
    WriteVerdict(*task.verdict, w);
    WriteVerdictFinal(task, *task.verdict, w);
    // An audit sample or a contest delivers nothing, so no receipt either.
    if (task.kind == store::TaskKind::kAuditSample || task.kind == store::TaskKind::kContest) {
      w.EndObject();
      return w.Take();
    }
  } else if (expired) {
    WriteDeadlineFinal(task, w);
  } else if (!cancelled && task.hold_notice_at && view.now >= *task.hold_notice_at) {
    // The hold has lasted past the policy's notice time: the customer should
    // hear something, with an honest estimate (the time left to the SLA).
    auto remaining = std::chrono::duration_cast<std::chrono::seconds>(task.due_at - view.now).count();
    w.Key("holding_message").BeginObject();
    w.Field("text", view.holding_message);
    w.Field("expected_wait_seconds", static_cast<std::int64_t>(std::max<std::int64_t>(remaining, 0)));
    w.EndObject();
  }
  // The signed approval, for the executor to check before it acts.
  if (view.receipt_json) w.Key("receipt").Raw(*view.receipt_json);
  w.EndObject();
  return w.Take();
}

std::optional<engine::Event> HeldProposal(const store::Task& task) {
  auto context = JsonObjectReader::Parse(task.context_json);
  if (!context) return std::nullopt;
  auto raw = context->OptRaw("event");
  if (!raw || !*raw) return std::nullopt;
  auto event = ParseEvent(**raw);
  if (!event || event->type != engine::EventType::kAiProposal) return std::nullopt;
  return std::move(*event);
}

}  // namespace hitlgate::codec
