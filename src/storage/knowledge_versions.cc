#include "storage/knowledge_versions.h"

#include "hitlgate/audit/payload.h"

namespace hitlgate::store::internal {

Result<void> ValidateKnowledgeVersion(const KnowledgeVersion& v) {
  if (v.id.empty()) return InvalidArgument("knowledge version: id is empty");
  if (v.document_json.empty()) return InvalidArgument("knowledge version: document is empty");
  return {};
}

audit::AuditEntry KnowledgeUploadedAudit(const KnowledgeVersion& v) {
  // The id is the document's digest already; the payload says what it holds.
  return {std::string(audit::kinds::kKnowledgeUploaded), v.uploaded_by, v.id,
          audit::PayloadBuilder()
              .Int("procedures", v.procedures)
              .Int("articles", v.articles)
              .Int("document_bytes", static_cast<std::int64_t>(v.document_json.size()))
              .Build()};
}

audit::AuditEntry KnowledgeActivatedAudit(const std::string& id, const std::string& actor,
                                          const std::string& previous_id) {
  return {std::string(audit::kinds::kKnowledgeActivated), actor, id,
          audit::PayloadBuilder().Str("previous_version", previous_id).Build()};
}

namespace knowledge_sql {

std::string SelectVersions(bool with_document, const std::string& where) {
  // A version's latest activation, and whether it is the latest of all.
  return std::string("SELECT v.id, ") + (with_document ? "v.document_json" : "''") +
         ", v.uploaded_by, v.uploaded_at_us, v.procedures, v.articles, a.actor, a.at_us, "
         "CASE WHEN a.id = (SELECT MAX(id) FROM knowledge_activations) THEN 1 ELSE 0 END "
         "FROM knowledge_versions v LEFT JOIN knowledge_activations a "
         "ON a.id = (SELECT MAX(id) FROM knowledge_activations WHERE version = v.id) " +
         where + " ORDER BY v.uploaded_at_us DESC, v.id DESC";
}

}  // namespace knowledge_sql

}  // namespace hitlgate::store::internal
