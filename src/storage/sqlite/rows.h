// Mapping between the store's value types and table rows. Each k*Columns
// string lists a SELECT's columns in the order the Read* function expects.
// Reading a row with an unknown enum name is DataLoss: the database holds
// something this binary never writes. Used on one connection at a time.
#pragma once

#include <string>

#include "hitlgate/audit/record.h"
#include "hitlgate/common/error.h"
#include "hitlgate/store/types.h"
#include "storage/sqlite/connection.h"

namespace hitlgate::store::sqlite {

// The JSON kept per event (event_json, decision_json) is stored packed
// (storage/packed_json.h, migration 10); rows written before it, and erased
// markers, are plain TEXT and read as they are (storage/sql/task_rows.h's
// ReadPackedJson, for every reader).
void BindPackedJson(Statement& st, int index, std::string_view json);

// Audit rows (migration 10): payload_json packed with the audit dictionary,
// prev_hash and hash as 32-byte BLOBs. What is hashed and exported is
// unchanged (docs/audit-format.md): readers get the payload's exact bytes and
// the hashes as 64 lower-case hex digits. Rows written before, as TEXT, read
// as they are.
void BindHash(Statement& st, int index, std::string_view hex);
std::string ReadHash(const Statement& st, int col);

}  // namespace hitlgate::store::sqlite
