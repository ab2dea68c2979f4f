// PostgresStore: opening, decisions, interactions and the audit log.
#include "hitlgate/store/postgres_store.h"

#include <algorithm>

#include "storage/audit_entries.h"
#include "storage/packed_json.h"
#include "storage/postgres/leader_lock.h"
#include "storage/postgres/schema.h"
#include "storage/postgres/sql_session.h"
#include "storage/postgres/store_ops.h"
#include "storage/task_rules.h"

namespace hitlgate::store {

using postgres::Connection;
using postgres::Params;
using postgres::WriteTxn;

namespace {

// Audit reads answer as a single writer would: every record committed before
// the read is on the chain (ADR 0011), so a caller finds what it just wrote
// (a verdict's receipt, a purge's record) whichever node sealed it. This is
// how long they wait for that.
constexpr std::chrono::milliseconds kSealWait{5000};

bool ValidSchemaName(const std::string& s) {
  if (s.empty() || s.size() > 63) return false;
  if (!(std::islower(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
           c == '_';
  });
}

}  // namespace

bool PostgresStore::IsPostgresUrl(std::string_view url) {
  if (url.starts_with("postgres://") || url.starts_with("postgresql://")) return true;
  // libpq's key=value form ("host=db1,db2 port=5432,5432 dbname=hitlgate
  // target_session_attrs=read-write"): recognized by its first keyword, so
  // that it is never taken for a SQLite file name.
  static constexpr std::string_view kFirstKeywords[] = {"host", "hostaddr", "port", "dbname",
                                                        "user", "service"};
  const size_t start = url.find_first_not_of(' ');
  const size_t eq = url.find('=');
  if (start == std::string_view::npos || eq == std::string_view::npos || eq < start) return false;
  std::string_view key = url.substr(start, eq - start);
  while (key.ends_with(' ')) key.remove_suffix(1);
  return std::ranges::find(kFirstKeywords, key) != std::end(kFirstKeywords);
}

Result<std::unique_ptr<PostgresStore>> PostgresStore::Open(const std::string& url,
                                                           const PostgresStoreOptions& options) {
  if (options.ids == nullptr) return InvalidArgument("PostgresStore needs an IdGenerator");
  if (!options.schema.empty() && !ValidSchemaName(options.schema)) {
    return InvalidArgument("postgres schema name '" + options.schema +
                           "': use lower-case letters, digits and '_'");
  }
  postgres::ConnectOptions connect{url, options.schema};
  {
    auto conn = Connection::Open(connect);
    HITLGATE_RETURN_IF_ERROR(conn);
    HITLGATE_RETURN_IF_ERROR(postgres::Migrate(**conn, options.schema));
  }
  std::unique_ptr<PostgresStore> store(new PostgresStore());
  store->readers_ = std::make_unique<postgres::Pool>(connect, options.read_connections);
  store->writer_ = std::make_unique<postgres::Writer>(connect, options.ids, options.max_batch);
  store->leader_ = std::make_unique<postgres::LeaderLock>(connect);
  return store;
}

PostgresStore::~PostgresStore() {
  writer_.reset();  // drains queued writes before the pool closes
}

Result<bool> PostgresStore::LeadPeriodicWork() { return leader_->Hold(); }

Result<void> PostgresStore::RunRead(const ReadFn& fn, bool snapshot) {
  return Read<void>(
      [&](Connection& conn) {
        postgres::SqlSession session(conn);
        return fn(session);
      },
      snapshot);
}

Result<void> PostgresStore::RunWrite(const WriteFn& fn) {
  return Write<void>([&](WriteTxn& txn) {
    postgres::SqlTxn shared(txn);
    return fn(shared);
  });
}

void PostgresStore::RunDecisionWriteAsync(DecisionWrite write, RecordDone done) {
  WriteAsync<RecordedDecision>(
      [write = std::move(write)](WriteTxn& txn) mutable {
        postgres::SqlTxn shared(txn);
        return write(shared);
      },
      std::move(done));
}

Result<void> PostgresStore::BeforeAuditRead(sql::Session& session) {
  // RunRead's session: always this backend's.
  return postgres::SealCommitted(static_cast<postgres::SqlSession&>(session).conn(), kSealWait);
}

Result<void> PostgresStore::ForgetCustomer(sql::Session& session, const std::string& customer_id) {
  // The shared conversation state keys its row by the customer id (ADR 0008).
  HITLGATE_RETURN_IF_ERROR(
      session.Query("DELETE FROM conversation_customers WHERE customer_id = $1", sql::Params::Of(customer_id)));
  return {};
}

std::int64_t PostgresStore::TransactionCountForTest() const { return writer_->transactions(); }
std::int64_t PostgresStore::WriteOpCountForTest() const { return writer_->ops(); }

// ---- Audit log ----

Result<AuditHead> PostgresStore::GetAuditHead() {
  return Read<AuditHead>([&](Connection& conn) -> Result<AuditHead> {
    HITLGATE_RETURN_IF_ERROR(postgres::SealCommitted(conn, kSealWait));
    auto rows = conn.Query("SELECT seq, hash FROM audit_head WHERE id = 1");
    HITLGATE_RETURN_IF_ERROR(rows);
    if (rows->empty()) return DataLoss("audit_head row is missing");
    return AuditHead{rows->Int(0, 0), rows->Text(0, 1)};
  });
}

}  // namespace hitlgate::store
