#include "storage/sqlite/rows.h"

#include "storage/packed_json.h"
#include "storage/task_rules.h"

namespace hitlgate::store::sqlite {
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

}  // namespace

void BindPackedJson(Statement& st, int index, std::string_view json) {
  st.BindBlob(index, internal::PackJson(json));
}

namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

void BindHash(Statement& st, int index, std::string_view hex) {
  std::string bytes;
  bytes.reserve(hex.size() / 2);
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    int hi = HexDigit(hex[i]);
    int lo = HexDigit(hex[i + 1]);
    if (hi < 0 || lo < 0) break;
    bytes.push_back(static_cast<char>(hi * 16 + lo));
  }
  // Anything but lower-case hex of even length is kept as it came, so it
  // reads back the same (and verify reports it).
  if (bytes.size() * 2 != hex.size() || hex.empty()) {
    st.Bind(index, hex);
  } else {
    st.BindBlob(index, bytes);
  }
}

std::string ReadHash(const Statement& st, int col) {
  if (!st.IsBlob(col)) return st.Text(col);
  static constexpr char kHex[] = "0123456789abcdef";
  const std::string bytes = st.Blob(col);
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    hex.push_back(kHex[b >> 4]);
    hex.push_back(kHex[b & 15]);
  }
  return hex;
}

Result<std::string> ReadPackedJson(const Statement& st, int col) {
  if (!st.IsBlob(col)) return st.Text(col);
  return internal::UnpackJson(st.Blob(col));
}

const char kTaskColumns[] =
    "id, kind, status, interaction_id, customer_id, workflow, queue, skills, language, priority, "
    "created_at_us, due_at_us, hold_notice_at_us, escalated, context_json, lease_owner, lease_id, "
    "lease_expires_us, claim_count, verdict_kind, verdict_reviewer, verdict_at_us, "
    "verdict_edited_text, verdict_edited_action_json, verdict_reason, verdict_customer_message, "
    "verdict_note, decision_seq, deadline_at_us, on_deadline, expired_at_us";

Result<Task> ReadTask(const Statement& st) {
  Task t;
  t.id = st.Text(0);
  auto kind = ParseTaskKind(st.Text(1));
  if (!kind) return BadRow("tasks", "kind");
  t.kind = *kind;
  auto status = ParseTaskStatus(st.Text(2));
  if (!status) return BadRow("tasks", "status");
  t.status = *status;
  t.interaction_id = st.Text(3);
  t.customer_id = st.Text(4);
  t.workflow = st.Text(5);
  t.queue = st.Text(6);
  t.skills = internal::SplitList(st.Text(7));
  t.language = st.Text(8);
  t.priority = static_cast<int>(st.Int(9));
  t.created_at = st.Time(10);
  t.due_at = st.Time(11);
  t.hold_notice_at = st.OptTime(12);
  t.escalated = st.Int(13) != 0;
  auto context = ReadPackedJson(st, 14);
  HITLGATE_RETURN_IF_ERROR(context);
  t.context_json = std::move(*context);
  if (!st.IsNull(16)) t.lease = Lease{st.Text(15), st.Text(16), st.Time(17)};
  t.claim_count = static_cast<int>(st.Int(18));
  if (!st.IsNull(19)) {
    auto vk = ParseVerdictKind(st.Text(19));
    if (!vk) return BadRow("tasks", "verdict kind");
    Verdict v;
    v.kind = *vk;
    v.reviewer = st.Text(20);
    v.at = st.Time(21);
    v.edited_text = st.Text(22);
    v.edited_action_json = st.Text(23);
    v.reason = st.Text(24);
    v.customer_message = st.Text(25);
    v.note = st.Text(26);
    t.verdict = std::move(v);
  }
  t.decision_seq = st.Int(27);
  if (!st.IsNull(28)) {
    auto fallback = engine::ParseDeadlineFallback(st.Text(29));
    if (!fallback) return BadRow("tasks", "deadline fallback");
    t.deadline = TaskDeadline{st.Time(28), *fallback};
  }
  t.expired_at = st.OptTime(30);
  return t;
}

// Not NULL: an empty string_view binds as NULL in SQLite.
const std::string kNoDeadline;

Result<void> SaveTask(Connection& conn, const Task& t, bool is_new,
                      std::string_view packed_context) {
  auto st = conn.Prepare(std::string(is_new ? "INSERT INTO tasks(" : "INSERT OR REPLACE INTO tasks(") +
                         kTaskColumns +
                         ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                         "?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31)");
  HITLGATE_RETURN_IF_ERROR(st);
  st->BindAll(t.id, TaskKindName(t.kind), TaskStatusName(t.status), t.interaction_id,
              t.customer_id, t.workflow, t.queue, internal::JoinList(t.skills), t.language,
              t.priority, t.created_at, t.due_at, t.hold_notice_at, t.escalated);
  if (packed_context.empty()) {
    BindPackedJson(*st, 15, t.context_json);
  } else {
    st->BindBlob(15, packed_context);
  }
  if (t.lease) {
    st->Bind(16, t.lease->owner).Bind(17, t.lease->lease_id).Bind(18, t.lease->expires_at);
  }
  st->Bind(19, t.claim_count);
  if (t.verdict) {
    const Verdict& v = *t.verdict;
    st->Bind(20, VerdictKindName(v.kind))
        .Bind(21, v.reviewer)
        .Bind(22, v.at)
        .Bind(23, v.edited_text)
        .Bind(24, v.edited_action_json)
        .Bind(25, v.reason)
        .Bind(26, v.customer_message)
        .Bind(27, v.note);
  }
  st->Bind(28, t.decision_seq);
  if (t.deadline) {
    st->Bind(29, t.deadline->at).Bind(30, engine::DeadlineFallbackName(t.deadline->fallback));
  } else {
    st->BindNull(29).Bind(30, kNoDeadline);
  }
  st->Bind(31, t.expired_at);
  return st->Run();
}

Result<Task> LoadTask(Connection& conn, const std::string& id) {
  auto st = conn.Prepare(std::string("SELECT ") + kTaskColumns + " FROM tasks WHERE id = ?1");
  HITLGATE_RETURN_IF_ERROR(st);
  st->Bind(1, id);
  auto row = st->Step();
  HITLGATE_RETURN_IF_ERROR(row);
  if (!*row) return NotFound("no task " + id);
  return ReadTask(*st);
}

const char kDecisionColumns[] =
    "seq, event_id, interaction_id, customer_id, workflow, channel, event_index, type, at_us, "
    "event_json, decision_json, outcome, "
    "(SELECT version FROM policy_refs WHERE id = policy_version), recorded_by, task_id";

Result<StoredDecision> ReadDecision(const Statement& st) {
  StoredDecision s;
  s.seq = st.Int(0);
  DecisionRecord& d = s.record;
  d.event_id = st.Text(1);  // NULL reads as ""
  d.interaction_id = st.Text(2);
  d.customer_id = st.Text(3);
  d.workflow = st.Text(4);
  d.channel = st.Text(5);
  d.event_index = st.Int(6);
  auto type = ParseEventType(st.Text(7));
  if (!type) return BadRow("decisions", "event type");
  d.type = *type;
  d.at = st.Time(8);
  auto event_json = ReadPackedJson(st, 9);
  HITLGATE_RETURN_IF_ERROR(event_json);
  d.event_json = std::move(*event_json);
  auto decision_json = ReadPackedJson(st, 10);
  HITLGATE_RETURN_IF_ERROR(decision_json);
  d.decision_json = std::move(*decision_json);
  auto outcome = engine::ParseOutcome(st.Text(11));
  if (!outcome) return BadRow("decisions", "outcome");
  d.outcome = *outcome;
  d.policy_version = st.Text(12);
  d.recorded_by = st.Text(13);
  s.task_id = st.Text(14);
  return s;
}

}  // namespace hitlgate::store::sqlite
