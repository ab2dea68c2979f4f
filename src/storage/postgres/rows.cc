#include "storage/postgres/rows.h"

#include "hitlgate/crypto/hash.h"
#include "storage/packed_json.h"
#include "storage/task_rules.h"

namespace hitlgate::store::postgres {
namespace {

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

}  // namespace hitlgate::store::postgres
