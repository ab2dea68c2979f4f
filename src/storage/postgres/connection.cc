#include "storage/postgres/connection.h"

#include <libpq-fe.h>

#include <charconv>
#include <cstdio>
#include <cstring>

#include "storage/postgres/rows.h"

namespace hitlgate::store::postgres {
namespace {

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

Error PgError(pg_conn* conn, pg_result* result, std::string_view what) {
  std::string message = std::string(what) + ": ";
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  // The primary message only: the server's DETAIL line quotes the row's
  // values ("Key (customer_id)=(...) already exists", "Failing row contains
  // (...)"), which may be a customer's data, and the message travels to API
  // callers in error bodies.
  const char* text = result != nullptr ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  if (text == nullptr || *text == '\0') text = PQerrorMessage(conn);
  message += Trim(text != nullptr ? text : "unknown error");
  // A lost or refused connection is answered 503 to whoever called, and
  // libpq's text names the database's hosts and ports: that stays in the
  // server's log, and the caller learns only that it may retry.
  auto unavailable = [&] {
    std::fprintf(stderr, "hitlgate: postgres: %s\n", message.c_str());
    return Error(ErrorCode::kUnavailable, std::string(what) + ": the database is unavailable (retry later)");
  };
  if (PQstatus(conn) == CONNECTION_BAD) return unavailable();
  if (state == nullptr) return unavailable();
  std::string_view s(state);
  if (s == "23505") {
    // Named by its constraint; which value collided stays unsaid (above).
    const char* constraint = PQresultErrorField(result, PG_DIAG_CONSTRAINT_NAME);
    return Error(ErrorCode::kAlreadyExists, std::string(what) + ": already exists (unique constraint " +
                                                (constraint != nullptr ? constraint : "unknown") + ")");
  }
  // Lost races the caller may retry from the top.
  if (s == "40001" || s == "40P01") return Error(ErrorCode::kAborted, message);
  if (s.starts_with("08") || s.starts_with("57P")) return unavailable();
  if (s.starts_with("53")) return Error(ErrorCode::kResourceExhausted, message);
  if (s.starts_with("22") || s.starts_with("23")) return Error(ErrorCode::kInvalidArgument, message);
  return Error(ErrorCode::kInternal, message + " (SQLSTATE " + std::string(s) + ")");
}

// ---- Rows ----

Rows::Rows(pg_result* result) : result_(result) {}
Rows::Rows(Rows&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
Rows::~Rows() {
  if (result_ != nullptr) PQclear(result_);
}

int Rows::size() const { return PQntuples(result_); }
int Rows::columns() const { return PQnfields(result_); }

bool Rows::IsBytea(int col) const {
  constexpr Oid kByteaOid = 17;  // pg_type.h's BYTEAOID (server headers are not installed)
  return PQftype(result_, col) == kByteaOid;
}

std::string_view Rows::command() const { return PQcmdStatus(result_); }

std::int64_t Rows::affected() const {
  const char* n = PQcmdTuples(result_);
  std::int64_t v = 0;
  if (n != nullptr) std::from_chars(n, n + std::strlen(n), v);
  return v;
}

std::string Rows::Text(int row, int col) const {
  return std::string(PQgetvalue(result_, row, col),
                     static_cast<size_t>(PQgetlength(result_, row, col)));
}

std::int64_t Rows::Int(int row, int col) const {
  const char* v = PQgetvalue(result_, row, col);
  const int len = PQgetlength(result_, row, col);
  std::int64_t out = 0;
  if (len == 1 && (*v == 't' || *v == 'f')) return *v == 't' ? 1 : 0;  // booleans
  std::from_chars(v, v + len, out);
  return out;
}

bool Rows::IsNull(int row, int col) const { return PQgetisnull(result_, row, col) != 0; }

// ---- Connection ----

Result<std::unique_ptr<Connection>> Connection::Open(const ConnectOptions& options) {
  // Later keywords override what the URL says (expand_dbname).
  const std::string search_path = "-c search_path=" + options.schema;
  std::vector<const char*> keys = {"dbname", "application_name", "connect_timeout"};
  std::vector<const char*> values = {options.url.c_str(), "hitlgate", "10"};
  if (!options.schema.empty()) {
    keys.push_back("options");
    values.push_back(search_path.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  pg_conn* conn = PQconnectdbParams(keys.data(), values.data(), /*expand_dbname=*/1);
  if (conn == nullptr) return Unavailable("postgres: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    // The detail names hosts, ports and users: the log's, not the caller's.
    std::fprintf(stderr, "hitlgate: postgres: cannot connect: %s\n", Trim(PQerrorMessage(conn)).c_str());
    PQfinish(conn);
    return Unavailable("postgres: cannot connect: the database is unavailable (retry later; the server's log says why)");
  }
  // Notices ("already exists, skipping") are not for the operator's log.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  // Packed JSON is read as bytea's text output (rows.h); the hex form is the
  // default, but a database or role may have set the escape form.
  pg_result* set = PQexec(conn, "SET bytea_output = hex");
  const bool set_ok = PQresultStatus(set) == PGRES_COMMAND_OK;
  PQclear(set);
  if (!set_ok) {
    std::string message = Trim(PQerrorMessage(conn));
    PQfinish(conn);
    return Unavailable("postgres: cannot set bytea_output: " + message);
  }
  return std::unique_ptr<Connection>(new Connection(conn));
}

Connection::~Connection() { PQfinish(conn_); }

Result<Rows> Connection::Check(pg_result* result, std::string_view what) {
  const ExecStatusType status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Rows(result);
  Error e = PgError(conn_, result, what);
  if (result != nullptr) PQclear(result);
  return std::unexpected(std::move(e));
}

Result<void> Connection::Exec(std::string_view sql) {
  std::string text(sql);
  auto r = Check(PQexec(conn_, text.c_str()), "postgres");
  HITLGATE_RETURN_IF_ERROR(r);
  return {};
}

Result<Rows> Connection::Query(const std::string& sql, const Params& params) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::string name = "hg" + std::to_string(prepared_.size() + 1);
    auto made = Check(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr), "postgres prepare");
    HITLGATE_RETURN_IF_ERROR(made);
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  // libpq's text format: every value a NUL-terminated string (or null).
  // Reserved to the count, so the strings never move while `values` points
  // into them.
  std::vector<std::string> converted;
  converted.reserve(params.values().size());
  std::vector<const char*> values;
  values.reserve(params.values().size());
  for (const sql::Value& v : params.values()) {
    switch (v.kind) {
      case sql::Value::Kind::kText:
        values.push_back(v.s.c_str());
        break;
      case sql::Value::Kind::kInt:
        values.push_back(converted.emplace_back(std::to_string(v.i)).c_str());
        break;
      case sql::Value::Kind::kBytes:
        values.push_back(converted.emplace_back(ByteaParam(v.s)).c_str());
        break;
      case sql::Value::Kind::kNull:
        values.push_back(nullptr);
        break;
    }
  }
  auto rows = Check(PQexecPrepared(conn_, it->second.c_str(), params.size(), values.data(),
                                   nullptr, nullptr, /*resultFormat=*/0),
                    "postgres");
  // The command tag says what ran: "SELECT n" read (perhaps locking rows);
  // "INSERT", "UPDATE", "DELETE" may have written.
  if (rows && !rows->command().starts_with("SELECT")) ++writes_;
  return rows;
}

bool Connection::InTransaction() const {
  const PGTransactionStatusType s = PQtransactionStatus(conn_);
  return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE;
}

bool Connection::InFailedTransaction() const {
  return PQtransactionStatus(conn_) == PQTRANS_INERROR;
}

bool Connection::Broken() const { return PQstatus(conn_) == CONNECTION_BAD; }

}  // namespace hitlgate::store::postgres
