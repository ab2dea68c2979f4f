#include "storage/sql/session.h"

#include <charconv>

namespace hitlgate::store::sql {

std::string Rows::Text(int row, int col) const {
  const Value& v = At(row, col);
  return v.kind == Value::Kind::kInt ? std::to_string(v.i) : v.s;
}

std::int64_t Rows::Int(int row, int col) const {
  const Value& v = At(row, col);
  if (v.kind == Value::Kind::kInt) return v.i;
  if (v.kind != Value::Kind::kText) return 0;
  if (v.s == "t") return 1;
  if (v.s == "f") return 0;
  std::int64_t out = 0;
  std::from_chars(v.s.data(), v.s.data() + v.s.size(), out);
  return out;
}

bool Rows::IsNull(int row, int col) const { return At(row, col).kind == Value::Kind::kNull; }

bool Rows::IsBytes(int row, int col) const { return At(row, col).kind == Value::Kind::kBytes; }

}  // namespace hitlgate::store::sql
