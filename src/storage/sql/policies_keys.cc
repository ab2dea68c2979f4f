// SqlStore: policy versions and API keys.
#include "storage/audit_entries.h"
#include "storage/sql/admin_rows.h"
#include "storage/sql/store_ops.h"
#include "storage/task_rules.h"

namespace hitlgate::store {
namespace {

using sql::Params;
using sql::Session;

constexpr char kPolicyColumns[] = "version, name, source_yaml, uploaded_by, uploaded_at_us";

struct ActivationRow {
  std::string version;
  std::string actor;
  TimePoint at;
};

// The latest activation of `version`, or of any version when null.
Result<std::optional<ActivationRow>> LatestActivation(Session& s, const std::string* version) {
  auto rows = version ? s.Query(
                            "SELECT version, actor, at_us FROM policy_activations "
                            "WHERE version = $1 ORDER BY id DESC LIMIT 1",
                            Params::Of(*version))
                      : s.Query(
                            "SELECT version, actor, at_us FROM policy_activations "
                            "ORDER BY id DESC LIMIT 1");
  HITLGATE_RETURN_IF_ERROR(rows);
  if (rows->empty()) return std::optional<ActivationRow>();
  return std::optional<ActivationRow>(
      ActivationRow{rows->Text(0, 0), rows->Text(0, 1), rows->Time(0, 2)});
}

Result<PolicyVersionInfo> Info(Session& s, PolicyVersion p) {
  auto latest = LatestActivation(s, nullptr);
  HITLGATE_RETURN_IF_ERROR(latest);
  auto mine = LatestActivation(s, &p.version);
  HITLGATE_RETURN_IF_ERROR(mine);
  PolicyVersionInfo info;
  info.active = *latest && (*latest)->version == p.version;
  if (*mine) {
    info.activated_at = (*mine)->at;
    info.activated_by = (*mine)->actor;
  }
  info.policy = std::move(p);
  return info;
}

PolicyVersion ReadPolicy(const sql::Rows& r, int i) {
  return PolicyVersion{r.Text(i, 0), r.Text(i, 1), r.Text(i, 2), r.Text(i, 3), r.Time(i, 4)};
}

Result<std::optional<PolicyVersion>> LoadPolicy(Session& s, const std::string& version) {
  auto rows = s.Query(std::string("SELECT ") + kPolicyColumns + " FROM policies WHERE version = $1",
                      Params::Of(version));
  HITLGATE_RETURN_IF_ERROR(rows);
  if (rows->empty()) return std::optional<PolicyVersion>();
  return std::optional<PolicyVersion>(ReadPolicy(*rows, 0));
}

// `lock`: where the engine locks rows, until the transaction ends (a
// revocation on another node waits, then sees this one's).
Result<std::optional<ApiKey>> LoadKey(Session& s, const std::string& key_id, bool lock = false) {
  auto rows =
      s.Query(std::string("SELECT ") + sql::kKeyColumns + " FROM api_keys WHERE key_id = $1" +
                  std::string(lock ? s.dialect().lock_rows : ""),
              Params::Of(key_id));
  HITLGATE_RETURN_IF_ERROR(rows);
  if (rows->empty()) return std::optional<ApiKey>();
  auto k = sql::ReadKey(*rows, 0);
  HITLGATE_RETURN_IF_ERROR(k);
  return std::optional<ApiKey>(std::move(*k));
}

// Runs one statement of a write and appends its audit entry.
Result<void> ExecAndAudit(sql::Txn& txn, const std::string& sql, const Params& params,
                          audit::AuditEntry entry, TimePoint at) {
  HITLGATE_RETURN_IF_ERROR(txn.session().Query(sql, params));
  return txn.Append({std::move(entry)}, at);
}

}  // namespace

// ---- Policies ----

Result<void> SqlStore::SavePolicyVersion(const PolicyVersion& p) {
  if (p.version.empty()) return InvalidArgument("policy: version is empty");
  return WriteSql<void>([&](sql::Txn& txn) -> Result<void> {
    // Insert first: nodes started together on an empty database each save
    // their policy file, and a read-then-insert would fail all but one.
    // DO NOTHING waits for another node's insert to commit, so the read
    // below sees its row.
    auto inserted = txn.session().Query(
        std::string("INSERT INTO policies(") + kPolicyColumns +
            ") VALUES($1, $2, $3, $4, $5) ON CONFLICT (version) DO NOTHING",
        Params::Of(p.version, p.name, p.source_yaml, p.uploaded_by, p.uploaded_at));
    HITLGATE_RETURN_IF_ERROR(inserted);
    if (inserted->affected() == 1) {
      return txn.Append({internal::PolicyUploadedAudit(p)}, p.uploaded_at);
    }
    auto existing = LoadPolicy(txn.session(), p.version);
    HITLGATE_RETURN_IF_ERROR(existing);
    if (*existing && (*existing)->source_yaml == p.source_yaml) return {};
    return MakeError(ErrorCode::kAlreadyExists,
                     "policy version " + p.version + " exists with another source");
  });
}

Result<void> SqlStore::ActivatePolicy(const std::string& version, const std::string& actor,
                                      TimePoint at) {
  return WriteSql<void>([&](sql::Txn& txn) -> Result<void> {
    auto existing = LoadPolicy(txn.session(), version);
    HITLGATE_RETURN_IF_ERROR(existing);
    if (!*existing) return NotFound("no policy version " + version);
    // Two nodes activating at once must not both name the same previous
    // version in their audit records.
    HITLGATE_RETURN_IF_ERROR(sql::LockTable(txn.session(), "policy_activations"));
    auto previous = LatestActivation(txn.session(), nullptr);
    HITLGATE_RETURN_IF_ERROR(previous);
    return ExecAndAudit(
        txn, "INSERT INTO policy_activations(version, actor, at_us) VALUES($1, $2, $3)",
        Params::Of(version, actor, at),
        internal::PolicyActivatedAudit(version, actor, *previous ? (*previous)->version : ""), at);
  });
}

Result<PolicyVersionInfo> SqlStore::GetActivePolicy() {
  return ReadSql<PolicyVersionInfo>([&](Session& s) -> Result<PolicyVersionInfo> {
    auto latest = LatestActivation(s, nullptr);
    HITLGATE_RETURN_IF_ERROR(latest);
    if (!*latest) return NotFound("no policy was activated");
    auto p = LoadPolicy(s, (*latest)->version);
    HITLGATE_RETURN_IF_ERROR(p);
    if (!*p) return DataLoss("active policy " + (*latest)->version + " is missing");
    return Info(s, std::move(**p));
  });
}

Result<std::vector<PolicyVersionInfo>> SqlStore::ListPolicyVersions() {
  return ReadSql<std::vector<PolicyVersionInfo>>(
      [&](Session& s) -> Result<std::vector<PolicyVersionInfo>> {
        auto rows = s.Query(std::string("SELECT ") + kPolicyColumns +
                            " FROM policies ORDER BY uploaded_at_us DESC, version DESC");
        HITLGATE_RETURN_IF_ERROR(rows);
        std::vector<PolicyVersionInfo> out;
        for (int i = 0; i < rows->size(); ++i) {
          auto info = Info(s, ReadPolicy(*rows, i));
          HITLGATE_RETURN_IF_ERROR(info);
          out.push_back(std::move(*info));
        }
        return out;
      });
}

// ---- Keys ----

Result<void> SqlStore::CreateKey(const ApiKey& k) {
  if (auto v = internal::ValidateKey(k); !v) return v;
  return WriteSql<void>([&](sql::Txn& txn) -> Result<void> {
    auto existing = LoadKey(txn.session(), k.key_id);
    HITLGATE_RETURN_IF_ERROR(existing);
    if (*existing) return MakeError(ErrorCode::kAlreadyExists, "key " + k.key_id + " exists");
    Params p =
        Params::Of(k.key_id, k.secret_hash, k.name, RoleName(k.role), internal::JoinList(k.skills),
                   internal::JoinList(k.languages), internal::JoinList(k.workflows),
                   k.max_concurrent, k.created_at, k.created_by, k.revoked_at,
                   internal::JoinList(FormatApprovalLimits(k.approval_limits)));
    return ExecAndAudit(txn,
                        std::string("INSERT INTO api_keys(") + sql::kKeyColumns +
                            ") VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                        p, internal::KeyCreatedAudit(k), k.created_at);
  });
}

Result<ApiKey> SqlStore::FindKey(const std::string& key_id) {
  return ReadSql<ApiKey>(
      [&](Session& s) -> Result<ApiKey> {
        auto k = LoadKey(s, key_id);
        HITLGATE_RETURN_IF_ERROR(k);
        if (!*k) return NotFound("no key " + key_id);
        return std::move(**k);
      },
      /*snapshot=*/false);
}

Result<std::vector<ApiKey>> SqlStore::ListKeys() {
  return ReadSql<std::vector<ApiKey>>(
      [&](Session& s) -> Result<std::vector<ApiKey>> {
        auto rows =
            s.Query(std::string("SELECT ") + sql::kKeyColumns + " FROM api_keys ORDER BY key_id");
        HITLGATE_RETURN_IF_ERROR(rows);
        std::vector<ApiKey> out;
        for (int i = 0; i < rows->size(); ++i) {
          auto k = sql::ReadKey(*rows, i);
          HITLGATE_RETURN_IF_ERROR(k);
          out.push_back(std::move(*k));
        }
        return out;
      },
      /*snapshot=*/false);
}

Result<void> SqlStore::RevokeKey(const std::string& key_id, const std::string& actor,
                                 TimePoint at) {
  return WriteSql<void>([&](sql::Txn& txn) -> Result<void> {
    auto k = LoadKey(txn.session(), key_id, /*lock=*/true);
    HITLGATE_RETURN_IF_ERROR(k);
    if (!*k) return NotFound("no key " + key_id);
    if ((*k)->revoked_at) return FailedPrecondition("key " + key_id + " is already revoked");
    return ExecAndAudit(txn, "UPDATE api_keys SET revoked_at_us = $1 WHERE key_id = $2",
                        Params::Of(at, key_id), internal::KeyRevokedAudit(key_id, actor), at);
  });
}

}  // namespace hitlgate::store
