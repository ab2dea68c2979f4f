// Rows of the administration tables (api_keys, outbox) read and written by
// the shared SQL, on either engine. Each k*Columns string lists a SELECT's
// columns in the order its Read* function expects. Internal to src/storage.
#pragma once

#include <cstdint>
#include <vector>

#include "hitlgate/store/types.h"
#include "storage/sql/session.h"

namespace hitlgate::store::sql {

extern const char kKeyColumns[];
// DataLoss: a role or approval limit this binary never writes.
[[nodiscard]] Result<ApiKey> ReadKey(const Rows& rows, int row);

extern const char kOutboxColumns[];
OutboxMessage ReadOutbox(const Rows& rows, int row);
// The message with this id, its row locked until the transaction ends where
// the engine locks rows (MarkDelivered and MarkFailed of two nodes wait for
// each other). NotFound: no such message.
[[nodiscard]] Result<OutboxMessage> LoadOutbox(Session& session, std::int64_t id);
// Keeps other writers (nodes) from writing `table` until the transaction
// ends (Dialect::lock_table), so that its latest row, read next, is still
// the latest when this transaction adds the next one.
[[nodiscard]] Result<void> LockTable(Session& session, std::string_view table);

// Inserts messages created at `now` (due no earlier than `now`); returns
// their ids. The event and verdict paths call it inside their own writes.
[[nodiscard]] Result<std::vector<std::int64_t>> InsertOutbox(
    Session& session, const std::vector<OutboxMessage>& messages, TimePoint now);

}  // namespace hitlgate::store::sql
