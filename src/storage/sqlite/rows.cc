#include "storage/sqlite/rows.h"

#include "hitlgate/crypto/hash.h"
#include "storage/packed_json.h"
#include "storage/sql/session.h"
#include "storage/task_rules.h"

namespace hitlgate::store::sqlite {
void BindPackedJson(Statement& st, int index, std::string_view json) {
  st.BindBlob(index, internal::PackJson(json));
}

void BindHash(Statement& st, int index, std::string_view hex) {
  // The same rule as the shared SQL's Params::AddHash.
  if (auto bytes = sql::HashBytes(hex)) {
    st.BindBlob(index, *bytes);
  } else {
    st.Bind(index, hex);
  }
}

std::string ReadHash(const Statement& st, int col) {
  if (!st.IsBlob(col)) return st.Text(col);
  const std::string bytes = st.Blob(col);
  return crypto::ToHex(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

}  // namespace hitlgate::store::sqlite
