#include "storage/sqlite/rows.h"

#include "hitlgate/crypto/hash.h"
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
  const std::string bytes = st.Blob(col);
  return crypto::ToHex(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

Result<std::string> ReadPackedJson(const Statement& st, int col) {
  if (!st.IsBlob(col)) return st.Text(col);
  return internal::UnpackJson(st.Blob(col));
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

const char kKeyColumns[] =
    "key_id, secret_hash, name, role, skills, languages, workflows, max_concurrent, "
    "created_at_us, created_by, revoked_at_us, approval_limits";

Result<ApiKey> ReadKey(const Statement& st) {
  ApiKey k;
  k.key_id = st.Text(0);
  k.secret_hash = st.Text(1);
  k.name = st.Text(2);
  auto role = ParseRole(st.Text(3));
  if (!role) return BadRow("api_keys", "role");
  k.role = *role;
  k.skills = internal::SplitList(st.Text(4));
  k.languages = internal::SplitList(st.Text(5));
  k.workflows = internal::SplitList(st.Text(6));
  k.max_concurrent = static_cast<int>(st.Int(7));
  k.created_at = st.Time(8);
  k.created_by = st.Text(9);
  k.revoked_at = st.OptTime(10);
  auto limits = ParseApprovalLimits(internal::SplitList(st.Text(11)));
  if (!limits) return BadRow("api_keys", "approval_limits");
  k.approval_limits = std::move(*limits);
  return k;
}

const char kOutboxColumns[] =
    "id, workflow, url, event_type, payload_json, created_at_us, next_attempt_us, attempts, "
    "last_error, delivered_at_us, task_id";

OutboxMessage ReadOutbox(const Statement& st) {
  OutboxMessage m;
  m.id = st.Int(0);
  m.workflow = st.Text(1);
  m.url = st.Text(2);
  m.event_type = st.Text(3);
  m.payload_json = st.Text(4);
  m.created_at = st.Time(5);
  m.next_attempt_at = st.Time(6);
  m.attempts = static_cast<int>(st.Int(7));
  m.last_error = st.Text(8);
  m.delivered_at = st.OptTime(9);
  m.task_id = st.Text(10);
  return m;
}

Result<OutboxMessage> LoadOutbox(Connection& conn, std::int64_t id) {
  auto st = conn.Prepare(std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE id = ?1");
  HITLGATE_RETURN_IF_ERROR(st);
  st->Bind(1, id);
  auto row = st->Step();
  HITLGATE_RETURN_IF_ERROR(row);
  if (!*row) return NotFound("no outbox message " + std::to_string(id));
  return ReadOutbox(*st);
}

}  // namespace hitlgate::store::sqlite
