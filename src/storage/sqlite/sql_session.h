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

// A session that owns its connection (the article index keeps one).
class OwningSqlSession final : public sql::Session {
 public:
  explicit OwningSqlSession(std::unique_ptr<Connection> conn) : conn_(std::move(conn)), session_(*conn_) {}
  const sql::Dialect& dialect() const override { return session_.dialect(); }
  Result<sql::Rows> Query(const std::string& sql, const sql::Params& params) override {
    return session_.Query(sql, params);
  }
  Result<void> Exec(const std::string& sql) override { return session_.Exec(sql); }

 private:
  std::unique_ptr<Connection> conn_;
  SqlSession session_;
};

class SqlTxn final : public sql::Txn {
 public:
  explicit SqlTxn(WriteTxn& txn) : txn_(txn), session_(txn.conn()) {}
  sql::Session& session() override { return session_; }
  IdGenerator& ids() override { return txn_.ids(); }
  Result<void> Append(std::vector<audit::AuditEntry> entries, TimePoint at) override;

 private:
  WriteTxn& txn_;
  SqlSession session_;
};

}  // namespace hitlgate::store::sqlite
