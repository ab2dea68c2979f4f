// Mapping between the store's value types and PostgreSQL rows. Each
// k*Columns string lists a SELECT's columns in the order the Read* function
// expects (the same order as the SQLite backend's). Reading a row with an
// unknown enum name is DataLoss. Used on one connection at a time.
#pragma once

#include <string>
#include <vector>

#include "hitlgate/audit/record.h"
#include "hitlgate/common/error.h"
#include "hitlgate/store/types.h"
#include "storage/postgres/connection.h"

namespace hitlgate::store::postgres {

extern const char kTaskColumns[];
[[nodiscard]] Result<Task> ReadTask(const Rows& rows, int row);
[[nodiscard]] Result<std::vector<Task>> ReadTasks(const Rows& rows);
// Writes the whole row: INSERT for a new task (an id collision is
// AlreadyExists), UPDATE of every column otherwise.
[[nodiscard]] Result<void> SaveTask(Connection& conn, const Task& t, bool is_new = false);
// The task with this id, or NotFound. `for_update` locks its row until the
// transaction ends (other nodes' writers wait; their claims skip it).
[[nodiscard]] Result<Task> LoadTask(Connection& conn, const std::string& id,
                                    bool for_update = false);

extern const char kDecisionColumns[];
[[nodiscard]] Result<StoredDecision> ReadDecision(const Rows& rows, int row);

extern const char kKeyColumns[];
[[nodiscard]] Result<ApiKey> ReadKey(const Rows& rows, int row);

extern const char kOutboxColumns[];
OutboxMessage ReadOutbox(const Rows& rows, int row);
[[nodiscard]] Result<OutboxMessage> LoadOutbox(Connection& conn, std::int64_t id);

extern const char kAuditColumns[];
audit::AuditRecord ReadAuditRecord(const Rows& rows, int row);

}  // namespace hitlgate::store::postgres
