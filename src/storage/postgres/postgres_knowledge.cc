// PostgresStore: agent assist knowledge versions (SQL shared with SQLite in
// storage/knowledge_versions.h).
#include "hitlgate/store/postgres_store.h"
#include "storage/knowledge_versions.h"
#include "storage/postgres/store_ops.h"

namespace hitlgate::store {

using postgres::Connection;
using postgres::Params;
using postgres::WriteTxn;
namespace sql = internal::knowledge_sql;

namespace {

Result<std::vector<KnowledgeVersionInfo>> Select(Connection& conn, bool with_document, const std::string* id) {
  auto rows = id ? conn.Query(sql::SelectVersions(with_document, "WHERE v.id = $1"), Params::Of(*id))
                 : conn.Query(sql::SelectVersions(with_document, ""));
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

Result<std::optional<std::string>> ActiveId(Connection& conn) {
  auto rows = conn.Query(sql::kActiveId);
  HITLGATE_RETURN_IF_ERROR(rows);
  if (rows->empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows->Text(0, 0));
}

Result<KnowledgeVersionInfo> One(Connection& conn, const std::string& id) {
  auto found = Select(conn, true, &id);
  HITLGATE_RETURN_IF_ERROR(found);
  if (found->empty()) return NotFound("no knowledge version " + id);
  return std::move(found->front());
}

}  // namespace

Result<void> PostgresStore::SaveKnowledgeVersion(const KnowledgeVersion& v) {
  HITLGATE_RETURN_IF_ERROR(internal::ValidateKnowledgeVersion(v));
  return Write<void>([&](WriteTxn& txn) -> Result<void> {
    auto existing = Select(txn.conn(), true, &v.id);
    HITLGATE_RETURN_IF_ERROR(existing);
    if (!existing->empty()) {
      if (existing->front().version.document_json == v.document_json) return {};
      return MakeError(ErrorCode::kAlreadyExists, "knowledge version " + v.id + " exists with another document");
    }
    HITLGATE_RETURN_IF_ERROR(txn.conn().Query(
        sql::kInsertVersion, Params::Of(v.id, v.document_json, v.uploaded_by, v.uploaded_at, v.procedures, v.articles)));
    HITLGATE_RETURN_IF_ERROR(txn.Append({internal::KnowledgeUploadedAudit(v)}, v.uploaded_at));
    return {};
  });
}

Result<void> PostgresStore::ActivateKnowledge(const std::string& id, const std::string& actor, TimePoint at) {
  return Write<void>([&](WriteTxn& txn) -> Result<void> {
    auto existing = Select(txn.conn(), false, &id);
    HITLGATE_RETURN_IF_ERROR(existing);
    if (existing->empty()) return NotFound("no knowledge version " + id);
    auto previous = ActiveId(txn.conn());
    HITLGATE_RETURN_IF_ERROR(previous);
    HITLGATE_RETURN_IF_ERROR(txn.conn().Query(sql::kInsertActivation, Params::Of(id, actor, at)));
    HITLGATE_RETURN_IF_ERROR(
        txn.Append({internal::KnowledgeActivatedAudit(id, actor, previous->value_or(""))}, at));
    return {};
  });
}

Result<KnowledgeVersionInfo> PostgresStore::GetActiveKnowledge() {
  return Read<KnowledgeVersionInfo>(
      [&](Connection& conn) -> Result<KnowledgeVersionInfo> {
        auto active = ActiveId(conn);
        HITLGATE_RETURN_IF_ERROR(active);
        if (!*active) return NotFound("no knowledge version was activated");
        return One(conn, **active);
      },
      /*snapshot=*/true);
}

Result<KnowledgeVersionInfo> PostgresStore::GetKnowledgeVersion(const std::string& id) {
  return Read<KnowledgeVersionInfo>([&](Connection& conn) { return One(conn, id); }, /*snapshot=*/false);
}

Result<std::vector<KnowledgeVersionInfo>> PostgresStore::ListKnowledgeVersions() {
  return Read<std::vector<KnowledgeVersionInfo>>([&](Connection& conn) { return Select(conn, false, nullptr); },
                                                 /*snapshot=*/false);
}

}  // namespace hitlgate::store
