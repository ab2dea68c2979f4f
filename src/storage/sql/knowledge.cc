// SqlStore: agent assist knowledge versions (docs/assist.md).
#include "storage/knowledge_versions.h"
#include "storage/sql/admin_rows.h"
#include "storage/sql/store_ops.h"

namespace hitlgate::store {
namespace {

namespace ksql = internal::knowledge_sql;
using sql::Params;
using sql::Session;

Result<std::vector<KnowledgeVersionInfo>> Select(Session& s, bool with_document, const std::string* id) {
  auto rows = id ? s.Query(ksql::SelectVersions(with_document, "WHERE v.id = $1"), Params::Of(*id))
                 : s.Query(ksql::SelectVersions(with_document, ""));
  HITLGATE_RETURN_IF_ERROR(rows);
  std::vector<KnowledgeVersionInfo> out;
  for (int i = 0; i < rows->size(); ++i) {
    KnowledgeVersionInfo info;
    info.version = KnowledgeVersion{rows->Text(i, 0), rows->Text(i, 1), rows->Text(i, 2),
                                    rows->Time(i, 3), rows->Int(i, 4),  rows->Int(i, 5)};
    if (!rows->IsNull(i, 6)) info.activated_by = rows->Text(i, 6);
    info.activated_at = rows->OptTime(i, 7);
    info.active = rows->Int(i, 8) == 1;
    out.push_back(std::move(info));
  }
  return out;
}

Result<std::optional<std::string>> ActiveId(Session& s) {
  auto rows = s.Query(ksql::kActiveId);
  HITLGATE_RETURN_IF_ERROR(rows);
  if (rows->empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows->Text(0, 0));
}

Result<KnowledgeVersionInfo> One(Session& s, const std::string& id) {
  auto found = Select(s, true, &id);
  HITLGATE_RETURN_IF_ERROR(found);
  if (found->empty()) return NotFound("no knowledge version " + id);
  return std::move(found->front());
}

}  // namespace

Result<void> SqlStore::SaveKnowledgeVersion(const KnowledgeVersion& v) {
  HITLGATE_RETURN_IF_ERROR(internal::ValidateKnowledgeVersion(v));
  return WriteSql<void>([&](sql::Txn& txn) -> Result<void> {
    // Insert first: a check before the insert would let two nodes saving the
    // same version at once both pass it, and one of them fail on the key.
    auto inserted = txn.session().Query(
        ksql::kInsertVersion,
        Params::Of(v.id, v.document_json, v.uploaded_by, v.uploaded_at, v.procedures, v.articles));
    HITLGATE_RETURN_IF_ERROR(inserted);
    if (inserted->affected() == 0) {
      auto existing = Select(txn.session(), true, &v.id);
      HITLGATE_RETURN_IF_ERROR(existing);
      if (!existing->empty() && existing->front().version.document_json == v.document_json) return {};
      return MakeError(ErrorCode::kAlreadyExists, "knowledge version " + v.id + " exists with another document");
    }
    return txn.Append({internal::KnowledgeUploadedAudit(v)}, v.uploaded_at);
  });
}

Result<void> SqlStore::ActivateKnowledge(const std::string& id, const std::string& actor, TimePoint at) {
  return WriteSql<void>([&](sql::Txn& txn) -> Result<void> {
    auto existing = Select(txn.session(), false, &id);
    HITLGATE_RETURN_IF_ERROR(existing);
    if (existing->empty()) return NotFound("no knowledge version " + id);
    // As for policies: one activation at a time names the one before it.
    HITLGATE_RETURN_IF_ERROR(sql::LockTable(txn.session(), "knowledge_activations"));
    auto previous = ActiveId(txn.session());
    HITLGATE_RETURN_IF_ERROR(previous);
    HITLGATE_RETURN_IF_ERROR(txn.session().Query(ksql::kInsertActivation, Params::Of(id, actor, at)));
    return txn.Append({internal::KnowledgeActivatedAudit(id, actor, previous->value_or(""))}, at);
  });
}

Result<KnowledgeVersionInfo> SqlStore::GetActiveKnowledge() {
  return ReadSql<KnowledgeVersionInfo>([&](Session& s) -> Result<KnowledgeVersionInfo> {
    auto active = ActiveId(s);
    HITLGATE_RETURN_IF_ERROR(active);
    if (!*active) return NotFound("no knowledge version was activated");
    return One(s, **active);
  });
}

Result<KnowledgeVersionInfo> SqlStore::GetKnowledgeVersion(const std::string& id) {
  return ReadSql<KnowledgeVersionInfo>([&](Session& s) { return One(s, id); }, /*snapshot=*/false);
}

Result<std::vector<KnowledgeVersionInfo>> SqlStore::ListKnowledgeVersions() {
  return ReadSql<std::vector<KnowledgeVersionInfo>>([&](Session& s) { return Select(s, false, nullptr); },
                                                    /*snapshot=*/false);
}

}  // namespace hitlgate::store
