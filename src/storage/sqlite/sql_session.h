// The shared SQL's seam (storage/sql/session.h) over a SQLite connection.
// Internal to the SQLite backend.
#pragma once

#include "storage/sql/session.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/write_txn.h"

namespace hitlgate::store::sqlite {

class SqlSession final : public sql::Session {
 public:
  explicit SqlSession(Connection& conn) : conn_(conn) {}
  const sql::Dialect& dialect() const override;
  // `$N` becomes `?N` (SQLite would number `$N` names in order of first
  // use, not by N); the statement is prepared once per connection.
  Result<sql::Rows> Query(const std::string& sql, const sql::Params& params) override;
  Result<void> Exec(const std::string& sql) override { return conn_.Exec(sql); }

 private:
  Connection& conn_;
};

using SqlTxn = sql::TxnOver<WriteTxn, SqlSession>;
// A session that owns its connection (the article index keeps one).
using OwningSqlSession = sql::OwningSession<Connection, SqlSession>;

}  // namespace hitlgate::store::sqlite
