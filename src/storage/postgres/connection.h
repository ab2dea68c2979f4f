// Thin RAII wrappers over one libpq connection, its prepared statements and
// its results. The only place in the PostgreSQL backend that speaks the libpq
// C API (with live_bridge.cc, which needs LISTEN).
//
// Parameters and results travel in libpq's text format; times are BIGINT
// microseconds since the Unix epoch, like the SQLite backend's. Every
// statement with parameters is prepared once per connection (PQprepare) and
// cached by its SQL text.
//
// A Connection is used by one thread at a time (the writer thread, or a
// reader that checked it out of the Pool); it is not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "hitlgate/common/clock.h"
#include "hitlgate/common/error.h"
#include "storage/sql/session.h"

struct pg_conn;
struct pg_result;

namespace hitlgate::store::postgres {

using sql::FromUs;
using sql::Us;

// The parameters of one statement ($1, $2, ... in order of Add): the shared
// SQL's (storage/sql/session.h); integers go as their digits, bytes as
// bytea's hex input.
using Params = sql::Params;

// The rows of one statement's result (owned PGresult).
class Rows {
 public:
  explicit Rows(pg_result* result);
  Rows(Rows&& other) noexcept;
  Rows(const Rows&) = delete;
  Rows& operator=(const Rows&) = delete;
  Rows& operator=(Rows&&) = delete;
  ~Rows();

  int size() const;
  bool empty() const { return size() == 0; }
  int columns() const;
  // True when the column is BYTEA (its text is hex: "\\x...").
  bool IsBytea(int col) const;
  // The command tag ("SELECT 1", "UPDATE 2", ...).
  std::string_view command() const;
  // Rows an INSERT/UPDATE/DELETE changed.
  std::int64_t affected() const;

  // Rows and columns are 0-based. NULL reads as "" / 0.
  std::string Text(int row, int col) const;
  std::int64_t Int(int row, int col) const;
  bool IsNull(int row, int col) const;
  TimePoint Time(int row, int col) const { return FromUs(Int(row, col)); }
  std::optional<TimePoint> OptTime(int row, int col) const {
    return IsNull(row, col) ? std::nullopt : std::optional<TimePoint>(Time(row, col));
  }

 private:
  pg_result* result_;
};

// Where to connect and which schema to use.
struct ConnectOptions {
  std::string url;     // libpq connection URI or key=value string
  std::string schema;  // search_path; empty = the server's default
};

class Connection {
 public:
  // Connects. Unavailable when the server cannot be reached or refuses.
  [[nodiscard]] static Result<std::unique_ptr<Connection>> Open(const ConnectOptions& options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs SQL without parameters (may hold several statements).
  [[nodiscard]] Result<void> Exec(std::string_view sql);
  // Runs one statement with parameters, prepared once per connection.
  // Errors by SQLSTATE: unique violation AlreadyExists, deadlock or
  // serialization failure Aborted, lost connection Unavailable, others
  // Internal (with the server's message).
  [[nodiscard]] Result<Rows> Query(const std::string& sql, const Params& params = {});

  // True inside a transaction block (also a failed one).
  bool InTransaction() const;
  // True inside a transaction that had an error (only ROLLBACK helps).
  bool InFailedTransaction() const;
  // True when the connection is gone; the pool drops such connections.
  bool Broken() const;

  pg_conn* raw() { return conn_; }
  // Statements run through Query whose command tag was not SELECT (they may
  // have written): lets the writer tell whether a failed call left changes behind.
  std::int64_t writes() const { return writes_; }

 private:
  explicit Connection(pg_conn* conn) : conn_(conn) {}
  Result<Rows> Check(pg_result* result, std::string_view what);

  pg_conn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // sql -> statement name
  std::int64_t writes_ = 0;
};

// An Error for a failed libpq call on `conn`, mapped by SQLSTATE.
Error PgError(pg_conn* conn, pg_result* result, std::string_view what);

}  // namespace hitlgate::store::postgres
