// The seam between the SQL the stores share and the two engines that run it
// (like leveldb's Env): a Session runs one statement with typed parameters
// and returns its rows, whatever the engine. SqliteStore and PostgresStore
// each adapt their connection to it (storage/sqlite/sql_session.h,
// storage/postgres/sql_session.h); the SQL over it (storage/sql/*.cc) is
// written once.
//
// The SQL is the dialect both engines read: `$N` placeholders (the SQLite
// adapter binds them by number), `CAST(x AS BIGINT)` rather than `::`,
// `true`/`false`, `ON CONFLICT`, `RETURNING`. What one engine has and the
// other lacks (row locks, advisory locks, SKIP LOCKED) is named in Dialect
// or is a hook of SqlStore. Internal to src/storage.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hitlgate/audit/record.h"
#include "hitlgate/common/clock.h"
#include "hitlgate/common/error.h"
#include "hitlgate/store/id_generator.h"
#include "hitlgate/store/store.h"

namespace hitlgate::store::sql {

// Times are stored as BIGINT microseconds since the Unix epoch, in both engines.
inline std::int64_t Us(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint FromUs(std::int64_t us) { return TimePoint(Duration(us)); }

// The bytes of a hash given as lower-case hex of even length; nullopt for
// anything else (empty, odd, upper-case, not hex), which a store keeps as the
// text it came as, so that it reads back unchanged (and a verifier reports it).
std::optional<std::string> HashBytes(std::string_view hex);

// Bytes that are not text: a BLOB in SQLite, a BYTEA in PostgreSQL.
struct Bytes {
  std::string data;
};

// One parameter's or one column's value. (A struct, not a std::variant of
// strings: g++ 12 warns maybe-uninitialized inside such variants' moves.)
struct Value {
  enum class Kind { kNull, kInt, kText, kBytes };
  static Value Null() { return {}; }
  static Value Int(std::int64_t i) { return {Kind::kInt, i, {}}; }
  static Value Text(std::string s) { return {Kind::kText, 0, std::move(s)}; }
  static Value Blob(std::string bytes) { return {Kind::kBytes, 0, std::move(bytes)}; }

  Kind kind = Kind::kNull;
  std::int64_t i = 0;
  std::string s;  // the text, or the bytes
};

// The parameters of one statement: $1, $2, ... in order of Add.
class Params {
 public:
  Params() = default;
  template <typename... Args>
  static Params Of(const Args&... args) {
    Params p;
    (p.Add(args), ...);
    return p;
  }

  Params& Add(std::string_view text) { return Push(Value::Text(std::string(text))); }
  Params& Add(const std::string& text) { return Push(Value::Text(text)); }
  Params& Add(const char* text) { return Push(Value::Text(text)); }
  Params& Add(std::int64_t value) { return Push(Value::Int(value)); }
  Params& Add(int value) { return Push(Value::Int(value)); }
  Params& Add(bool value) { return Push(Value::Int(value ? 1 : 0)); }
  Params& Add(TimePoint value) { return Push(Value::Int(Us(value))); }
  Params& Add(Bytes bytes) { return Push(Value::Blob(std::move(bytes.data))); }
  Params& AddNull() { return Push(Value::Null()); }
  // A hash given as hex: with `as_bytes` (Dialect::hashes_as_bytes), its
  // HashBytes where it has them; otherwise the text as it came.
  Params& AddHash(std::string_view hex, bool as_bytes);
  template <typename T>
  Params& Add(const std::optional<T>& value) {
    return value ? Add(*value) : AddNull();
  }

  int size() const { return static_cast<int>(values_.size()); }
  const std::vector<Value>& values() const { return values_; }

 private:
  Params& Push(Value v) {
    values_.push_back(std::move(v));
    return *this;
  }
  std::vector<Value> values_;
};

// The whole result of one statement, read into memory (the shared SQL runs
// on paths where a row's copy costs nothing next to the round trip).
class Rows {
 public:
  explicit Rows(int columns = 0) : columns_(columns) {}

  int size() const { return columns_ == 0 ? 0 : static_cast<int>(cells_.size()) / columns_; }
  bool empty() const { return size() == 0; }
  // Rows an INSERT/UPDATE/DELETE changed.
  std::int64_t affected() const { return affected_; }

  // Rows and columns are 0-based. NULL reads as "" / 0. Text of an integer
  // is its digits; Int of text parses it ("t"/"f": PostgreSQL's booleans).
  std::string Text(int row, int col) const;
  std::int64_t Int(int row, int col) const;
  bool IsNull(int row, int col) const;
  // True for a BLOB / BYTEA value (Text returns its bytes).
  bool IsBytes(int row, int col) const;
  // A hash as lower-case hex, whether it is kept as bytes or as hex text
  // (Params::AddHash).
  std::string Hash(int row, int col) const;
  TimePoint Time(int row, int col) const { return FromUs(Int(row, col)); }
  std::optional<TimePoint> OptTime(int row, int col) const {
    return IsNull(row, col) ? std::nullopt : std::optional<TimePoint>(Time(row, col));
  }

  // For the adapters.
  void Append(Value v) { cells_.push_back(std::move(v)); }
  void set_affected(std::int64_t n) { affected_ = n; }

 private:
  const Value& At(int row, int col) const {
    return cells_[static_cast<size_t>(row) * static_cast<size_t>(columns_) + static_cast<size_t>(col)];
  }
  int columns_;
  std::int64_t affected_ = 0;
  std::vector<Value> cells_;
};

// What the shared SQL must spell per engine.
struct Dialect {
  // Appended to a SELECT that reads rows it will change: " FOR UPDATE" on
  // PostgreSQL (another node's writer may change them meanwhile); "" on
  // SQLite, whose one writer already excludes every other.
  std::string_view lock_rows;
  // Appended after lock_rows where a reader takes rows to work on (the
  // outbox's due messages, the claim walk): " SKIP LOCKED" on PostgreSQL, so
  // two nodes never take the same row and neither waits for the other; ""
  // on SQLite.
  std::string_view skip_locked;

  // The claim walk (storage/sql/tasks.cc). What differs is how many writers
  // claim at once: PostgreSQL serves several nodes, SQLite one writer.
  //
  // Conditions (starting " AND") that keep a claim walk to the tasks the
  // reviewer qualifies for, over $1 skills, $2 languages, $3 queues and $4
  // workflows (U+001F-joined; '' is "any"), so that the rows PostgreSQL locks
  // are rows the reviewer can take. "" on SQLite: its walk locks nothing and
  // checks each row in C++ as it reads (Qualifies, which the walk applies on
  // both engines) and leaves $1..$4 unread.
  std::string_view claim_filter;
  // A statement that keeps every other transaction from counting the leases
  // of reviewer $1 until this one ends: two nodes claiming for one reviewer
  // must not both pass the concurrency check. "" on SQLite, whose one writer
  // already runs one claim at a time.
  std::string_view lock_reviewer;
  // Starts a statement that keeps other transactions from writing a table
  // until this one ends (the table's name and " IN EXCLUSIVE MODE" follow;
  // readers still read): "LOCK TABLE " on PostgreSQL, "" on SQLite, whose
  // one writer already excludes every other. For history tables whose
  // writers read "the latest row" first (policy and knowledge activations).
  std::string_view lock_table;

  // What else an event's text lives in, to set when it is erased: ",
  // event_packed = NULL" on PostgreSQL, which keeps the packed form in a
  // column of its own (migration 12); "" on SQLite, which packs into
  // event_json itself (migration 10).
  std::string_view clear_packed_event;
  // A decision row's columns, in the order storage/sql/interactions.cc reads
  // them: seq, event_id, interaction_id, customer_id, workflow, channel,
  // event_index, type, at_us, event_json, decision_json, outcome, the policy
  // version, recorded_by, task_id, then the packed event and decision (NULL
  // where the engine keeps them in the JSON columns). SQLite stores the
  // policy version once in policy_refs (migration 11) and packs in place.
  std::string_view decision_columns;

  // How the event path's insert (storage/sql/decisions.cc) stores what the
  // engines' size migrations store differently:
  // - the event digest as 32 bytes (SQLite migration 11) or as hex text;
  bool hashes_as_bytes = false;
  // - the policy version: a statement run first with $1 = the version
  //   ("" where the row holds the version itself), then the value the
  //   policy_version column gets from the insert's $13 (SQLite keeps the
  //   version once in policy_refs and the row its id);
  std::string_view remember_policy_version;
  std::string_view policy_version_value;
  // - the packed event ($14) and answer ($15): the columns they go to and
  //   their values (SQLite packs into event_json and decision_json,
  //   PostgreSQL has BYTEA columns of their own and '' in the text ones).
  std::string_view packed_decision_columns;
  std::string_view packed_decision_values;
};

// One connection, used by one thread, inside a transaction or not.
class Session {
 public:
  virtual ~Session() = default;
  virtual const Dialect& dialect() const = 0;
  // Runs one statement. Errors: a unique or constraint violation
  // AlreadyExists, a lost race the writer retries Aborted, a lost connection
  // Unavailable, others Internal.
  [[nodiscard]] virtual Result<Rows> Query(const std::string& sql, const Params& params = {}) = 0;
  // Runs SQL without parameters, which may hold several statements
  // (BEGIN, COMMIT, a DELETE of a whole table).
  [[nodiscard]] virtual Result<void> Exec(const std::string& sql) = 0;
};

// What a write sees inside its engine's batch transaction (in its own
// savepoint): the session, the id generator, and the audit chain.
class Txn {
 public:
  virtual ~Txn() = default;
  virtual Session& session() = 0;
  virtual IdGenerator& ids() = 0;
  // Adds `entries` to the audit chain at `at`, in this transaction (chained
  // now on SQLite, by the sealer after commit on PostgreSQL).
  [[nodiscard]] virtual Result<void> Append(std::vector<audit::AuditEntry> entries, TimePoint at) = 0;
  // The chain's head, with everything committed before chained, and this
  // transaction holding the chain until it ends (callers that must know the
  // seq and hash their records get: audit appends, purges).
  [[nodiscard]] virtual Result<AuditHead> ChainHead() = 0;
  // Adds `entries` chained now, after ChainHead; returns them sealed.
  [[nodiscard]] virtual Result<std::vector<audit::AuditRecord>> AppendSealed(
      std::vector<audit::AuditEntry> entries, TimePoint at) = 0;
};

// The Txn over an engine's write transaction W (conn(), ids(),
// Append(entries, at) returning Result of anything, ChainHead(),
// AppendSealed(entries, at)), with S, the engine's Session over W's connection.
template <typename W, typename S>
class TxnOver final : public Txn {
 public:
  explicit TxnOver(W& txn) : txn_(txn), session_(txn.conn()) {}
  Session& session() override { return session_; }
  IdGenerator& ids() override { return txn_.ids(); }
  Result<void> Append(std::vector<audit::AuditEntry> entries, TimePoint at) override {
    auto appended = txn_.Append(std::move(entries), at);
    if (!appended) return std::unexpected(appended.error());
    return {};
  }
  Result<AuditHead> ChainHead() override { return txn_.ChainHead(); }
  Result<std::vector<audit::AuditRecord>> AppendSealed(std::vector<audit::AuditEntry> entries,
                                                       TimePoint at) override {
    return txn_.AppendSealed(std::move(entries), at);
  }

 private:
  W& txn_;
  S session_;
};

// The engine's Session S over a connection C that it owns (the article
// index keeps one of its own).
template <typename C, typename S>
class OwningSession final : public Session {
 public:
  explicit OwningSession(std::unique_ptr<C> conn) : conn_(std::move(conn)), session_(*conn_) {}
  const Dialect& dialect() const override { return session_.dialect(); }
  Result<Rows> Query(const std::string& sql, const Params& params) override { return session_.Query(sql, params); }
  Result<void> Exec(const std::string& sql) override { return session_.Exec(sql); }

 private:
  std::unique_ptr<C> conn_;
  S session_;
};

}  // namespace hitlgate::store::sql
