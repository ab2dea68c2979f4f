// The PostgreSQL schema and its migrations. Migrate runs on every open, in
// one transaction under a transaction-scoped advisory lock, so several nodes
// starting at once apply each migration exactly once and none of them sees
// a half-migrated schema.
#pragma once

#include <string>

#include "hitlgate/common/error.h"
#include "storage/postgres/connection.h"

namespace hitlgate::store::postgres {

inline constexpr int kSchemaVersion = 12;
// How many migrations there are (versions may skip a number another branch
// holds, as 11 was while 12 was written).
int MigrationCount();

// Creates `schema` (when not empty; the connection's search_path names it)
// and brings its tables to kSchemaVersion.
// FailedPrecondition: the database's schema is newer than this binary's.
[[nodiscard]] Result<void> Migrate(Connection& conn, const std::string& schema);

}  // namespace hitlgate::store::postgres
