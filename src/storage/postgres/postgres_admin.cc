// PostgresStore: policies, API keys, webhooks, controls and the delivery
// outbox.
#include <algorithm>

#include "hitlgate/store/postgres_store.h"
#include "storage/audit_entries.h"
#include "storage/postgres/store_ops.h"
#include "storage/task_rules.h"

namespace hitlgate::store {

using postgres::Connection;
using postgres::Params;
using postgres::WriteTxn;

namespace {

constexpr char kPolicyColumns[] = "version, name, source_yaml, uploaded_by, uploaded_at_us";

struct ActivationRow {
  std::string version;
  std::string actor;
  TimePoint at;
};

// The latest activation (of `version`, or of any version when null).
Result<std::optional<ActivationRow>> LatestActivation(Connection& conn, const std::string* version) {
  auto rows = version ? conn.Query("SELECT version, actor, at_us FROM policy_activations "
                                   "WHERE version = $1 ORDER BY id DESC LIMIT 1",
                                   Params::Of(*version))
                      : conn.Query("SELECT version, actor, at_us FROM policy_activations "
                                   "ORDER BY id DESC LIMIT 1");
  HITLGATE_RETURN_IF_ERROR(rows);
  if (rows->empty()) return std::optional<ActivationRow>();
  return std::optional<ActivationRow>(
      ActivationRow{rows->Text(0, 0), rows->Text(0, 1), rows->Time(0, 2)});
}

Result<PolicyVersionInfo> Info(Connection& conn, PolicyVersion p) {
  auto latest = LatestActivation(conn, nullptr);
  HITLGATE_RETURN_IF_ERROR(latest);
  auto mine = LatestActivation(conn, &p.version);
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

PolicyVersion ReadPolicy(const postgres::Rows& r, int i) {
  return PolicyVersion{r.Text(i, 0), r.Text(i, 1), r.Text(i, 2), r.Text(i, 3), r.Time(i, 4)};
}

Result<std::optional<PolicyVersion>> LoadPolicy(Connection& conn, const std::string& version) {
  static const std::string kSql =
      std::string("SELECT ") + kPolicyColumns + " FROM policies WHERE version = $1";
  auto rows = conn.Query(kSql, Params::Of(version));
  HITLGATE_RETURN_IF_ERROR(rows);
  if (rows->empty()) return std::optional<PolicyVersion>();
  return std::optional<PolicyVersion>(ReadPolicy(*rows, 0));
}

Result<std::optional<ApiKey>> LoadKey(Connection& conn, const std::string& key_id) {
  static const std::string kSql =
      std::string("SELECT ") + postgres::kKeyColumns + " FROM api_keys WHERE key_id = $1";
  auto rows = conn.Query(kSql, Params::Of(key_id));
  HITLGATE_RETURN_IF_ERROR(rows);
  if (rows->empty()) return std::optional<ApiKey>();
  auto k = postgres::ReadKey(*rows, 0);
  HITLGATE_RETURN_IF_ERROR(k);
  return std::optional<ApiKey>(std::move(*k));
}

// Runs a statement inside a write op and appends one audit entry.
Result<void> ExecAndAudit(WriteTxn& txn, const std::string& sql, const Params& params,
                          audit::AuditEntry entry, TimePoint at) {
  HITLGATE_RETURN_IF_ERROR(txn.conn().Query(sql, params));
  auto a = txn.Append({std::move(entry)}, at);
  HITLGATE_RETURN_IF_ERROR(a);
  return {};
}

}  // namespace

// ---- Policies ----

Result<void> PostgresStore::SavePolicyVersion(const PolicyVersion& p) {
  if (p.version.empty()) return InvalidArgument("policy: version is empty");
  return Write<void>([&](WriteTxn& txn) -> Result<void> {
    auto existing = LoadPolicy(txn.conn(), p.version);
    HITLGATE_RETURN_IF_ERROR(existing);
    if (*existing) {
      if ((*existing)->source_yaml == p.source_yaml) return {};
      return MakeError(ErrorCode::kAlreadyExists,
                       "policy version " + p.version + " exists with another source");
    }
    return ExecAndAudit(txn,
                        std::string("INSERT INTO policies(") + kPolicyColumns +
                            ") VALUES($1, $2, $3, $4, $5)",
                        Params::Of(p.version, p.name, p.source_yaml, p.uploaded_by, p.uploaded_at),
                        internal::PolicyUploadedAudit(p), p.uploaded_at);
  });
}

Result<void> PostgresStore::ActivatePolicy(const std::string& version, const std::string& actor,
                                           TimePoint at) {
  return Write<void>([&](WriteTxn& txn) -> Result<void> {
    auto existing = LoadPolicy(txn.conn(), version);
    HITLGATE_RETURN_IF_ERROR(existing);
    if (!*existing) return NotFound("no policy version " + version);
    auto previous = LatestActivation(txn.conn(), nullptr);
    HITLGATE_RETURN_IF_ERROR(previous);
    return ExecAndAudit(
        txn, "INSERT INTO policy_activations(version, actor, at_us) VALUES($1, $2, $3)",
        Params::Of(version, actor, at),
        internal::PolicyActivatedAudit(version, actor, *previous ? (*previous)->version : ""), at);
  });
}

Result<PolicyVersionInfo> PostgresStore::GetActivePolicy() {
  return Read<PolicyVersionInfo>(
      [&](Connection& conn) -> Result<PolicyVersionInfo> {
        auto latest = LatestActivation(conn, nullptr);
        HITLGATE_RETURN_IF_ERROR(latest);
        if (!*latest) return NotFound("no policy was activated");
        auto p = LoadPolicy(conn, (*latest)->version);
        HITLGATE_RETURN_IF_ERROR(p);
        if (!*p) return DataLoss("active policy " + (*latest)->version + " is missing");
        return Info(conn, std::move(**p));
      },
      /*snapshot=*/true);
}

Result<std::vector<PolicyVersionInfo>> PostgresStore::ListPolicyVersions() {
  return Read<std::vector<PolicyVersionInfo>>(
      [&](Connection& conn) -> Result<std::vector<PolicyVersionInfo>> {
        auto rows = conn.Query(std::string("SELECT ") + kPolicyColumns +
                               " FROM policies ORDER BY uploaded_at_us DESC, version DESC");
        HITLGATE_RETURN_IF_ERROR(rows);
        std::vector<PolicyVersionInfo> out;
        for (int i = 0; i < rows->size(); ++i) {
          auto info = Info(conn, ReadPolicy(*rows, i));
          HITLGATE_RETURN_IF_ERROR(info);
          out.push_back(std::move(*info));
        }
        return out;
      },
      /*snapshot=*/true);
}

// ---- Keys ----

Result<void> PostgresStore::CreateKey(const ApiKey& k) {
  if (auto v = internal::ValidateKey(k); !v) return v;
  return Write<void>([&](WriteTxn& txn) -> Result<void> {
    auto existing = LoadKey(txn.conn(), k.key_id);
    HITLGATE_RETURN_IF_ERROR(existing);
    if (*existing) return MakeError(ErrorCode::kAlreadyExists, "key " + k.key_id + " exists");
    Params p = Params::Of(k.key_id, k.secret_hash, k.name, RoleName(k.role),
                          internal::JoinList(k.skills), internal::JoinList(k.languages),
                          internal::JoinList(k.workflows), k.max_concurrent, k.created_at,
                          k.created_by);
    p.Add(k.revoked_at);
    p.Add(internal::JoinList(FormatApprovalLimits(k.approval_limits)));
    return ExecAndAudit(txn,
                        std::string("INSERT INTO api_keys(") + postgres::kKeyColumns +
                            ") VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                        p, internal::KeyCreatedAudit(k), k.created_at);
  });
}

Result<ApiKey> PostgresStore::FindKey(const std::string& key_id) {
  return Read<ApiKey>([&](Connection& conn) -> Result<ApiKey> {
    auto k = LoadKey(conn, key_id);
    HITLGATE_RETURN_IF_ERROR(k);
    if (!*k) return NotFound("no key " + key_id);
    return std::move(**k);
  });
}

Result<std::vector<ApiKey>> PostgresStore::ListKeys() {
  return Read<std::vector<ApiKey>>([&](Connection& conn) -> Result<std::vector<ApiKey>> {
    auto rows = conn.Query(std::string("SELECT ") + postgres::kKeyColumns +
                           " FROM api_keys ORDER BY key_id");
    HITLGATE_RETURN_IF_ERROR(rows);
    std::vector<ApiKey> out;
    for (int i = 0; i < rows->size(); ++i) {
      auto k = postgres::ReadKey(*rows, i);
      HITLGATE_RETURN_IF_ERROR(k);
      out.push_back(std::move(*k));
    }
    return out;
  });
}

Result<void> PostgresStore::RevokeKey(const std::string& key_id, const std::string& actor,
                                      TimePoint at) {
  return Write<void>([&](WriteTxn& txn) -> Result<void> {
    auto k = LoadKey(txn.conn(), key_id);
    HITLGATE_RETURN_IF_ERROR(k);
    if (!*k) return NotFound("no key " + key_id);
    if ((*k)->revoked_at) return FailedPrecondition("key " + key_id + " is already revoked");
    return ExecAndAudit(txn, "UPDATE api_keys SET revoked_at_us = $1 WHERE key_id = $2",
                        Params::Of(at, key_id), internal::KeyRevokedAudit(key_id, actor), at);
  });
}

// ---- Webhooks ----

Result<void> PostgresStore::UpsertWebhook(const Webhook& w, const std::string& actor) {
  if (auto v = internal::ValidateWebhook(w); !v) return v;
  return Write<void>([&](WriteTxn& txn) -> Result<void> {
    return ExecAndAudit(
        txn,
        "INSERT INTO webhooks(workflow, url, secret, updated_at_us) VALUES($1, $2, $3, $4) "
        "ON CONFLICT (workflow) DO UPDATE SET url = EXCLUDED.url, secret = EXCLUDED.secret, "
        "updated_at_us = EXCLUDED.updated_at_us",
        Params::Of(w.workflow, w.url, w.secret, w.updated_at),
        internal::WebhookUpsertedAudit(w, actor), w.updated_at);
  });
}

Result<std::vector<Webhook>> PostgresStore::ListWebhooks() {
  return Read<std::vector<Webhook>>([&](Connection& conn) -> Result<std::vector<Webhook>> {
    auto rows = conn.Query(
        "SELECT workflow, url, secret, updated_at_us FROM webhooks ORDER BY workflow");
    HITLGATE_RETURN_IF_ERROR(rows);
    std::vector<Webhook> out;
    for (int i = 0; i < rows->size(); ++i) {
      out.push_back(Webhook{rows->Text(i, 0), rows->Text(i, 1), rows->Text(i, 2), rows->Time(i, 3)});
    }
    return out;
  });
}

// ---- Controls ----

Result<void> PostgresStore::SetControl(const Control& c) {
  if (auto v = internal::ValidateControl(c); !v) return v;
  return Write<void>([&](WriteTxn& txn) -> Result<void> {
    return ExecAndAudit(
        txn,
        "INSERT INTO controls(kind, target, actor, reason, at_us) VALUES($1, $2, $3, $4, $5) "
        "ON CONFLICT (kind, target) DO UPDATE SET actor = EXCLUDED.actor, "
        "reason = EXCLUDED.reason, at_us = EXCLUDED.at_us",
        Params::Of(ControlKindName(c.kind), c.target, c.actor, c.reason, c.at),
        internal::ControlSetAudit(c), c.at);
  });
}

Result<void> PostgresStore::ClearControl(ControlKind kind, const std::string& target,
                                         const std::string& actor, TimePoint at) {
  return Write<void>([&](WriteTxn& txn) -> Result<void> {
    auto del = txn.conn().Query("DELETE FROM controls WHERE kind = $1 AND target = $2",
                                Params::Of(ControlKindName(kind), target));
    HITLGATE_RETURN_IF_ERROR(del);
    if (del->affected() == 0) {
      return NotFound(std::string(ControlKindName(kind)) + " is not set for " + target);
    }
    auto a = txn.Append({internal::ControlClearedAudit(kind, target, actor)}, at);
    HITLGATE_RETURN_IF_ERROR(a);
    return {};
  });
}

Result<std::vector<Control>> PostgresStore::ListControls() {
  return Read<std::vector<Control>>([&](Connection& conn) -> Result<std::vector<Control>> {
    auto rows = conn.Query(
        "SELECT kind, target, actor, reason, at_us FROM controls ORDER BY kind, target");
    HITLGATE_RETURN_IF_ERROR(rows);
    std::vector<Control> out;
    for (int i = 0; i < rows->size(); ++i) {
      auto kind = ParseControlKind(rows->Text(i, 0));
      if (!kind) return DataLoss("unknown control kind '" + rows->Text(i, 0) + "' in the database");
      out.push_back(
          Control{*kind, rows->Text(i, 1), rows->Text(i, 2), rows->Text(i, 3), rows->Time(i, 4)});
    }
    return out;
  });
}

// ---- Outbox ----

Result<std::vector<std::int64_t>> PostgresStore::EnqueueDeliveries(
    const std::vector<OutboxMessage>& messages, TimePoint now) {
  return Write<std::vector<std::int64_t>>(
      [&](WriteTxn& txn) { return postgres::InsertOutbox(txn.conn(), messages, now); });
}

Result<std::vector<OutboxMessage>> PostgresStore::NextDeliveries(TimePoint now, int limit,
                                                                 Duration visibility) {
  // Take and hide in one statement: SKIP LOCKED leaves rows another node's
  // sender is taking right now to that sender.
  static const std::string kSql =
      std::string("WITH due AS (SELECT id FROM outbox WHERE delivered_at_us IS NULL AND "
                  "next_attempt_us <= $1 ORDER BY next_attempt_us, id LIMIT $2 "
                  "FOR UPDATE SKIP LOCKED), old AS (SELECT ") +
      postgres::kOutboxColumns +
      " FROM outbox WHERE id IN (SELECT id FROM due)) "
      "UPDATE outbox o SET next_attempt_us = $3 FROM old WHERE o.id = old.id RETURNING old.*";
  return Write<std::vector<OutboxMessage>>(
      [&](WriteTxn& txn) -> Result<std::vector<OutboxMessage>> {
        auto rows = txn.conn().Query(kSql, Params::Of(now, std::max(limit, 0), now + visibility));
        HITLGATE_RETURN_IF_ERROR(rows);
        std::vector<OutboxMessage> out;
        for (int i = 0; i < rows->size(); ++i) out.push_back(postgres::ReadOutbox(*rows, i));
        std::sort(out.begin(), out.end(), [](const OutboxMessage& a, const OutboxMessage& b) {
          return a.next_attempt_at != b.next_attempt_at ? a.next_attempt_at < b.next_attempt_at
                                                        : a.id < b.id;
        });
        return out;
      });
}

Result<void> PostgresStore::MarkDelivered(std::int64_t id, TimePoint now) {
  return Write<void>([&](WriteTxn& txn) -> Result<void> {
    auto m = postgres::LoadOutbox(txn.conn(), id);
    HITLGATE_RETURN_IF_ERROR(m);
    if (m->delivered_at) return {};
    return ExecAndAudit(
        txn, "UPDATE outbox SET delivered_at_us = $1, attempts = attempts + 1, payload_json = '' WHERE id = $2",
        Params::Of(now, id), internal::DeliveredAudit(*m), now);
  });
}

Result<void> PostgresStore::MarkFailed(std::int64_t id, TimePoint now, TimePoint next_attempt_at,
                                       const std::string& error) {
  return Write<void>([&](WriteTxn& txn) -> Result<void> {
    auto m = postgres::LoadOutbox(txn.conn(), id);
    HITLGATE_RETURN_IF_ERROR(m);
    if (m->delivered_at) {
      return FailedPrecondition("outbox message " + std::to_string(id) + " was delivered");
    }
    return ExecAndAudit(txn,
                        "UPDATE outbox SET attempts = attempts + 1, last_error = $1, "
                        "next_attempt_us = $2 WHERE id = $3",
                        Params::Of(error, next_attempt_at, id),
                        internal::DeliveryFailedAudit(*m, next_attempt_at, error), now);
  });
}

}  // namespace hitlgate::store
