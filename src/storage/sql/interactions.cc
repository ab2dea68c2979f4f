// SqlStore: reading interactions back (their decisions and tasks). Recording
// them is storage/sql/decisions.cc's.
#include "storage/packed_json.h"
#include "storage/sql/decisions.h"
#include "storage/sql/store_ops.h"
#include "storage/sql/task_rows.h"

namespace hitlgate::store {
namespace {

using sql::Params;
using sql::Rows;
using sql::Session;

std::unexpected<Error> BadRow(std::string_view what) {
  return DataLoss("decisions row holds an unknown " + std::string(what));
}

std::optional<engine::EventType> ParseEventType(std::string_view s) {
  for (auto t : {engine::EventType::kCustomerMessage, engine::EventType::kAiProposal,
                 engine::EventType::kInteractionClosed}) {
    if (engine::EventTypeName(t) == s) return t;
  }
  return std::nullopt;
}

// Rows of Dialect::decision_columns.
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
  if (!type) return BadRow("event type");
  d.type = *type;
  d.at = r.Time(i, 8);
  const sql::DecisionPrimers primers = sql::PrimersOf(r, i);
  auto event_json = sql::ReadPackedJson(r, i, 15, 9, primers.event);
  HITLGATE_RETURN_IF_ERROR(event_json);
  d.event_json = std::move(*event_json);
  auto decision_json = sql::ReadPackedJson(r, i, 16, 10, primers.answer);
  HITLGATE_RETURN_IF_ERROR(decision_json);
  d.decision_json = std::move(*decision_json);
  auto outcome = engine::ParseOutcome(r.Text(i, 11));
  if (!outcome) return BadRow("outcome");
  d.outcome = *outcome;
  d.policy_version = r.Text(i, 12);
  d.recorded_by = r.Text(i, 13);
  s.task_id = r.Text(i, 14);
  return s;
}

Result<InteractionRecord> LoadInteraction(Session& s, const std::string& interaction_id) {
  InteractionRecord r;
  r.interaction_id = interaction_id;
  auto rows = s.Query(std::string("SELECT ") + std::string(s.dialect().decision_columns) +
                          " FROM decisions WHERE interaction_id = $1 ORDER BY seq",
                      Params::Of(interaction_id));
  HITLGATE_RETURN_IF_ERROR(rows);
  for (int i = 0; i < rows->size(); ++i) {
    auto d = ReadDecision(*rows, i);
    HITLGATE_RETURN_IF_ERROR(d);
    r.decisions.push_back(std::move(*d));
  }
  auto tasks = sql::SelectTasks(s, "WHERE interaction_id = $1 ORDER BY created_at_us, id", Params::Of(interaction_id));
  HITLGATE_RETURN_IF_ERROR(tasks);
  r.tasks = std::move(*tasks);
  if (!r.decisions.empty()) r.customer_id = r.decisions.front().record.customer_id;
  return r;
}

}  // namespace

Result<InteractionRecord> SqlStore::GetInteraction(const std::string& interaction_id) {
  return ReadSql<InteractionRecord>([&](Session& s) -> Result<InteractionRecord> {
    auto r = LoadInteraction(s, interaction_id);
    if (r && r->decisions.empty() && r->tasks.empty()) return NotFound("no interaction " + interaction_id);
    return r;
  });
}

Result<std::vector<InteractionRecord>> SqlStore::ListCustomerInteractions(const std::string& customer_id, int newest) {
  // The newest `newest` by first event (all when 0), then oldest first.
  // Two statement texts: LIMIT NULL means "all" to PostgreSQL only.
  const std::string sql = std::string(
                              "SELECT interaction_id FROM (SELECT interaction_id, MIN(seq) AS first FROM decisions "
                              "WHERE customer_id = $1 GROUP BY interaction_id ORDER BY first DESC") +
                          (newest > 0 ? " LIMIT $2" : "") + ") AS recent ORDER BY first";
  Params params = Params::Of(customer_id);
  if (newest > 0) params.Add(newest);
  return ReadSql<std::vector<InteractionRecord>>([&](Session& s) -> Result<std::vector<InteractionRecord>> {
    auto ids = s.Query(sql, params);
    HITLGATE_RETURN_IF_ERROR(ids);
    std::vector<InteractionRecord> out;
    for (int i = 0; i < ids->size(); ++i) {
      auto r = LoadInteraction(s, ids->Text(i, 0));
      HITLGATE_RETURN_IF_ERROR(r);
      out.push_back(std::move(*r));
    }
    return out;
  });
}

}  // namespace hitlgate::store
