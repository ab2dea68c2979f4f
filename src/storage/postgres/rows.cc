#include "storage/postgres/rows.h"

#include "hitlgate/crypto/hash.h"
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
  return "\\x" + crypto::ToHex(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
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
