#include "storage/postgres/rows.h"

#include "storage/packed_json.h"
#include "storage/task_rules.h"

namespace hitlgate::store::postgres {
namespace {

std::unexpected<Error> BadRow(std::string_view table, std::string_view what) {
  return DataLoss(std::string(table) + " row holds an unknown " + std::string(what));
}

std::optional<engine::EventType> ParseEventType(std::string_view s) {
  for (auto t : {engine::EventType::kCustomerMessage, engine::EventType::kAiProposal,
                 engine::EventType::kInteractionClosed}) {
    if (engine::EventTypeName(t) == s) return t;
  }
  return std::nullopt;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string ByteaParam(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\\x";
  out.reserve(2 + 2 * bytes.size());
  for (unsigned char b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

std::string PackedJsonParam(std::string_view json) { return ByteaParam(internal::PackJson(json)); }

Result<std::string> FromByteaText(std::string_view hex) {
  // bytea's text output (bytea_output = hex, PostgreSQL's default since 9.0).
  if (hex.size() < 2 || hex[0] != '\\' || hex[1] != 'x' || hex.size() % 2 != 0) {
    return DataLoss("bytea column is not hex output");
  }
  std::string bytes;
  bytes.reserve((hex.size() - 2) / 2);
  for (std::size_t i = 2; i < hex.size(); i += 2) {
    int hi = HexValue(hex[i]);
    int lo = HexValue(hex[i + 1]);
    if (hi < 0 || lo < 0) return DataLoss("bytea column is not hex output");
    bytes.push_back(static_cast<char>(hi * 16 + lo));
  }
  return bytes;
}

Result<std::string> ReadPackedJson(const Rows& rows, int row, int packed_col, int text_col) {
  if (rows.IsNull(row, packed_col)) return rows.Text(row, text_col);
  auto bytes = FromByteaText(rows.Text(row, packed_col));
  HITLGATE_RETURN_IF_ERROR(bytes);
  return internal::UnpackJson(*bytes);
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
  if (!kind) return BadRow("tasks", "kind");
  t.kind = *kind;
  auto status = ParseTaskStatus(r.Text(i, 2));
  if (!status) return BadRow("tasks", "status");
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
  auto context = ReadPackedJson(r, i, 31, 14);
  HITLGATE_RETURN_IF_ERROR(context);
  t.context_json = std::move(*context);
  if (!r.IsNull(i, 16)) t.lease = Lease{r.Text(i, 15), r.Text(i, 16), r.Time(i, 17)};
  t.claim_count = static_cast<int>(r.Int(i, 18));
  if (!r.IsNull(i, 19)) {
    auto vk = ParseVerdictKind(r.Text(i, 19));
    if (!vk) return BadRow("tasks", "verdict kind");
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
    if (!fallback) return BadRow("tasks", "deadline fallback");
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

Result<void> SaveTask(Connection& conn, const Task& t, bool is_new,
                      std::string_view packed_context) {
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
    p.AddNull().Add(std::string(""));
  }
  p.Add(t.expired_at);
  p.Add(packed_context.empty() ? PackedJsonParam(t.context_json) : ByteaParam(packed_context));
  auto r = conn.Query(is_new ? kInsert : kUpdate, p);
  HITLGATE_RETURN_IF_ERROR(r);
  if (!is_new && r->affected() != 1) return NotFound("no task " + t.id);
  return {};
}

Result<Task> LoadTask(Connection& conn, const std::string& id, bool for_update) {
  static const std::string kSelect =
      std::string("SELECT ") + kTaskColumns + " FROM tasks WHERE id = $1";
  static const std::string kSelectForUpdate = kSelect + " FOR UPDATE";
  auto rows = conn.Query(for_update ? kSelectForUpdate : kSelect, Params::Of(id));
  HITLGATE_RETURN_IF_ERROR(rows);
  if (rows->empty()) return NotFound("no task " + id);
  return ReadTask(*rows, 0);
}

const char kDecisionColumns[] =
    "seq, event_id, interaction_id, customer_id, workflow, channel, event_index, type, at_us, "
    "event_json, decision_json, outcome, policy_version, recorded_by, task_id, event_packed, "
    "decision_packed";

Result<StoredDecision> ReadDecision(const Rows& r, int i) {
  StoredDecision s;
  s.seq = r.Int(i, 0);
  DecisionRecord& d = s.record;
  d.event_id = r.Text(i, 1);  // NULL reads as ""
  d.interaction_id = r.Text(i, 2);
  d.customer_id = r.Text(i, 3);
  d.workflow = r.Text(i, 4);
  d.channel = r.Text(i, 5);
  d.event_index = r.Int(i, 6);
  auto type = ParseEventType(r.Text(i, 7));
  if (!type) return BadRow("decisions", "event type");
  d.type = *type;
  d.at = r.Time(i, 8);
  auto event_json = ReadPackedJson(r, i, 15, 9);
  HITLGATE_RETURN_IF_ERROR(event_json);
  d.event_json = std::move(*event_json);
  auto decision_json = ReadPackedJson(r, i, 16, 10);
  HITLGATE_RETURN_IF_ERROR(decision_json);
  d.decision_json = std::move(*decision_json);
  auto outcome = engine::ParseOutcome(r.Text(i, 11));
  if (!outcome) return BadRow("decisions", "outcome");
  d.outcome = *outcome;
  d.policy_version = r.Text(i, 12);
  d.recorded_by = r.Text(i, 13);
  s.task_id = r.Text(i, 14);
  return s;
}

}  // namespace hitlgate::store::postgres
