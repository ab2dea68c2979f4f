// The event path's write, the same SQL on SQLite and PostgreSQL: one event's
// decision row, its task, its audit record and its outbox messages, inside
// the writer's batch transaction. Internal to src/storage.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hitlgate/store/store.h"
#include "storage/packed_json.h"
#include "storage/sql/session.h"

namespace hitlgate::store::sql {

// Records `d` (and its task, audit entries and outbox messages) in `txn`.
// A (workflow, event_id) recorded before inserts nothing and answers what was
// recorded then (duplicate = true, `first` filled): a duplicate another node
// has in flight makes the insert wait for its commit, then see it.
// `packed` is internal::PackDecision(d, task), made outside the writer.
[[nodiscard]] Result<RecordedDecision> RecordDecision(Txn& txn, const DecisionRecord& d,
                                                      const std::optional<NewTask>& task,
                                                      const internal::PackedDecision& packed,
                                                      const std::vector<audit::AuditEntry>& extra, TimePoint now,
                                                      const std::vector<OutboxMessage>& outbox);

// The primers (storage/packed_json.h) of row `row` of a SELECT of
// Dialect::decision_columns: what its packed event and answer were packed
// against, rebuilt from the columns they were made from.
struct DecisionPrimers {
  std::string event;
  std::string answer;
};
DecisionPrimers PrimersOf(const Rows& rows, int row);

}  // namespace hitlgate::store::sql
