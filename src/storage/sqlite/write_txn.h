// WriteTxn: what a write operation sees inside the group-commit transaction:
// the writer connection, the audit chain head as of this point in the
// transaction, and the id generator. Only the writer thread touches it.
#pragma once

#include <string>
#include <vector>

#include "hitlgate/audit/record.h"
#include "hitlgate/store/id_generator.h"
#include "hitlgate/store/store.h"
#include "storage/sqlite/connection.h"

namespace hitlgate::store::sqlite {

class WriteTxn {
 public:
  WriteTxn(Connection* conn, IdGenerator* ids) : conn_(conn), ids_(ids) {}

  Connection& conn() { return *conn_; }
  IdGenerator& ids() { return *ids_; }

  // Reads the chain head from the audit table. Called right after BEGIN, so
  // the head is the committed one and the chain stays gapless even if
  // another process wrote since (SQLite serializes writers).
  [[nodiscard]] Result<void> LoadHead();
  const AuditHead& head() const { return head_; }
  // For rolling back a savepoint: the head goes back with the rows.
  void RestoreHead(AuditHead head) { head_ = std::move(head); }

  // Seals `entries` onto the chain at `at` and inserts them.
  [[nodiscard]] Result<std::vector<audit::AuditRecord>> Append(
      std::vector<audit::AuditEntry> entries, TimePoint at);
  // The one writer chains as it goes: the head is always at hand, and every
  // append is sealed (the names PostgreSQL's WriteTxn has for the same).
  [[nodiscard]] Result<AuditHead> ChainHead() const { return head_; }
  [[nodiscard]] Result<std::vector<audit::AuditRecord>> AppendSealed(
      std::vector<audit::AuditEntry> entries, TimePoint at) {
    return Append(std::move(entries), at);
  }

 private:
  Connection* conn_;
  IdGenerator* ids_;
  AuditHead head_;
};

}  // namespace hitlgate::store::sqlite
