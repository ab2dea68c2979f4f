// SqliteStore: agent assist knowledge versions (SQL shared with PostgreSQL in
// storage/knowledge_versions.h).
#include "hitlgate/store/sqlite_store.h"
#include "storage/knowledge_versions.h"
#include "storage/sqlite/store_ops.h"

namespace hitlgate::store {

using sqlite::Connection;
using sqlite::WriteTxn;
namespace sql = internal::knowledge_sql;

namespace {

KnowledgeVersionInfo ReadVersion(const sqlite::Statement& st) {
  KnowledgeVersionInfo info;
  info.version = KnowledgeVersion{st.Text(0), st.Text(1), st.Text(2), st.Time(3), st.Int(4), st.Int(5)};
  if (!st.IsNull(6)) info.activated_by = st.Text(6);
  info.activated_at = st.OptTime(7);
  info.active = st.Int(8) == 1;
  return info;
}

Result<std::vector<KnowledgeVersionInfo>> Select(Connection& conn, bool with_document, const std::string* id) {
  auto st = conn.Prepare(sql::SelectVersions(with_document, id ? "WHERE v.id = $1" : ""));
  HITLGATE_RETURN_IF_ERROR(st);
  if (id) st->Bind(1, *id);
  std::vector<KnowledgeVersionInfo> out;
  while (true) {
    auto row = st->Step();
    HITLGATE_RETURN_IF_ERROR(row);
    if (!*row) break;
    out.push_back(ReadVersion(*st));
  }
  return out;
}

Result<std::optional<std::string>> ActiveId(Connection& conn) {
  auto st = conn.Prepare(sql::kActiveId);
  HITLGATE_RETURN_IF_ERROR(st);
  auto row = st->Step();
  HITLGATE_RETURN_IF_ERROR(row);
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(st->Text(0));
}

Result<KnowledgeVersionInfo> One(Connection& conn, const std::string& id) {
  auto found = Select(conn, true, &id);
  HITLGATE_RETURN_IF_ERROR(found);
  if (found->empty()) return NotFound("no knowledge version " + id);
  return std::move(found->front());
}

}  // namespace

Result<void> SqliteStore::SaveKnowledgeVersion(const KnowledgeVersion& v) {
  HITLGATE_RETURN_IF_ERROR(internal::ValidateKnowledgeVersion(v));
  return Write<void>([&](WriteTxn& txn) -> Result<void> {
    auto existing = Select(txn.conn(), true, &v.id);
    HITLGATE_RETURN_IF_ERROR(existing);
    if (!existing->empty()) {
      if (existing->front().version.document_json == v.document_json) return {};
      return MakeError(ErrorCode::kAlreadyExists, "knowledge version " + v.id + " exists with another document");
    }
    auto st = txn.conn().Prepare(sql::kInsertVersion);
    HITLGATE_RETURN_IF_ERROR(st);
    if (auto r = st->BindAll(v.id, v.document_json, v.uploaded_by, v.uploaded_at, v.procedures, v.articles).Run();
        !r) {
      return r;
    }
    HITLGATE_RETURN_IF_ERROR(txn.Append({internal::KnowledgeUploadedAudit(v)}, v.uploaded_at));
    return {};
  });
}

Result<void> SqliteStore::ActivateKnowledge(const std::string& id, const std::string& actor, TimePoint at) {
  return Write<void>([&](WriteTxn& txn) -> Result<void> {
    auto existing = Select(txn.conn(), false, &id);
    HITLGATE_RETURN_IF_ERROR(existing);
    if (existing->empty()) return NotFound("no knowledge version " + id);
    auto previous = ActiveId(txn.conn());
    HITLGATE_RETURN_IF_ERROR(previous);
    auto st = txn.conn().Prepare(sql::kInsertActivation);
    HITLGATE_RETURN_IF_ERROR(st);
    if (auto r = st->BindAll(id, actor, at).Run(); !r) return r;
    HITLGATE_RETURN_IF_ERROR(
        txn.Append({internal::KnowledgeActivatedAudit(id, actor, previous->value_or(""))}, at));
    return {};
  });
}

Result<KnowledgeVersionInfo> SqliteStore::GetActiveKnowledge() {
  return Read<KnowledgeVersionInfo>([&](Connection& conn) -> Result<KnowledgeVersionInfo> {
    auto active = ActiveId(conn);
    HITLGATE_RETURN_IF_ERROR(active);
    if (!*active) return NotFound("no knowledge version was activated");
    return One(conn, **active);
  });
}

Result<KnowledgeVersionInfo> SqliteStore::GetKnowledgeVersion(const std::string& id) {
  return Read<KnowledgeVersionInfo>([&](Connection& conn) { return One(conn, id); });
}

Result<std::vector<KnowledgeVersionInfo>> SqliteStore::ListKnowledgeVersions() {
  return Read<std::vector<KnowledgeVersionInfo>>([&](Connection& conn) { return Select(conn, false, nullptr); });
}

}  // namespace hitlgate::store
