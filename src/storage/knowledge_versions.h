// Agent assist knowledge versions (docs/assist.md), shared by every backend:
// the checks, the audit entries, and the SQL, which is written once for
// SQLite and PostgreSQL alike ($N placeholders, which SQLite reads as named
// parameters numbered in order of first use). Internal to src/storage.
#pragma once

#include <string>

#include "hitlgate/audit/record.h"
#include "hitlgate/common/error.h"
#include "hitlgate/store/types.h"

namespace hitlgate::store::internal {

[[nodiscard]] Result<void> ValidateKnowledgeVersion(const KnowledgeVersion& v);
audit::AuditEntry KnowledgeUploadedAudit(const KnowledgeVersion& v);
audit::AuditEntry KnowledgeActivatedAudit(const std::string& id, const std::string& actor,
                                          const std::string& previous_id);

namespace knowledge_sql {

// $1..$6: id, document_json, uploaded_by, uploaded_at_us, procedures, articles.
// Inserts nothing when the id exists (affected 0): two nodes saving the same
// version at once do not fail one of them.
inline constexpr char kInsertVersion[] =
    "INSERT INTO knowledge_versions(id, document_json, uploaded_by, uploaded_at_us, procedures, articles) "
    "VALUES($1, $2, $3, $4, $5, $6) ON CONFLICT(id) DO NOTHING";
// $1..$3: version, actor, at_us.
inline constexpr char kInsertActivation[] =
    "INSERT INTO knowledge_activations(version, actor, at_us) VALUES($1, $2, $3)";
// One row, or none: the active version's id.
inline constexpr char kActiveId[] = "SELECT version FROM knowledge_activations ORDER BY id DESC LIMIT 1";

// Columns of a version row, in this order: id, document_json ('' unless
// asked for), uploaded_by, uploaded_at_us, procedures, articles,
// activated_by (NULL: never), activated_at_us (NULL: never), active (0/1).
// `where` is "" or a WHERE clause over `v`, e.g. "WHERE v.id = $1".
std::string SelectVersions(bool with_document, const std::string& where);

}  // namespace knowledge_sql

}  // namespace hitlgate::store::internal
