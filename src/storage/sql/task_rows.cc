#include "storage/sql/task_rows.h"

#include "storage/packed_json.h"
#include "storage/task_rules.h"

namespace hitlgate::store::sql {
namespace {

std::unexpected<Error> BadRow(std::string_view what) {
  return DataLoss("tasks row holds an unknown " + std::string(what));
}

constexpr int kContextJson = 14;
constexpr int kContextPacked = 31;

}  // namespace

Result<std::string> ReadPackedJson(const Rows& r, int i, int packed_col, int text_col, std::string_view primer) {
  if (!r.IsNull(i, packed_col)) return internal::UnpackJson(r.Text(i, packed_col), primer);
  if (r.IsBytes(i, text_col)) return internal::UnpackJson(r.Text(i, text_col), primer);
  return r.Text(i, text_col);
}

const char kTaskColumns[] =
    "id, kind, status, interaction_id, customer_id, workflow, queue, skills, language, priority, "
    "created_at_us, due_at_us, hold_notice_at_us, escalated, context_json, lease_owner, lease_id, "
    "lease_expires_us, claim_count, verdict_kind, verdict_reviewer, verdict_at_us, "
    "verdict_edited_text, verdict_edited_action_json, verdict_reason, verdict_customer_message, "
    "verdict_note, decision_seq, deadline_at_us, on_deadline, expired_at_us, context_packed";

Result<Task> ReadTask(const Rows& r, int i) {
  Task t;
  t.id = r.Text(i, 0);
  auto kind = ParseTaskKind(r.Text(i, 1));
  if (!kind) return BadRow("kind");
  t.kind = *kind;
  auto status = ParseTaskStatus(r.Text(i, 2));
  if (!status) return BadRow("status");
  t.status = *status;
  t.interaction_id = r.Text(i, 3);
  t.customer_id = r.Text(i, 4);
  t.workflow = r.Text(i, 5);
  t.queue = r.Text(i, 6);
  t.skills = internal::SplitList(r.Text(i, 7));
  t.language = r.Text(i, 8);
  t.priority = static_cast<int>(r.Int(i, 9));
  t.created_at = r.Time(i, 10);
  t.due_at = r.Time(i, 11);
  t.hold_notice_at = r.OptTime(i, 12);
  t.escalated = r.Int(i, 13) != 0;
  auto context = ReadPackedJson(r, i, kContextPacked, kContextJson,
                                internal::TaskContextPrimer(t.interaction_id, t.customer_id, t.workflow));
  HITLGATE_RETURN_IF_ERROR(context);
  t.context_json = std::move(*context);
  if (!r.IsNull(i, 16)) t.lease = Lease{r.Text(i, 15), r.Text(i, 16), r.Time(i, 17)};
  t.claim_count = static_cast<int>(r.Int(i, 18));
  if (!r.IsNull(i, 19)) {
    auto vk = ParseVerdictKind(r.Text(i, 19));
    if (!vk) return BadRow("verdict kind");
    Verdict v;
    v.kind = *vk;
    v.reviewer = r.Text(i, 20);
    v.at = r.Time(i, 21);
    v.edited_text = r.Text(i, 22);
    v.edited_action_json = r.Text(i, 23);
    v.reason = r.Text(i, 24);
    v.customer_message = r.Text(i, 25);
    v.note = r.Text(i, 26);
    t.verdict = std::move(v);
  }
  t.decision_seq = r.Int(i, 27);
  if (!r.IsNull(i, 28)) {
    auto fallback = engine::ParseDeadlineFallback(r.Text(i, 29));
    if (!fallback) return BadRow("deadline fallback");
    t.deadline = TaskDeadline{r.Time(i, 28), *fallback};
  }
  t.expired_at = r.OptTime(i, 30);
  return t;
}

Result<std::vector<Task>> ReadTasks(const Rows& rows) {
  std::vector<Task> out;
  out.reserve(static_cast<size_t>(rows.size()));
  for (int i = 0; i < rows.size(); ++i) {
    auto t = ReadTask(rows, i);
    HITLGATE_RETURN_IF_ERROR(t);
    out.push_back(std::move(*t));
  }
  return out;
}

Result<std::vector<Task>> SelectTasks(Session& s, std::string_view rest, const Params& params) {
  auto rows = s.Query(std::string("SELECT ") + kTaskColumns + " FROM tasks t " + std::string(rest), params);
  HITLGATE_RETURN_IF_ERROR(rows);
  return ReadTasks(*rows);
}

Result<void> SaveTask(Session& s, const Task& t, bool is_new, std::string_view packed_context,
                      std::string_view context_primer) {
  static const std::string kInsert =
      std::string("INSERT INTO tasks(") + kTaskColumns +
      ") VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, "
      "$19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32)";
  static const std::string kUpdate =
      "UPDATE tasks SET kind = $2, status = $3, interaction_id = $4, customer_id = $5, "
      "workflow = $6, queue = $7, skills = $8, language = $9, priority = $10, "
      "created_at_us = $11, due_at_us = $12, hold_notice_at_us = $13, escalated = $14, "
      "context_json = $15, lease_owner = $16, lease_id = $17, lease_expires_us = $18, "
      "claim_count = $19, verdict_kind = $20, verdict_reviewer = $21, verdict_at_us = $22, "
      "verdict_edited_text = $23, verdict_edited_action_json = $24, verdict_reason = $25, "
      "verdict_customer_message = $26, verdict_note = $27, decision_seq = $28, "
      "deadline_at_us = $29, on_deadline = $30, expired_at_us = $31, context_packed = $32 "
      "WHERE id = $1";
  Params p = Params::Of(t.id, TaskKindName(t.kind), TaskStatusName(t.status), t.interaction_id,
                        t.customer_id, t.workflow, t.queue, internal::JoinList(t.skills),
                        t.language, t.priority, t.created_at, t.due_at);
  p.Add(t.hold_notice_at).Add(t.escalated).Add(std::string());
  if (t.lease) {
    p.Add(t.lease->owner).Add(t.lease->lease_id).Add(t.lease->expires_at);
  } else {
    p.AddNull().AddNull().AddNull();
  }
  p.Add(t.claim_count);
  if (t.verdict) {
    const Verdict& v = *t.verdict;
    p.Add(VerdictKindName(v.kind)).Add(v.reviewer).Add(v.at).Add(v.edited_text);
    p.Add(v.edited_action_json).Add(v.reason).Add(v.customer_message).Add(v.note);
  } else {
    for (int i = 0; i < 8; ++i) p.AddNull();
  }
  p.Add(t.decision_seq);
  if (t.deadline) {
    p.Add(t.deadline->at).Add(engine::DeadlineFallbackName(t.deadline->fallback));
  } else {
    p.AddNull().Add(std::string());
  }
  p.Add(t.expired_at);
  const std::string primer = internal::TaskContextPrimer(t.interaction_id, t.customer_id, t.workflow);
  p.Add(Bytes{!packed_context.empty() && context_primer == primer ? std::string(packed_context)
                                                                  : internal::PackPrimedJson(t.context_json, primer)});
  auto r = s.Query(is_new ? kInsert : kUpdate, p);
  HITLGATE_RETURN_IF_ERROR(r);
  if (!is_new && r->affected() != 1) return NotFound("no task " + t.id);
  return {};
}

Result<Task> LoadTask(Session& s, const std::string& id, bool lock) {
  auto rows = s.Query(std::string("SELECT ") + kTaskColumns + " FROM tasks WHERE id = $1" +
                          std::string(lock ? s.dialect().lock_rows : ""),
                      Params::Of(id));
  HITLGATE_RETURN_IF_ERROR(rows);
  if (rows->empty()) return NotFound("no task " + id);
  return ReadTask(*rows, 0);
}

}  // namespace hitlgate::store::sql
