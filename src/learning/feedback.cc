// Feedback examples derived from the audit log and the records it points to.
#include <boost/json.hpp>
#include <map>

#include "hitlgate/audit/record.h"
#include "hitlgate/codec/json.h"
#include "hitlgate/learning/feedback.h"
#include "hitlgate/store/audit_source.h"

namespace hitlgate::learning {
namespace {

namespace json = boost::json;

std::string StringField(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it != o.end() && it->value().is_string() ? std::string(it->value().get_string()) : "";
}

// What the engine knew when it decided, from a decision's JSON.
void ReadDecision(std::string_view decision_json, FeedbackExample* ex) {
  json::error_code ec;
  json::value v = json::parse(decision_json, ec);
  if (ec || !v.is_object()) return;
  const json::object& d = v.get_object();
  ex->outcome = StringField(d, "decision");
  ex->policy_version = StringField(d, "policy_version");
  if (auto it = d.find("signals"); it != d.end() && it->value().is_object()) {
    ex->signals_json = json::serialize(it->value());
  }
  if (auto it = d.find("reasons"); it != d.end() && it->value().is_array()) {
    for (const json::value& r : it->value().get_array()) {
      if (r.is_object()) ex->triggers.push_back(StringField(r.get_object(), "trigger"));
    }
  }
}

void ReadProposal(const engine::Event& e, FeedbackExample* ex) {
  ex->intent = e.intent;
  ex->confidence = e.confidence;
  ex->proposal_text = e.text;
  ex->proposal_action_json = e.action ? codec::EncodeAction(*e.action) : "";
}

// The verdict's effect on what the customer got.
void ApplyVerdict(const store::Verdict& v, FeedbackExample* ex) {
  ex->verdict = std::string(store::VerdictKindName(v.kind));
  ex->reason = v.reason;
  switch (v.kind) {
    case store::VerdictKind::kApproved:
      ex->delivered = true;
      ex->final_text = ex->proposal_text;
      ex->final_action_json = ex->proposal_action_json;
      break;
    case store::VerdictKind::kEdited:
      ex->delivered = true;
      ex->final_text = v.edited_text.empty() ? ex->proposal_text : v.edited_text;
      ex->final_action_json =
          v.edited_action_json.empty() ? ex->proposal_action_json : v.edited_action_json;
      break;
    case store::VerdictKind::kRejected:
      ex->final_text = v.customer_message;
      break;
    case store::VerdictKind::kTakenOver:
      break;
  }
}

void Finish(FeedbackExample* ex) {
  const bool has_proposal = !ex->proposal_text.empty() || !ex->proposal_action_json.empty();
  ex->diff = DiffTexts(ex->proposal_text, ex->final_text);
  ex->diff.action_changed = ex->proposal_action_json != ex->final_action_json;
  if (has_proposal && ex->agreed == std::nullopt && ex->verdict != "workflow_paused") {
    ex->agreed = ex->verdict == "approved";
  }
  ex->reason_category = ReasonCategory(ex->verdict, ex->reason);
}

// The interaction's latest AI proposal recorded at or before `at` (with the
// customer's message before it), for judgements of a whole conversation.
void LatestProposal(store::Store& store, const std::string& interaction_id, const std::string& workflow,
                    TimePoint at, FeedbackExample* ex) {
  auto record = store.GetInteraction(interaction_id);
  if (!record) return;
  std::string customer_text;
  for (const store::StoredDecision& d : record->decisions) {
    if (d.record.at > at) break;
    if (!workflow.empty() && d.record.workflow != workflow) continue;  // ids are per workflow
    auto event = codec::ParseEvent(d.record.event_json);
    if (!event) continue;
    if (event->type == engine::EventType::kCustomerMessage) {
      customer_text = event->text;
    } else if (event->type == engine::EventType::kAiProposal) {
      ReadProposal(*event, ex);
      ex->customer_text = customer_text;
      ex->triggers.clear();
      ReadDecision(d.record.decision_json, ex);
    }
  }
}

// The held proposal and its transcript from a task's context.
void ReadTaskContext(const store::Task& task, FeedbackExample* ex) {
  json::error_code ec;
  json::value v = json::parse(task.context_json, ec);
  if (ec || !v.is_object()) return;
  const json::object& c = v.get_object();
  if (auto it = c.find("event"); it != c.end() && it->value().is_object()) {
    if (auto e = codec::ParseEvent(json::serialize(it->value())); e && e->type == engine::EventType::kAiProposal) {
      ReadProposal(*e, ex);
    }
  }
  if (auto it = c.find("decision"); it != c.end() && it->value().is_object()) {
    ReadDecision(json::serialize(it->value()), ex);
  }
  // Tasks opened before transcripts were read from the interaction carry
  // one in their context; newer ones are completed by LastCustomerText.
  if (auto it = c.find("transcript"); it != c.end() && it->value().is_array()) {
    const json::array& t = it->value().get_array();
    // The transcript ends with the held event: the customer's latest
    // message is the last one in it (the event itself for a handoff).
    for (size_t i = t.size(); i-- > 0;) {
      if (!t[i].is_object()) continue;
      const json::object& entry = t[i].get_object();
      if (StringField(entry, "type") == "customer_message") {
        ex->customer_text = StringField(entry, "text");
        break;
      }
    }
  }
}

// The customer's latest words up to the task's own event (a handoff's is
// the event itself), from the interaction's record in the task's workflow.
void LastCustomerText(store::Store& store, const store::Task& task, FeedbackExample* ex) {
  if (!ex->customer_text.empty() || task.interaction_id.empty()) return;
  auto record = store.GetInteraction(task.interaction_id);
  if (!record) return;
  for (const store::StoredDecision& d : record->decisions) {
    if (task.decision_seq > 0 && d.seq > task.decision_seq) break;
    if (d.record.workflow != task.workflow || d.record.type != engine::EventType::kCustomerMessage) continue;
    if (auto event = codec::ParseEvent(d.record.event_json)) ex->customer_text = event->text;
  }
}

Result<std::optional<FeedbackExample>> FromVerdict(store::Store& store, const audit::AuditRecord& r) {
  auto task = store.GetTask(r.subject);
  if (!task) {
    // An erased customer's task is gone; its audit record stays.
    if (task.error().code() == ErrorCode::kNotFound) return std::nullopt;
    return std::unexpected(task.error());
  }
  if (task->kind == store::TaskKind::kAutonomyChange || !task->verdict) return std::nullopt;
  FeedbackExample ex;
  ex.audit_seq = r.seq;
  ex.at = r.at;
  ex.source = std::string(store::TaskKindName(task->kind));
  ex.task_id = task->id;
  ex.interaction_id = task->interaction_id;
  ex.workflow = task->workflow;
  ex.actor = r.actor;
  if (task->kind == store::TaskKind::kAuditSample) {
    // The auditor judged the autonomous conversation: its latest proposal.
    LatestProposal(store, task->interaction_id, task->workflow, r.at, &ex);
  } else {
    ReadTaskContext(*task, &ex);
    LastCustomerText(store, *task, &ex);
  }
  ApplyVerdict(*task->verdict, &ex);
  if (task->kind == store::TaskKind::kAuditSample) {
    // Autonomous work went out before the audit: "approved" confirms it,
    // anything else flags it; nothing is re-delivered.
    ex.delivered = true;
    ex.final_text = ex.verdict == "approved" ? ex.proposal_text : task->verdict->edited_text;
    ex.final_action_json = ex.verdict == "approved" ? ex.proposal_action_json : task->verdict->edited_action_json;
  }
  Finish(&ex);
  return ex;
}

std::optional<FeedbackExample> FromControl(store::Store& store, const audit::AuditRecord& r) {
  json::error_code ec;
  json::value v = json::parse(r.payload_json, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const std::string kind = StringField(v.get_object(), "kind");
  FeedbackExample ex;
  ex.audit_seq = r.seq;
  ex.at = r.at;
  ex.source = "intervention";
  ex.actor = r.actor;
  ex.verdict = kind;
  ex.reason = StringField(v.get_object(), "reason");
  if (kind == "workflow_paused") {
    ex.workflow = r.subject;
  } else if (const size_t slash = r.subject.find('/'); slash != std::string::npos) {
    // "<workflow>/<interaction id>" (gateway::ControlTarget).
    ex.workflow = r.subject.substr(0, slash);
    ex.interaction_id = r.subject.substr(slash + 1);
    LatestProposal(store, ex.interaction_id, ex.workflow, r.at, &ex);
  } else {
    // Set before interactions were scoped by workflow: the bare id.
    ex.interaction_id = r.subject;
    LatestProposal(store, r.subject, "", r.at, &ex);
    if (auto record = store.GetInteraction(r.subject); record && !record->decisions.empty()) {
      ex.workflow = record->decisions.front().record.workflow;
    }
  }
  Finish(&ex);
  return ex;
}

}  // namespace

Result<std::vector<FeedbackExample>> CollectFeedback(store::Store& store, const CollectOptions& options) {
  std::vector<FeedbackExample> out;
  // task id -> the assist judgements seen so far, waiting for its verdict.
  std::map<std::string, std::pair<std::vector<std::string>, std::vector<std::string>>> judged;
  store::StoreAuditSource source(&store);
  while (true) {
    auto next = source.Next();
    HITLGATE_RETURN_IF_ERROR(next);
    if (!*next) break;
    const audit::AuditRecord& r = **next;
    if (r.kind == "assist_feedback") {
      // Kept whatever the time range: it belongs to its task's verdict.
      boost::system::error_code ec;
      boost::json::value payload = boost::json::parse(r.payload_json, ec);
      if (ec || !payload.is_object()) continue;
      const auto* action = payload.as_object().if_contains("action");
      const auto* judgement = payload.as_object().if_contains("judgement");
      if (action == nullptr || !action->is_string() || judgement == nullptr || !judgement->is_string()) continue;
      auto& [used, wrong] = judged[r.subject];
      (judgement->as_string() == "used" ? used : wrong).emplace_back(action->as_string());
      continue;
    }
    if (options.from && r.at < *options.from) continue;
    if (options.to && r.at >= *options.to) continue;
    if (r.kind == audit::kinds::kVerdict) {
      auto ex = FromVerdict(store, r);
      HITLGATE_RETURN_IF_ERROR(ex);
      if (*ex) {
        if (auto it = judged.find((*ex)->task_id); it != judged.end()) {
          (*ex)->assist_used = std::move(it->second.first);
          (*ex)->assist_wrong = std::move(it->second.second);
          judged.erase(it);
        }
        out.push_back(std::move(**ex));
      }
    } else if (r.kind == "control_set") {
      if (auto ex = FromControl(store, r)) out.push_back(std::move(*ex));
    }
  }
  return out;
}

Result<std::optional<FeedbackExample>> FeedbackFromRecord(store::Store& store, const audit::AuditRecord& r) {
  if (r.kind == audit::kinds::kVerdict) return FromVerdict(store, r);
  if (r.kind == "control_set") return FromControl(store, r);
  return std::nullopt;
}

void MaskExample(const PersonalDataMasker& masker, FeedbackExample* ex, MaskCounts* counts) {
  for (std::string* s : {&ex->proposal_text, &ex->customer_text, &ex->final_text, &ex->reason,
                         &ex->diff.marked, &ex->proposal_action_json, &ex->final_action_json}) {
    *s = masker.Mask(*s, counts);
  }
}

}  // namespace hitlgate::learning
