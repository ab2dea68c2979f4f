// Thin RAII wrappers over one sqlite3 connection and its prepared
// statements. The only place besides schema.cc that speaks the sqlite3 C API.
// A Connection is used by one thread at a time (the writer thread, or a
// reader that checked it out of the ReadPool); it is not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "hitlgate/common/clock.h"
#include "hitlgate/common/error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace hitlgate::store::sqlite {

// Times are stored as integer microseconds since the Unix epoch.
inline std::int64_t Us(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint FromUs(std::int64_t us) { return TimePoint(Duration(us)); }

class Connection;

// A column's storage class in the current row (SQLite types values, not columns).
enum class ColumnType { kNull, kInteger, kText, kBlob };

// A cached prepared statement, checked out for one use: bind, step, read.
// Destruction resets it and clears its bindings for the next use.
class Statement {
 public:
  Statement(sqlite3_stmt* stmt, Connection* conn) : stmt_(stmt), conn_(conn) {}
  Statement(Statement&& other) noexcept : stmt_(other.stmt_), conn_(other.conn_) {
    other.stmt_ = nullptr;
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  // Parameters are 1-based, as in SQL text ("?1").
  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, const std::string& text) { return Bind(index, std::string_view(text)); }
  Statement& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
  Statement& Bind(int index, std::int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, static_cast<std::int64_t>(value)); }
  Statement& Bind(int index, bool value) { return Bind(index, static_cast<std::int64_t>(value)); }
  Statement& Bind(int index, TimePoint value) { return Bind(index, Us(value)); }
  Statement& BindNull(int index);
  // Bytes stored as a BLOB (SQLite keeps a TEXT column's type per value, so
  // a column may hold both: packed JSON beside the plain text of old rows).
  Statement& BindBlob(int index, std::string_view bytes);
  template <typename T>
  Statement& Bind(int index, const std::optional<T>& value) {
    return value ? Bind(index, *value) : BindNull(index);
  }
  // Binds every argument in order from ?1.
  template <typename... Args>
  Statement& BindAll(const Args&... args) {
    int i = 0;
    (Bind(++i, args), ...);
    return *this;
  }

  // True when a row is ready, false when done.
  [[nodiscard]] Result<bool> Step();
  // Steps to completion (for statements without rows).
  [[nodiscard]] Result<void> Run();

  // Columns are 0-based.
  std::int64_t Int(int col) const;
  std::string Text(int col) const;
  bool IsNull(int col) const;
  bool IsBlob(int col) const;
  // REAL reads as kText (the store writes none).
  ColumnType TypeOf(int col) const;
  int ColumnCount() const;
  // The column's bytes whatever their type (Text() of a BLOB is its bytes too,
  // but would make SQLite convert it first).
  std::string Blob(int col) const;
  TimePoint Time(int col) const { return FromUs(Int(col)); }
  std::optional<TimePoint> OptTime(int col) const {
    return IsNull(col) ? std::nullopt : std::optional<TimePoint>(Time(col));
  }

 private:
  sqlite3_stmt* stmt_;
  Connection* conn_;
};

class Connection {
 public:
  // Opens (creating if needed) the database at `path`.
  [[nodiscard]] static Result<std::unique_ptr<Connection>> Open(const std::string& path);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement without parameters, prepared once and kept: the
  // writer's BEGIN, SAVEPOINT, RELEASE and COMMIT run thousands of times a
  // second, and compiling each anew was a tenth of the writer's time.
  [[nodiscard]] Result<void> Run(std::string_view sql);
  // Runs SQL without parameters (may hold several statements).
  [[nodiscard]] Result<void> Exec(std::string_view sql);
  // The statement for `sql`, prepared once per connection and cached. With
  // `rewrite`, the statement compiled is rewrite(sql), still cached under
  // `sql`, so a caller whose SQL needs translating pays for it once.
  using Rewrite = std::string (*)(std::string_view sql);
  [[nodiscard]] Result<Statement> Prepare(std::string_view sql, Rewrite rewrite = nullptr);

  std::int64_t LastInsertRowid() const;
  int Changes() const;
  // True outside a transaction (also after SQLite rolled one back itself).
  bool InAutocommit() const;

  // The Error for the connection's last failure, with `what` for context.
  Error LastError(std::string_view what) const;

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  // Looked up by string_view: the writer prepares several statements per
  // event, and a key string built for each lookup was a malloc apiece.
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>> cache_;  // sql -> prepared statement
};

}  // namespace hitlgate::store::sqlite
