// SqlStore: supervisors' controls in force (paused workflows, holds, takeovers).
#include "storage/audit_entries.h"
#include "storage/sql/store_ops.h"
#include "storage/task_rules.h"

namespace hitlgate::store {

using sql::Params;

Result<void> SqlStore::SetControl(const Control& c) {
  if (auto v = internal::ValidateControl(c); !v) return v;
  return WriteSql<void>([&](sql::Txn& txn) -> Result<void> {
    HITLGATE_RETURN_IF_ERROR(txn.session().Query(
        "INSERT INTO controls(kind, target, actor, reason, at_us) VALUES($1, $2, $3, $4, $5) "
        "ON CONFLICT (kind, target) DO UPDATE SET actor = excluded.actor, reason = "
        "excluded.reason, "
        "at_us = excluded.at_us",
        Params::Of(ControlKindName(c.kind), c.target, c.actor, c.reason, c.at)));
    return txn.Append({internal::ControlSetAudit(c)}, c.at);
  });
}

Result<void> SqlStore::ClearControl(ControlKind kind, const std::string& target,
                                    const std::string& actor, TimePoint at) {
  return WriteSql<void>([&](sql::Txn& txn) -> Result<void> {
    auto deleted = txn.session().Query("DELETE FROM controls WHERE kind = $1 AND target = $2",
                                       Params::Of(ControlKindName(kind), target));
    HITLGATE_RETURN_IF_ERROR(deleted);
    if (deleted->affected() == 0) {
      return NotFound(std::string(ControlKindName(kind)) + " is not set for " + target);
    }
    return txn.Append({internal::ControlClearedAudit(kind, target, actor)}, at);
  });
}

Result<std::vector<Control>> SqlStore::ListControls() {
  return ReadSql<std::vector<Control>>(
      [&](sql::Session& s) -> Result<std::vector<Control>> {
        auto rows = s.Query(
            "SELECT kind, target, actor, reason, at_us FROM controls ORDER BY kind, target");
        HITLGATE_RETURN_IF_ERROR(rows);
        std::vector<Control> out;
        for (int i = 0; i < rows->size(); ++i) {
          auto kind = ParseControlKind(rows->Text(i, 0));
          if (!kind)
            return DataLoss("unknown control kind '" + rows->Text(i, 0) + "' in the database");
          out.push_back(Control{*kind, rows->Text(i, 1), rows->Text(i, 2), rows->Text(i, 3),
                                rows->Time(i, 4)});
        }
        return out;
      },
      /*snapshot=*/false);
}

}  // namespace hitlgate::store
