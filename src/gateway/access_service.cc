// Authentication, API keys and webhook registration.
#include "hitlgate/gateway/access_service.h"

#include <algorithm>

#include "gateway/access.h"
#include "hitlgate/audit/payload.h"
#include "hitlgate/crypto/mac.h"
#include "hitlgate/crypto/sealed_secret.h"

namespace hitlgate::gateway {
namespace {

constexpr std::string_view kTokenPrefix = "hg_";
constexpr size_t kKeyIdHexBytes = 6;    // 12 hex digits: public, for lookups and logs
constexpr size_t kSecretHexBytes = 32;  // 256 bits

struct ParsedToken {
  std::string key_id;
  std::string secret;
};

std::optional<ParsedToken> ParseToken(std::string_view token) {
  if (!token.starts_with(kTokenPrefix)) return std::nullopt;
  token.remove_prefix(kTokenPrefix.size());
  size_t sep = token.find('_');
  if (sep == std::string_view::npos || sep == 0 || sep + 1 >= token.size()) return std::nullopt;
  auto is_hex = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
      return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    });
  };
  std::string_view id = token.substr(0, sep), secret = token.substr(sep + 1);
  if (id.size() > 64 || secret.size() < 32 || secret.size() > 128 || !is_hex(id) || !is_hex(secret)) {
    return std::nullopt;
  }
  return ParsedToken{std::string(id), std::string(secret)};
}

Principal ToPrincipal(const store::ApiKey& k) {
  return Principal{k.key_id,    k.name,      k.role,          k.skills,
                   k.languages, k.workflows, k.max_concurrent, k.approval_limits};
}


}  // namespace

AccessService::AccessService(store::Store& store, const Clock& clock, crypto::RandomSource& random,
                             AccessOptions options,
                             std::function<void(const std::string&)> announce_revocation)
    : store_(store),
      clock_(clock),
      random_(random),
      options_(std::move(options)),
      announce_revocation_(std::move(announce_revocation)) {}

Result<Principal> AccessService::Fail(std::string_view key_id, std::string_view why,
                                     std::string_view source) {
  // Every failure is audited, but a flood must not fill the log: past the
  // throttle's budget failures are counted, and the next record for the
  // key says how many were not written ("suppressed").
  const TimePoint now = clock_.Now();
  address_failures_.Failed(source, now);
  const AuthFailureThrottle::Verdict admit = auth_failures_.Admit(key_id, now);
  if (admit.record) {
    audit::PayloadBuilder payload;
    payload.Str("reason", why);
    if (admit.suppressed > 0) payload.Int("suppressed", static_cast<std::int64_t>(admit.suppressed));
    audit::AuditEntry entry{"auth_failed", "anonymous", std::string(key_id), payload.Build()};
    // The failure is refused either way; a store error here must not turn
    // into a different answer for the caller.
    (void)store_.AppendAudit({entry}, now);
  }
  return MakeError(ErrorCode::kUnauthenticated, "invalid API key (" + std::string(why) + ")");
}

Result<Principal> AccessService::Authenticate(std::string_view bearer, std::string_view source) {
  if (bearer.empty()) {
    return MakeError(ErrorCode::kUnauthenticated,
                     "missing API key: send 'Authorization: Bearer hg_...'");
  }
  auto token = ParseToken(bearer);
  if (!token) return Fail("", "malformed token", source);
  // An address that keeps failing gets no more store lookups for a while;
  // keys already known (cached) still work from it, so one bad client
  // behind a shared address does not lock out the good ones.
  if (auto wait = address_failures_.Blocked(source, clock_.Now()); wait && !KeyIsCached(token->key_id)) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(*wait).count();
    return MakeError(ErrorCode::kResourceExhausted,
                     "too many failed authentications from this address; retry after " +
                         std::to_string(seconds) + "s");
  }
  auto key = FindKeyCached(token->key_id);
  if (!key) {
    if (key.error().code() == ErrorCode::kNotFound) return Fail(token->key_id, "unknown key", source);
    return std::unexpected(key.error());
  }
  const std::string hash = crypto::KeyedHashHex(options_.key_pepper, token->secret);
  if (!crypto::ConstantTimeEquals(hash, key->secret_hash)) return Fail(token->key_id, "wrong secret", source);
  if (key->revoked_at) return Fail(token->key_id, "revoked", source);
  Principal who = ToPrincipal(*key);
  if (auto wait = rate_limiter_.Take(who.key_id, who.role, clock_.Now())) {
    // "retry after Ns" is what the HTTP layer turns into Retry-After.
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(*wait).count();
    return MakeError(ErrorCode::kResourceExhausted,
                     "rate limit for role " + std::string(store::RoleName(who.role)) +
                         " exceeded; retry after " + std::to_string(seconds) + "s");
  }
  AuditKeyUse(who);
  return who;
}

void AccessService::AuditKeyUse(const Principal& who) {
  const TimePoint now = clock_.Now();
  {
    std::lock_guard lock(key_use_mu_);
    auto it = std::find_if(key_use_seen_.begin(), key_use_seen_.end(),
                           [&](const auto& p) { return p.first == who.key_id; });
    if (it != key_use_seen_.end()) {
      if (now - it->second < options_.key_use_audit_interval) return;
      it->second = now;
    } else {
      key_use_seen_.emplace_back(who.key_id, now);
    }
  }
  audit::AuditEntry entry{"key_used", who.key_id, who.key_id,
                          audit::PayloadBuilder().Str("role", store::RoleName(who.role)).Build()};
  (void)store_.AppendAudit({entry}, now);  // best effort: a use is not a change
}

Result<std::optional<NewKey>> AccessService::Bootstrap(std::string_view token) {
  auto keys = store_.ListKeys();
  HITLGATE_RETURN_IF_ERROR(keys);
  if (!keys->empty()) return std::optional<NewKey>();
  std::string key_id, secret;
  if (!token.empty()) {
    auto parsed = ParseToken(token);
    if (!parsed) {
      return InvalidArgument(
          "HITLGATE_ADMIN_KEY must look like hg_<hex key id>_<at least 32 hex digits>");
    }
    key_id = parsed->key_id;
    secret = parsed->secret;
  } else {
    key_id = random_.Hex(kKeyIdHexBytes);
    secret = random_.Hex(kSecretHexBytes);
  }
  store::ApiKey key;
  key.key_id = key_id;
  key.secret_hash = crypto::KeyedHashHex(options_.key_pepper, secret);
  key.name = "bootstrap admin";
  key.role = store::Role::kAdmin;
  key.created_at = clock_.Now();
  key.created_by = "system";
  auto created = store_.CreateKey(key);
  HITLGATE_RETURN_IF_ERROR(created);
  return std::optional<NewKey>(NewKey{key, std::string(kTokenPrefix) + key_id + "_" + secret});
}

Result<NewKey> AccessService::CreateKey(const Principal& who, const KeyRequest& request) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kManageKeys));
  if (request.name.empty()) return InvalidArgument("field 'name': required");
  if (request.role == store::Role::kAgent && request.workflows.empty()) {
    return InvalidArgument(
        "field 'workflows': an agent key must name the workflows it acts for, or [\"*\"] for every "
        "workflow");
  }
  if (request.workflows.size() > 1 &&
      std::find(request.workflows.begin(), request.workflows.end(), Principal::kAllWorkflows) !=
          request.workflows.end()) {
    return InvalidArgument("field 'workflows': [\"*\"] already covers every workflow; name none beside it");
  }
  if (std::find(request.workflows.begin(), request.workflows.end(), "") != request.workflows.end()) {
    return InvalidArgument("field 'workflows': a workflow name is empty");
  }
  store::ApiKey key;
  key.key_id = random_.Hex(kKeyIdHexBytes);
  const std::string secret = random_.Hex(kSecretHexBytes);
  key.secret_hash = crypto::KeyedHashHex(options_.key_pepper, secret);
  key.name = request.name;
  key.role = request.role;
  key.skills = request.skills;
  key.languages = request.languages;
  key.workflows = request.workflows;
  // A people key that names no workflow works every one, and says so: the
  // key list shows "*" rather than an empty list an operator could misread.
  if (key.workflows.empty()) key.workflows.push_back(std::string(Principal::kAllWorkflows));
  key.max_concurrent = request.max_concurrent;
  key.approval_limits = request.approval_limits;
  key.created_at = clock_.Now();
  key.created_by = who.key_id;
  auto created = store_.CreateKey(key);
  HITLGATE_RETURN_IF_ERROR(created);
  return NewKey{key, std::string(kTokenPrefix) + key.key_id + "_" + secret};
}

Result<std::vector<store::ApiKey>> AccessService::Keys(const Principal& who) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kManageKeys));
  return store_.ListKeys();
}

Result<void> AccessService::RevokeKey(const Principal& who, const std::string& key_id) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kManageKeys));
  auto revoked = store_.RevokeKey(key_id, who.key_id, clock_.Now());
  if (!revoked) return revoked;
  ForgetKey(key_id);
  if (announce_revocation_) announce_revocation_(key_id);
  return {};
}

void AccessService::ForgetKey(const std::string& key_id) {
  std::lock_guard lock(key_cache_mu_);
  key_cache_.erase(key_id);
}

bool AccessService::KeyIsCached(std::string_view key_id) const {
  std::lock_guard lock(key_cache_mu_);
  return key_cache_.find(key_id) != key_cache_.end();
}

Result<store::ApiKey> AccessService::FindKeyCached(std::string_view key_id) {
  {
    std::lock_guard lock(key_cache_mu_);
    if (auto it = key_cache_.find(key_id); it != key_cache_.end()) return it->second;
  }
  auto key = store_.FindKey(std::string(key_id));
  if (!key || key->revoked_at) return key;
  std::lock_guard lock(key_cache_mu_);
  if (key_cache_.size() >= kKeyCacheLimit) key_cache_.clear();
  key_cache_.emplace(key->key_id, *key);
  return key;
}

Result<void> AccessService::SetWebhook(const Principal& who, const store::Webhook& webhook) {
  HITLGATE_RETURN_IF_ERROR(Require(who, Permission::kManageWebhooks));
  // Never accept what cannot work: the sender speaks plain HTTP only, so an
  // https:// webhook would be stored and then fail on every delivery.
  if (webhook.url.starts_with("https://")) {
    return InvalidArgument(
        "field 'url': https:// webhooks are not supported yet (the sender has no TLS); use an "
        "http:// receiver, e.g. a TLS-terminating relay on the same host");
  }
  if (!webhook.url.starts_with("http://") || webhook.url.size() == std::string_view("http://").size() ||
      webhook.url[std::string_view("http://").size()] == '/') {
    return InvalidArgument("field 'url': expected an http://host[:port]/path URL");
  }
  if (webhook.secret.size() < 16) {
    return InvalidArgument("field 'secret': at least 16 characters (it signs every delivery)");
  }
  store::Webhook w = webhook;
  w.updated_at = clock_.Now();
  // Stored sealed: a copied database (or backup) alone does not let anyone
  // forge deliveries; the sender opens it with the same pepper.
  w.secret = crypto::SealSecret(options_.key_pepper, w.workflow, webhook.secret, random_);
  return store_.UpsertWebhook(w, who.key_id);
}

}  // namespace hitlgate::gateway
