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

// The JSON kept per event and per task is stored packed
// (storage/packed_json.h) in BYTEA columns beside the TEXT ones (migration
// 12): a row has its packed column set and '' in the TEXT one, or (written
// before migration 12, or erased) NULL and the TEXT. Parameters travel as
// text, so packed bytes go as bytea's hex input ("\x...").
std::string PackedJsonParam(std::string_view json);
std::string ByteaParam(std::string_view bytes);
// The bytes of bytea's text output ("\\x" and hex digits); DataLoss if it is not that.
[[nodiscard]] Result<std::string> FromByteaText(std::string_view hex);

}  // namespace hitlgate::store::postgres
