// Customers' rights: contests of automated decisions (GDPR Art. 22),
// data-subject export and erasure, legal holds (docs/data-protection.md).
#include <algorithm>
#include <array>
#include <mutex>
#include <set>

#include "gateway/access.h"
#include "hitlgate/audit/payload.h"
#include "hitlgate/codec/json_writer.h"
#include "hitlgate/codec/review_json.h"
#include "hitlgate/common/time_format.h"
#include "hitlgate/crypto/hash.h"
#include "hitlgate/privacy/data_protection.h"

namespace hitlgate::privacy {

using gateway::Gateway;
using gateway::Principal;
using gateway::Permission;
using gateway::Require;
using gateway::RequireWorkflow;
using gateway::VerdictRequest;

namespace {

constexpr size_t kMaxStatement = 8000;
constexpr int kAuditPage = 1000;

// One contest at a time per interaction, so two requests cannot both pass
// the "contested before" check (the store has no uniqueness for it).
std::mutex& ContestLock(const std::string& interaction_id) {
  static std::array<std::mutex, 64> stripes;
  return stripes[std::hash<std::string>{}(interaction_id) % stripes.size()];
}

std::string HoldTarget(std::string_view scope, std::string_view id) {
  return std::string(scope) + ":" + std::string(id);
}

Result<void> RequireAdmin(const Principal& who, std::string_view what) {
  if (who.role == store::Role::kAdmin) return {};
  return MakeError(ErrorCode::kPermissionDenied,
                   "role " + std::string(store::RoleName(who.role)) + " may not " + std::string(what));
}

Result<void> RequireAdminOrAuditor(const Principal& who, std::string_view what) {
  if (who.role == store::Role::kAdmin || who.role == store::Role::kAuditor) return {};
  return MakeError(ErrorCode::kPermissionDenied,
                   "role " + std::string(store::RoleName(who.role)) + " may not " + std::string(what));
}

void WriteDecision(const store::StoredDecision& d, codec::JsonWriter& w) {
  w.BeginObject();
  w.Field("seq", d.seq);
  w.Field("event_index", d.record.event_index);
  w.Field("type", engine::EventTypeName(d.record.type));
  w.Field("at", FormatRfc3339(d.record.at));
  w.Field("workflow", d.record.workflow);
  w.Field("channel", d.record.channel);
  w.Field("outcome", engine::OutcomeName(d.record.outcome));
  w.Field("policy_version", d.record.policy_version);
  w.Key("event").Raw(d.record.event_json);
  w.Key("decision").Raw(d.record.decision_json);
  if (!d.task_id.empty()) w.Field("task_id", d.task_id);
  w.EndObject();
}

// The decision a contest names: by seq, by event index, or the latest.
Result<const store::StoredDecision*> FindContested(const store::InteractionRecord& r,
                                                   const ContestRequest& request) {
  if (r.decisions.empty()) return NotFound("interaction " + r.interaction_id + " has no decisions");
  if (request.decision_seq && request.event_index) {
    return InvalidArgument("give 'decision_seq' or 'event_index', not both");
  }
  for (const store::StoredDecision& d : r.decisions) {
    if (request.decision_seq && d.seq == *request.decision_seq) return &d;
    if (request.event_index && d.record.event_index == *request.event_index) return &d;
  }
  if (!request.decision_seq && !request.event_index) return &r.decisions.back();
  return NotFound(request.decision_seq
                      ? "interaction " + r.interaction_id + " has no decision " +
                            std::to_string(*request.decision_seq)
                      : "interaction " + r.interaction_id + " has no event " +
                            std::to_string(*request.event_index));
}

std::string ContestContext(const store::InteractionRecord& r, const store::StoredDecision& contested,
                           const ContestRequest& request, const Principal& who) {
  codec::JsonWriter w;
  w.BeginObject();
  w.Key("contest").BeginObject();
  w.Field("statement", request.statement);
  w.Field("requested_by", request.requested_by);
  w.Field("requested_via", who.key_id);
  w.Field("decision_seq", contested.seq);
  w.Field("event_index", contested.record.event_index);
  w.EndObject();
  // Named "contested_*", not "event": this task approves nothing of its own
  // (no receipt, no proposal to deliver).
  w.Key("contested_event").Raw(contested.record.event_json);
  w.Key("contested_decision").Raw(contested.record.decision_json);
  w.Key("trail").BeginArray();
  for (const store::StoredDecision& d : r.decisions) WriteDecision(d, w);
  w.EndArray();
  w.Key("reviews").BeginArray();
  for (const store::Task& t : r.tasks) codec::WriteTask(t, w, /*with_context=*/false);
  w.EndArray();
  w.EndObject();
  return w.Take();
}

// Every audit record about these interactions, tasks or the customer id.
Result<std::vector<audit::AuditRecord>> AuditAbout(store::Store& store, const std::string& customer_id,
                                                   std::set<std::string> subjects) {
  std::vector<audit::AuditRecord> all;
  std::int64_t from = 1;
  while (true) {
    auto page = store.ReadAudit(from, kAuditPage);
    HITLGATE_RETURN_IF_ERROR(page);
    for (audit::AuditRecord& r : *page) all.push_back(std::move(r));
    if (static_cast<int>(page->size()) < kAuditPage) break;
    from = all.back().seq + 1;
  }
  // The "event" records name the customer; they lead to the interactions
  // (the tables may no longer, after an erasure).
  const std::string needle = "\"customer_id\":" + codec::JsonWriter().String(customer_id).Take();
  for (const audit::AuditRecord& r : all) {
    if (r.payload_json.find(needle) != std::string::npos) subjects.insert(r.subject);
  }
  // Tasks of those interactions name them in their task_created payload.
  for (const audit::AuditRecord& r : all) {
    if (r.kind != audit::kinds::kTaskCreated) continue;
    for (const std::string& s : std::set<std::string>(subjects)) {
      const std::string iid = "\"interaction_id\":" + codec::JsonWriter().String(s).Take();
      if (r.payload_json.find(iid) != std::string::npos) subjects.insert(r.subject);
    }
  }
  std::vector<audit::AuditRecord> out;
  for (audit::AuditRecord& r : all) {
    if (subjects.contains(r.subject)) out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

std::string CustomerPseudonym(const Services& services, const std::string& customer_id) {
  const std::string h = crypto::Sha256Hex(services.gateway.options().access.key_pepper + '\x1f' + customer_id);
  return "p-" + h.substr(0, 24);
}

Result<std::string> OpenContest(const Services& services, const Principal& who, const std::string& interaction_id,
                                const ContestRequest& request) {
  if (!who.Can(Permission::kSubmitEvents) && !who.Can(Permission::kSuperviseTasks)) {
    return MakeError(ErrorCode::kPermissionDenied,
                     "role " + std::string(store::RoleName(who.role)) +
                         " may not contest decisions (agents for their customers, supervisors on their behalf)");
  }
  store::Store& store = services.store;
  auto record = store.GetInteraction(interaction_id);
  HITLGATE_RETURN_IF_ERROR(record);
  auto workflow = gateway::ResolveWorkflow(*record, who, request.workflow, "field 'workflow'");
  HITLGATE_RETURN_IF_ERROR(workflow);
  if (request.statement.find_first_not_of(" \t\r\n") == std::string::npos) {
    return InvalidArgument("field 'statement': the customer's point of view is required");
  }
  if (request.statement.size() > kMaxStatement) {
    return InvalidArgument("field 'statement': at most " + std::to_string(kMaxStatement) + " bytes");
  }
  if (request.requested_by != "customer" && request.requested_by != "operator") {
    return InvalidArgument("field 'requested_by': 'customer' or 'operator', got '" + request.requested_by + "'");
  }

  std::lock_guard lock(ContestLock(interaction_id));
  // Re-read under the lock: a contest opened meanwhile is seen.
  record = store.GetInteraction(interaction_id);
  HITLGATE_RETURN_IF_ERROR(record);
  gateway::KeepWorkflow(&*record, *workflow);
  auto contested = FindContested(*record, request);
  HITLGATE_RETURN_IF_ERROR(contested);
  const store::StoredDecision& d = **contested;
  for (const store::Task& t : record->tasks) {
    if (t.kind == store::TaskKind::kContest && t.decision_seq == d.seq &&
        t.status != store::TaskStatus::kCancelled) {
      return MakeError(ErrorCode::kAlreadyExists, "decision " + std::to_string(d.seq) +
                                                      " was already contested: task " + t.id + " (" +
                                                      std::string(store::TaskStatusName(t.status)) + ")");
    }
  }

  const TimePoint now = services.gateway.clock().Now();
  store::StandaloneTask open;
  open.interaction_id = interaction_id;
  open.customer_id = d.record.customer_id;
  open.workflow = d.record.workflow;
  open.decision_seq = d.seq;
  open.actor = who.key_id;
  open.task.kind = store::TaskKind::kContest;
  open.task.queue = services.gateway.options().escalation_queue;
  open.task.priority = 2;
  open.task.created_at = now;
  open.task.due_at = now + kContestDue;
  open.task.context_json = ContestContext(*record, d, request, who);
  audit::AuditEntry entry{"contest_opened", who.key_id, interaction_id,
                          audit::PayloadBuilder()
                              .Int("decision_seq", d.seq)
                              .Str("requested_by", request.requested_by)
                              .Str("statement_sha256", crypto::Sha256Hex(request.statement))
                              .Build()};
  auto task = store.OpenTask(open, {entry}, now);
  HITLGATE_RETURN_IF_ERROR(task);
  codec::JsonWriter w;
  w.BeginObject();
  w.Field("task_id", task->id);
  w.Field("task_url", "/v1/tasks/" + task->id + "?wait=30s");
  w.Field("interaction_id", interaction_id);
  w.Field("decision_seq", d.seq);
  w.Field("queue", task->queue);
  w.Field("due_at", FormatRfc3339(task->due_at));
  w.EndObject();
  return w.Take();
}

Result<std::string> DecideContest(const Services& services, const Principal& who, const std::string& task_id,
                                  const ContestVerdict& verdict) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kWorkTasks));
  auto task = services.store.GetTask(task_id);
  HITLGATE_RETURN_IF_ERROR(task);
  if (task->kind != store::TaskKind::kContest) {
    return FailedPrecondition("task " + task_id + " is a " + std::string(store::TaskKindName(task->kind)) +
                              " task, not a contest: use /v1/review/tasks/{id}/verdict");
  }
  if (verdict.explanation.find_first_not_of(" \t\r\n") == std::string::npos) {
    return InvalidArgument("field 'explanation': the customer is owed an explanation");
  }
  VerdictRequest r;
  r.lease_id = verdict.lease_id;
  r.kind = verdict.upheld ? store::VerdictKind::kApproved : store::VerdictKind::kRejected;
  r.reason = verdict.upheld ? "" : "contest: the automated decision is overturned";
  r.customer_message = verdict.explanation;
  r.note = verdict.note;
  r.override = verdict.override;
  auto answered = services.gateway.review().SubmitVerdict(who, task_id, r);
  HITLGATE_RETURN_IF_ERROR(answered);
  return codec::TaskJson(*answered, /*with_context=*/false);
}

Result<bool> UnderLegalHold(store::Store& store, const std::string& customer_id) {
  auto controls = store.ListControls();
  HITLGATE_RETURN_IF_ERROR(controls);
  std::set<std::string> held;
  for (const store::Control& c : *controls) {
    if (c.kind == store::ControlKind::kLegalHold) held.insert(c.target);
  }
  if (held.empty()) return false;
  if (held.contains(HoldTarget("customer", customer_id))) return true;
  auto interactions = store.ListCustomerInteractions(customer_id);
  HITLGATE_RETURN_IF_ERROR(interactions);
  return std::any_of(interactions->begin(), interactions->end(), [&](const store::InteractionRecord& r) {
    return held.contains(HoldTarget("interaction", r.interaction_id));
  });
}

Result<std::string> ExportCustomer(const Services& services, const Principal& who, const std::string& customer_id) {
  HITLGATE_RETURN_IF_ERROR(RequireAdminOrAuditor(who, "export customer data"));
  if (customer_id.empty()) return InvalidArgument("customer id is empty");
  store::Store& store = services.store;
  const TimePoint now = services.gateway.clock().Now();
  auto interactions = store.ListCustomerInteractions(customer_id);
  HITLGATE_RETURN_IF_ERROR(interactions);
  std::set<std::string> subjects;
  for (const store::InteractionRecord& r : *interactions) {
    subjects.insert(r.interaction_id);
    for (const store::Task& t : r.tasks) subjects.insert(t.id);
  }
  auto records = AuditAbout(store, customer_id, subjects);
  HITLGATE_RETURN_IF_ERROR(records);
  auto held = UnderLegalHold(store, customer_id);
  HITLGATE_RETURN_IF_ERROR(held);

  // Audited before it is handed out.
  std::int64_t decisions = 0, tasks = 0;
  for (const store::InteractionRecord& r : *interactions) {
    decisions += static_cast<std::int64_t>(r.decisions.size());
    tasks += static_cast<std::int64_t>(r.tasks.size());
  }
  auto logged = store.AppendAudit({{"customer_exported", who.key_id, CustomerPseudonym(services, customer_id),
                                    audit::PayloadBuilder()
                                        .Int("interactions", static_cast<std::int64_t>(interactions->size()))
                                        .Int("decisions", decisions)
                                        .Int("tasks", tasks)
                                        .Int("audit_records", static_cast<std::int64_t>(records->size()))
                                        .Build()}},
                                  now);
  HITLGATE_RETURN_IF_ERROR(logged);

  codec::JsonWriter w;
  w.BeginObject();
  w.Field("customer_id", customer_id);
  w.Field("exported_at", FormatRfc3339(now));
  w.Field("legal_hold", *held);
  w.Key("interactions").BeginArray();
  for (const store::InteractionRecord& r : *interactions) {
    w.BeginObject();
    w.Field("interaction_id", r.interaction_id);
    w.Key("decisions").BeginArray();
    for (const store::StoredDecision& d : r.decisions) WriteDecision(d, w);
    w.EndArray();
    w.Key("tasks").BeginArray();
    for (const store::Task& t : r.tasks) codec::WriteTask(t, w, /*with_context=*/true);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("audit_records").BeginArray();
  for (const audit::AuditRecord& r : *records) {
    w.BeginObject();
    w.Field("seq", r.seq);
    w.Field("at", FormatRfc3339(r.at));
    w.Field("kind", r.kind);
    w.Field("actor", r.actor);
    w.Field("subject", r.subject);
    w.Key("payload").Raw(r.payload_json);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return w.Take();
}

Result<std::string> EraseCustomer(const Services& services, const Principal& who, const std::string& customer_id) {
  HITLGATE_RETURN_IF_ERROR(RequireAdmin(who, "erase customer data"));
  if (customer_id.empty()) return InvalidArgument("customer id is empty");
  store::Store& store = services.store;
  const std::string pseudonym = CustomerPseudonym(services, customer_id);
  const TimePoint now = services.gateway.clock().Now();
  auto held = UnderLegalHold(store, customer_id);
  HITLGATE_RETURN_IF_ERROR(held);
  if (*held) {
    // Refused, and the refusal is on record too.
    (void)store.AppendAudit({{"erasure_refused", who.key_id, pseudonym,
                              audit::PayloadBuilder().Str("reason", "legal_hold").Build()}},
                            now);
    return MakeError(ErrorCode::kAborted,
                     "customer " + customer_id +
                         " is under a legal hold (or one of their interactions is): nothing was erased; "
                         "release the hold first (POST /v1/legal-holds/release)");
  }
  store::ErasureRequest request;
  request.customer_id = customer_id;
  request.pseudonym = pseudonym;
  request.actor = who.key_id;
  request.now = now;
  auto erased = store.EraseCustomer(request);
  HITLGATE_RETURN_IF_ERROR(erased);
  codec::JsonWriter w;
  w.BeginObject();
  w.Field("customer_id", customer_id);
  w.Field("pseudonym", pseudonym);
  w.Field("decisions", erased->decisions);
  w.Field("tasks", erased->tasks);
  w.Field("erased_at", FormatRfc3339(now));
  w.EndObject();
  return w.Take();
}

Result<std::string> SetLegalHold(const Services& services, const Principal& who, const std::string& scope,
                                 const std::string& id, const std::string& reason) {
  HITLGATE_RETURN_IF_ERROR(RequireAdmin(who, "set legal holds"));
  if (scope != "customer" && scope != "interaction") {
    return InvalidArgument("give 'customer_id' or 'interaction_id'");
  }
  if (id.empty()) return InvalidArgument("field '" + scope + "_id' is empty");
  if (reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    return InvalidArgument("field 'reason': a legal hold needs a reason (case or matter)");
  }
  store::Control c;
  c.kind = store::ControlKind::kLegalHold;
  c.target = HoldTarget(scope, id);
  c.actor = who.key_id;
  c.reason = reason;
  c.at = services.gateway.clock().Now();
  HITLGATE_RETURN_IF_ERROR(services.store.SetControl(c));
  return LegalHoldsJson(services, who);
}

Result<std::string> ReleaseLegalHold(const Services& services, const Principal& who, const std::string& scope,
                                     const std::string& id) {
  HITLGATE_RETURN_IF_ERROR(RequireAdmin(who, "release legal holds"));
  if (scope != "customer" && scope != "interaction") {
    return InvalidArgument("give 'customer_id' or 'interaction_id'");
  }
  if (auto r = services.store.ClearControl(store::ControlKind::kLegalHold, HoldTarget(scope, id), who.key_id,
                                            services.gateway.clock().Now());
      !r) {
    return std::unexpected(r.error());
  }
  return LegalHoldsJson(services, who);
}

Result<std::string> LegalHoldsJson(const Services& services, const Principal& who) {
  HITLGATE_RETURN_IF_ERROR(RequireAdminOrAuditor(who, "read legal holds"));
  auto controls = services.store.ListControls();
  HITLGATE_RETURN_IF_ERROR(controls);
  codec::JsonWriter w;
  w.BeginObject().Key("legal_holds").BeginArray();
  for (const store::Control& c : *controls) {
    if (c.kind != store::ControlKind::kLegalHold) continue;
    const size_t colon = c.target.find(':');
    w.BeginObject();
    w.Field("scope", c.target.substr(0, colon));
    w.Field("id", colon == std::string::npos ? "" : c.target.substr(colon + 1));
    w.Field("reason", c.reason);
    w.Field("set_by", c.actor);
    w.Field("set_at", FormatRfc3339(c.at));
    w.EndObject();
  }
  w.EndArray().EndObject();
  return w.Take();
}

}  // namespace hitlgate::privacy
