// SqliteStore: policies, API keys, webhooks and the delivery outbox.
#include "hitlgate/store/sqlite_store.h"
#include "storage/audit_entries.h"
#include "storage/sqlite/store_ops.h"
#include "storage/task_rules.h"

namespace hitlgate::store {

using sqlite::Connection;
using sqlite::WriteTxn;

namespace {

constexpr char kPolicyColumns[] = "version, name, source_yaml, uploaded_by, uploaded_at_us";

// The latest activation: version, actor, at. nullopt when none.
struct ActivationRow {
  std::string version;
  std::string actor;
  TimePoint at;
};

Result<std::optional<ActivationRow>> LatestActivation(Connection& conn, const std::string* version) {
  auto st = version ? conn.Prepare("SELECT version, actor, at_us FROM policy_activations "
                                   "WHERE version = ?1 ORDER BY id DESC LIMIT 1")
                    : conn.Prepare("SELECT version, actor, at_us FROM policy_activations "
                                   "ORDER BY id DESC LIMIT 1");
  HITLGATE_RETURN_IF_ERROR(st);
  if (version) st->Bind(1, *version);
  auto row = st->Step();
  HITLGATE_RETURN_IF_ERROR(row);
  if (!*row) return std::optional<ActivationRow>();
  return std::optional<ActivationRow>(ActivationRow{st->Text(0), st->Text(1), st->Time(2)});
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

PolicyVersion ReadPolicy(const sqlite::Statement& st) {
  return PolicyVersion{st.Text(0), st.Text(1), st.Text(2), st.Text(3), st.Time(4)};
}

Result<std::optional<PolicyVersion>> LoadPolicy(Connection& conn, const std::string& version) {
  auto st = conn.Prepare(std::string("SELECT ") + kPolicyColumns + " FROM policies WHERE version = ?1");
  HITLGATE_RETURN_IF_ERROR(st);
  st->Bind(1, version);
  auto row = st->Step();
  HITLGATE_RETURN_IF_ERROR(row);
  if (!*row) return std::optional<PolicyVersion>();
  return std::optional<PolicyVersion>(ReadPolicy(*st));
}

Result<std::optional<ApiKey>> LoadKey(Connection& conn, const std::string& key_id) {
  auto st = conn.Prepare(std::string("SELECT ") + sqlite::kKeyColumns +
                         " FROM api_keys WHERE key_id = ?1");
  HITLGATE_RETURN_IF_ERROR(st);
  st->Bind(1, key_id);
  auto row = st->Step();
  HITLGATE_RETURN_IF_ERROR(row);
  if (!*row) return std::optional<ApiKey>();
  auto k = sqlite::ReadKey(*st);
  HITLGATE_RETURN_IF_ERROR(k);
  return std::optional<ApiKey>(std::move(*k));
}

}  // namespace

// ---- Policies ----

Result<void> SqliteStore::SavePolicyVersion(const PolicyVersion& p) {
  if (p.version.empty()) return InvalidArgument("policy: version is empty");
  return Write<void>([&](WriteTxn& txn) -> Result<void> {
    auto existing = LoadPolicy(txn.conn(), p.version);
    HITLGATE_RETURN_IF_ERROR(existing);
    if (*existing) {
      if ((*existing)->source_yaml == p.source_yaml) return {};
      return MakeError(ErrorCode::kAlreadyExists,
                       "policy version " + p.version + " exists with another source");
    }
    auto st = txn.conn().Prepare(std::string("INSERT INTO policies(") + kPolicyColumns +
                                 ") VALUES(?1, ?2, ?3, ?4, ?5)");
    HITLGATE_RETURN_IF_ERROR(st);
    if (auto r = st->BindAll(p.version, p.name, p.source_yaml, p.uploaded_by, p.uploaded_at).Run();
        !r) {
      return r;
    }
    auto a = txn.Append({internal::PolicyUploadedAudit(p)}, p.uploaded_at);
    HITLGATE_RETURN_IF_ERROR(a);
    return {};
  });
}

Result<void> SqliteStore::ActivatePolicy(const std::string& version, const std::string& actor,
                                         TimePoint at) {
  return Write<void>([&](WriteTxn& txn) -> Result<void> {
    auto existing = LoadPolicy(txn.conn(), version);
    HITLGATE_RETURN_IF_ERROR(existing);
    if (!*existing) return NotFound("no policy version " + version);
    auto previous = LatestActivation(txn.conn(), nullptr);
    HITLGATE_RETURN_IF_ERROR(previous);
    auto st = txn.conn().Prepare(
        "INSERT INTO policy_activations(version, actor, at_us) VALUES(?1, ?2, ?3)");
    HITLGATE_RETURN_IF_ERROR(st);
    if (auto r = st->BindAll(version, actor, at).Run(); !r) return r;
    auto a = txn.Append(
        {internal::PolicyActivatedAudit(version, actor, *previous ? (*previous)->version : "")}, at);
    HITLGATE_RETURN_IF_ERROR(a);
    return {};
  });
}

Result<PolicyVersionInfo> SqliteStore::GetActivePolicy() {
  return Read<PolicyVersionInfo>([&](Connection& conn) -> Result<PolicyVersionInfo> {
    auto latest = LatestActivation(conn, nullptr);
    HITLGATE_RETURN_IF_ERROR(latest);
    if (!*latest) return NotFound("no policy was activated");
    auto p = LoadPolicy(conn, (*latest)->version);
    HITLGATE_RETURN_IF_ERROR(p);
    if (!*p) return DataLoss("active policy " + (*latest)->version + " is missing");
    return Info(conn, std::move(**p));
  });
}

Result<std::vector<PolicyVersionInfo>> SqliteStore::ListPolicyVersions() {
  return Read<std::vector<PolicyVersionInfo>>(
      [&](Connection& conn) -> Result<std::vector<PolicyVersionInfo>> {
        std::vector<PolicyVersion> versions;
        {
          auto st = conn.Prepare(std::string("SELECT ") + kPolicyColumns +
                                 " FROM policies ORDER BY uploaded_at_us DESC, version DESC");
          HITLGATE_RETURN_IF_ERROR(st);
          while (true) {
            auto row = st->Step();
            HITLGATE_RETURN_IF_ERROR(row);
            if (!*row) break;
            versions.push_back(ReadPolicy(*st));
          }
        }
        std::vector<PolicyVersionInfo> out;
        for (auto& p : versions) {
          auto info = Info(conn, std::move(p));
          HITLGATE_RETURN_IF_ERROR(info);
          out.push_back(std::move(*info));
        }
        return out;
      });
}

// ---- Keys ----

Result<void> SqliteStore::CreateKey(const ApiKey& k) {
  if (auto v = internal::ValidateKey(k); !v) return v;
  return Write<void>([&](WriteTxn& txn) -> Result<void> {
    auto existing = LoadKey(txn.conn(), k.key_id);
    HITLGATE_RETURN_IF_ERROR(existing);
    if (*existing) return MakeError(ErrorCode::kAlreadyExists, "key " + k.key_id + " exists");
    auto st = txn.conn().Prepare(std::string("INSERT INTO api_keys(") + sqlite::kKeyColumns +
                                 ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    HITLGATE_RETURN_IF_ERROR(st);
    st->BindAll(k.key_id, k.secret_hash, k.name, RoleName(k.role), internal::JoinList(k.skills),
                internal::JoinList(k.languages), internal::JoinList(k.workflows), k.max_concurrent,
                k.created_at, k.created_by, k.revoked_at,
                internal::JoinList(FormatApprovalLimits(k.approval_limits)));
    if (auto r = st->Run(); !r) return r;
    auto a = txn.Append({internal::KeyCreatedAudit(k)}, k.created_at);
    HITLGATE_RETURN_IF_ERROR(a);
    return {};
  });
}

Result<ApiKey> SqliteStore::FindKey(const std::string& key_id) {
  return Read<ApiKey>([&](Connection& conn) -> Result<ApiKey> {
    auto k = LoadKey(conn, key_id);
    HITLGATE_RETURN_IF_ERROR(k);
    if (!*k) return NotFound("no key " + key_id);
    return std::move(**k);
  });
}

Result<std::vector<ApiKey>> SqliteStore::ListKeys() {
  return Read<std::vector<ApiKey>>([&](Connection& conn) -> Result<std::vector<ApiKey>> {
    auto st = conn.Prepare(std::string("SELECT ") + sqlite::kKeyColumns +
                           " FROM api_keys ORDER BY key_id");
    HITLGATE_RETURN_IF_ERROR(st);
    std::vector<ApiKey> out;
    while (true) {
      auto row = st->Step();
      HITLGATE_RETURN_IF_ERROR(row);
      if (!*row) return out;
      auto k = sqlite::ReadKey(*st);
      HITLGATE_RETURN_IF_ERROR(k);
      out.push_back(std::move(*k));
    }
  });
}

Result<void> SqliteStore::RevokeKey(const std::string& key_id, const std::string& actor,
                                    TimePoint at) {
  return Write<void>([&](WriteTxn& txn) -> Result<void> {
    auto k = LoadKey(txn.conn(), key_id);
    HITLGATE_RETURN_IF_ERROR(k);
    if (!*k) return NotFound("no key " + key_id);
    if ((*k)->revoked_at) return FailedPrecondition("key " + key_id + " is already revoked");
    auto st = txn.conn().Prepare("UPDATE api_keys SET revoked_at_us = ?1 WHERE key_id = ?2");
    HITLGATE_RETURN_IF_ERROR(st);
    if (auto r = st->BindAll(at, key_id).Run(); !r) return r;
    auto a = txn.Append({internal::KeyRevokedAudit(key_id, actor)}, at);
    HITLGATE_RETURN_IF_ERROR(a);
    return {};
  });
}

// ---- Webhooks and outbox ----

Result<void> SqliteStore::UpsertWebhook(const Webhook& w, const std::string& actor) {
  if (auto v = internal::ValidateWebhook(w); !v) return v;
  return Write<void>([&](WriteTxn& txn) -> Result<void> {
    auto st = txn.conn().Prepare(
        "INSERT OR REPLACE INTO webhooks(workflow, url, secret, updated_at_us) "
        "VALUES(?1, ?2, ?3, ?4)");
    HITLGATE_RETURN_IF_ERROR(st);
    if (auto r = st->BindAll(w.workflow, w.url, w.secret, w.updated_at).Run(); !r) return r;
    auto a = txn.Append({internal::WebhookUpsertedAudit(w, actor)}, w.updated_at);
    HITLGATE_RETURN_IF_ERROR(a);
    return {};
  });
}

Result<void> SqliteStore::SetControl(const Control& c) {
  if (auto v = internal::ValidateControl(c); !v) return v;
  return Write<void>([&](WriteTxn& txn) -> Result<void> {
    auto st = txn.conn().Prepare(
        "INSERT OR REPLACE INTO controls(kind, target, actor, reason, at_us) "
        "VALUES(?1, ?2, ?3, ?4, ?5)");
    HITLGATE_RETURN_IF_ERROR(st);
    if (auto r = st->BindAll(ControlKindName(c.kind), c.target, c.actor, c.reason, c.at).Run(); !r) {
      return r;
    }
    auto a = txn.Append({internal::ControlSetAudit(c)}, c.at);
    HITLGATE_RETURN_IF_ERROR(a);
    return {};
  });
}

Result<void> SqliteStore::ClearControl(ControlKind kind, const std::string& target,
                                       const std::string& actor, TimePoint at) {
  return Write<void>([&](WriteTxn& txn) -> Result<void> {
    auto st = txn.conn().Prepare("DELETE FROM controls WHERE kind = ?1 AND target = ?2");
    HITLGATE_RETURN_IF_ERROR(st);
    if (auto r = st->BindAll(ControlKindName(kind), target).Run(); !r) return r;
    if (txn.conn().Changes() == 0) {
      return NotFound(std::string(ControlKindName(kind)) + " is not set for " + target);
    }
    auto a = txn.Append({internal::ControlClearedAudit(kind, target, actor)}, at);
    HITLGATE_RETURN_IF_ERROR(a);
    return {};
  });
}

Result<std::vector<Control>> SqliteStore::ListControls() {
  return Read<std::vector<Control>>([&](Connection& conn) -> Result<std::vector<Control>> {
    auto st = conn.Prepare("SELECT kind, target, actor, reason, at_us FROM controls ORDER BY kind, target");
    HITLGATE_RETURN_IF_ERROR(st);
    std::vector<Control> out;
    while (true) {
      auto row = st->Step();
      HITLGATE_RETURN_IF_ERROR(row);
      if (!*row) return out;
      auto kind = ParseControlKind(st->Text(0));
      if (!kind) return DataLoss("unknown control kind '" + st->Text(0) + "' in the database");
      out.push_back(Control{*kind, st->Text(1), st->Text(2), st->Text(3), st->Time(4)});
    }
  });
}

Result<std::vector<Webhook>> SqliteStore::ListWebhooks() {
  return Read<std::vector<Webhook>>([&](Connection& conn) -> Result<std::vector<Webhook>> {
    auto st = conn.Prepare(
        "SELECT workflow, url, secret, updated_at_us FROM webhooks ORDER BY workflow");
    HITLGATE_RETURN_IF_ERROR(st);
    std::vector<Webhook> out;
    while (true) {
      auto row = st->Step();
      HITLGATE_RETURN_IF_ERROR(row);
      if (!*row) return out;
      out.push_back(Webhook{st->Text(0), st->Text(1), st->Text(2), st->Time(3)});
    }
  });
}

Result<std::vector<std::int64_t>> SqliteStore::EnqueueDeliveries(
    const std::vector<OutboxMessage>& messages, TimePoint now) {
  return Write<std::vector<std::int64_t>>(
      [&](WriteTxn& txn) { return sqlite::InsertOutbox(txn.conn(), messages, now); });
}

Result<std::vector<OutboxMessage>> SqliteStore::NextDeliveries(TimePoint now, int limit,
                                                               Duration visibility) {
  return Write<std::vector<OutboxMessage>>(
      [&](WriteTxn& txn) -> Result<std::vector<OutboxMessage>> {
        std::vector<OutboxMessage> out;
        {
          auto st = txn.conn().Prepare(std::string("SELECT ") + sqlite::kOutboxColumns +
                                       " FROM outbox WHERE delivered_at_us IS NULL AND "
                                       "next_attempt_us <= ?1 ORDER BY next_attempt_us, id LIMIT ?2");
          HITLGATE_RETURN_IF_ERROR(st);
          st->BindAll(now, limit);
          while (true) {
            auto row = st->Step();
            HITLGATE_RETURN_IF_ERROR(row);
            if (!*row) break;
            out.push_back(sqlite::ReadOutbox(*st));
          }
        }
        // Hide them for `visibility`, so another sender skips them while
        // this one works; a crashed sender's messages reappear afterwards.
        for (const auto& m : out) {
          auto st = txn.conn().Prepare("UPDATE outbox SET next_attempt_us = ?1 WHERE id = ?2");
          HITLGATE_RETURN_IF_ERROR(st);
          HITLGATE_RETURN_IF_ERROR(st->BindAll(now + visibility, m.id).Run());
        }
        return out;
      });
}

Result<void> SqliteStore::MarkDelivered(std::int64_t id, TimePoint now) {
  return Write<void>([&](WriteTxn& txn) -> Result<void> {
    auto m = sqlite::LoadOutbox(txn.conn(), id);
    HITLGATE_RETURN_IF_ERROR(m);
    if (m->delivered_at) return {};
    auto st = txn.conn().Prepare(
        "UPDATE outbox SET delivered_at_us = ?1, attempts = attempts + 1, payload_json = '' WHERE id = ?2");
    HITLGATE_RETURN_IF_ERROR(st);
    if (auto r = st->BindAll(now, id).Run(); !r) return r;
    auto a = txn.Append({internal::DeliveredAudit(*m)}, now);
    HITLGATE_RETURN_IF_ERROR(a);
    return {};
  });
}

Result<void> SqliteStore::MarkFailed(std::int64_t id, TimePoint now, TimePoint next_attempt_at,
                                     const std::string& error) {
  return Write<void>([&](WriteTxn& txn) -> Result<void> {
    auto m = sqlite::LoadOutbox(txn.conn(), id);
    HITLGATE_RETURN_IF_ERROR(m);
    if (m->delivered_at) {
      return FailedPrecondition("outbox message " + std::to_string(id) + " was delivered");
    }
    auto st = txn.conn().Prepare(
        "UPDATE outbox SET attempts = attempts + 1, last_error = ?1, next_attempt_us = ?2 "
        "WHERE id = ?3");
    HITLGATE_RETURN_IF_ERROR(st);
    if (auto r = st->BindAll(error, next_attempt_at, id).Run(); !r) return r;
    auto a = txn.Append({internal::DeliveryFailedAudit(*m, next_attempt_at, error)}, now);
    HITLGATE_RETURN_IF_ERROR(a);
    return {};
  });
}

}  // namespace hitlgate::store
