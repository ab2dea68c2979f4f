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

}  // namespace hitlgate::store::sqlite
