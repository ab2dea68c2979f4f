#include "storage/sqlite/rows.h"

#include "hitlgate/crypto/hash.h"
#include "storage/packed_json.h"
#include "storage/task_rules.h"

namespace hitlgate::store::sqlite {
void BindPackedJson(Statement& st, int index, std::string_view json) {
  st.BindBlob(index, internal::PackJson(json));
}

namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

void BindHash(Statement& st, int index, std::string_view hex) {
  std::string bytes;
  bytes.reserve(hex.size() / 2);
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    int hi = HexDigit(hex[i]);
    int lo = HexDigit(hex[i + 1]);
    if (hi < 0 || lo < 0) break;
    bytes.push_back(static_cast<char>(hi * 16 + lo));
  }
  // Anything but lower-case hex of even length is kept as it came, so it
  // reads back the same (and verify reports it).
  if (bytes.size() * 2 != hex.size() || hex.empty()) {
    st.Bind(index, hex);
  } else {
    st.BindBlob(index, bytes);
  }
}

std::string ReadHash(const Statement& st, int col) {
  if (!st.IsBlob(col)) return st.Text(col);
  const std::string bytes = st.Blob(col);
  return crypto::ToHex(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

Result<std::string> ReadPackedJson(const Statement& st, int col) {
  if (!st.IsBlob(col)) return st.Text(col);
  return internal::UnpackJson(st.Blob(col));
}

}  // namespace hitlgate::store::sqlite
