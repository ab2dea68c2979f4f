#include "storage/sql/session.h"

#include <algorithm>
#include <charconv>

#include "hitlgate/crypto/hash.h"
#include "hitlgate/crypto/sign.h"

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

std::string Rows::Hash(int row, int col) const {
  const Value& v = At(row, col);
  if (v.kind != Value::Kind::kBytes) return Text(row, col);
  return crypto::ToHex(reinterpret_cast<const std::uint8_t*>(v.s.data()), v.s.size());
}

std::optional<std::string> HashBytes(std::string_view hex) {
  const bool lower_hex = !hex.empty() && hex.size() % 2 == 0 &&
                         std::ranges::all_of(hex, [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
  if (!lower_hex) return std::nullopt;
  auto bytes = crypto::FromHex(hex);  // cannot fail: checked above
  return std::string(bytes->begin(), bytes->end());
}

Params& Params::AddHash(std::string_view hex, bool as_bytes) {
  std::optional<std::string> bytes = as_bytes ? HashBytes(hex) : std::nullopt;
  if (!bytes) return Add(hex);
  return Add(Bytes{std::move(*bytes)});
}

bool Rows::IsNull(int row, int col) const { return At(row, col).kind == Value::Kind::kNull; }

bool Rows::IsBytes(int row, int col) const { return At(row, col).kind == Value::Kind::kBytes; }

}  // namespace hitlgate::store::sql
