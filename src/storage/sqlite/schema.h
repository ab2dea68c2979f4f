// The SQLite schema as numbered migrations. Migrate() brings a database up to
// the newest version in one transaction, recording each applied version in
// schema_version; a database from a newer hitlgate is refused.
// Called once, on the writer connection, before any other use.
#pragma once

#include "hitlgate/common/error.h"
#include "storage/sqlite/connection.h"

namespace hitlgate::store::sqlite {

inline constexpr int kSchemaVersion = 12;

// FailedPrecondition: the database's schema is newer than this binary's.
[[nodiscard]] Result<void> Migrate(Connection& conn);

}  // namespace hitlgate::store::sqlite
