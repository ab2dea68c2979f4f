#include "storage/postgres/rows.h"

#include "hitlgate/crypto/hash.h"
#include "hitlgate/crypto/sign.h"
#include "storage/packed_json.h"
#include "storage/task_rules.h"

namespace hitlgate::store::postgres {

std::string ByteaParam(std::string_view bytes) {
  return "\\x" + crypto::ToHex(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

std::string PackedJsonParam(std::string_view json) { return ByteaParam(internal::PackJson(json)); }

Result<std::string> FromByteaText(std::string_view hex) {
  // bytea's text output (bytea_output = hex, PostgreSQL's default since 9.0).
  if (!hex.starts_with("\\x")) return DataLoss("bytea column is not hex output");
  auto bytes = crypto::FromHex(hex.substr(2));
  if (!bytes) return DataLoss("bytea column is not hex output");
  return std::string(bytes->begin(), bytes->end());
}

}  // namespace hitlgate::store::postgres
