// The shared SQL's seam (storage/sql/session.h) over a libpq connection.
// Internal to the PostgreSQL backend.
#pragma once

#include "storage/postgres/connection.h"
#include "storage/postgres/writer.h"
#include "storage/sql/session.h"

namespace hitlgate::store::postgres {

class SqlSession final : public sql::Session {
 public:
  explicit SqlSession(Connection& conn) : conn_(conn) {}
  Connection& conn() { return conn_; }
  const sql::Dialect& dialect() const override;
  // Parameters go as text (bytes as bytea's hex input); BYTEA columns come
  // back as sql::Bytes, every other value as its text.
  Result<sql::Rows> Query(const std::string& sql, const sql::Params& params) override;
  Result<void> Exec(const std::string& sql) override { return conn_.Exec(sql); }

 private:
  Connection& conn_;
};

using SqlTxn = sql::TxnOver<WriteTxn, SqlSession>;
// A session that owns its connection (the article index keeps one).
using OwningSqlSession = sql::OwningSession<Connection, SqlSession>;

}  // namespace hitlgate::store::postgres
