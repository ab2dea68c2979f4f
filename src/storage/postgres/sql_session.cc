#include "storage/postgres/sql_session.h"

#include "storage/postgres/rows.h"

namespace hitlgate::store::postgres {

const sql::Dialect& SqlSession::dialect() const {
  static const sql::Dialect kDialect{.lock_rows = " FOR UPDATE", .skip_locked = " SKIP LOCKED"};
  return kDialect;
}

Result<sql::Rows> SqlSession::Query(const std::string& sql, const sql::Params& params) {
  Params text;
  for (const sql::Value& v : params.values()) {
    switch (v.kind) {
      case sql::Value::Kind::kInt:
        text.Add(v.i);
        break;
      case sql::Value::Kind::kText:
        text.Add(v.s);
        break;
      case sql::Value::Kind::kBytes:
        text.Add(ByteaParam(v.s));
        break;
      case sql::Value::Kind::kNull:
        text.AddNull();
        break;
    }
  }
  auto result = conn_.Query(sql, text);
  HITLGATE_RETURN_IF_ERROR(result);
  sql::Rows rows(result->columns());
  for (int r = 0; r < result->size(); ++r) {
    for (int c = 0; c < result->columns(); ++c) {
      if (result->IsNull(r, c)) {
        rows.Append(sql::Value::Null());
      } else if (result->IsBytea(c)) {
        auto bytes = FromByteaText(result->Text(r, c));
        HITLGATE_RETURN_IF_ERROR(bytes);
        rows.Append(sql::Value::Blob(std::move(*bytes)));
      } else {
        rows.Append(sql::Value::Text(result->Text(r, c)));
      }
    }
  }
  rows.set_affected(result->affected());
  return rows;
}

}  // namespace hitlgate::store::postgres
