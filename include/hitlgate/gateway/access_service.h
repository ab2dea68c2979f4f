// AccessService: who is calling. API keys (minted, listed, revoked), bearer
// tokens turned into Principals, the per-key rate limits, the audit of key
// use and of failed authentications, and webhook registration (a key-like
// secret per workflow).
//
// Authenticated keys are cached by key id so a request costs a keyed hash,
// not a store read; revocation forgets the key here at once and announces it
// (a cluster carries the announcement to every other node's ForgetKey).
//
// Thread-safe. The store, clock and random source must outlive it.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hitlgate/common/clock.h"
#include "hitlgate/common/error.h"
#include "hitlgate/common/thread_annotations.h"
#include "hitlgate/crypto/random.h"
#include "hitlgate/gateway/principal.h"
#include "hitlgate/gateway/rate_limit.h"
#include "hitlgate/store/store.h"

namespace hitlgate::gateway {

// A newly minted API key. The secret is shown once and never stored.
struct NewKey {
  store::ApiKey key;
  std::string token;  // "hg_<key_id>_<secret>": what the client sends as Bearer
};

struct KeyRequest {
  std::string name;
  store::Role role = store::Role::kAgent;
  std::vector<std::string> skills;
  std::vector<std::string> languages;
  std::vector<std::string> workflows;
  int max_concurrent = 0;
  std::vector<store::ApprovalLimit> approval_limits;  // docs/hardening.md
};

struct AccessOptions {
  // Secret mixed into stored API key hashes and sealing webhook secrets.
  std::string key_pepper;
  // Key use is audited at most once per key per this interval (every
  // authentication failure is audited, up to the throttle below).
  Duration key_use_audit_interval = std::chrono::minutes(1);
  // Requests per key, by role (token buckets; over it: ResourceExhausted,
  // HTTP 429 with Retry-After). Default: unlimited.
  RateLimits rate_limits;
  // How many authentication failures get an audit record (the rest are
  // counted into the next record); docs/hardening.md.
  AuthFailureThrottle::Options auth_failure_audit;
  // Failed authentications per source address before that address is
  // refused (429) without a key lookup (docs/hardening.md).
  AddressFailureLimiter::Options auth_failures_per_address;
};

class AccessService {
 public:
  // `announce_revocation`: tells other holders of cached keys (live streams,
  // other nodes) that a key was revoked; may be empty.
  AccessService(store::Store& store, const Clock& clock, crypto::RandomSource& random,
                AccessOptions options, std::function<void(const std::string&)> announce_revocation);

  // Unauthenticated for a missing, malformed, unknown or revoked token (and
  // audits the failure); ResourceExhausted past the key's rate limit or when
  // `source` (the caller's address, "" unknown) failed too often.
  // The token format is "hg_<key_id>_<secret>".
  [[nodiscard]] Result<Principal> Authenticate(std::string_view bearer_token, std::string_view source = {});
  // The first start: creates an admin key when no key exists yet. `token`
  // (e.g. from HITLGATE_ADMIN_KEY) is used when given, else one is minted.
  // nullopt when keys exist already.
  [[nodiscard]] Result<std::optional<NewKey>> Bootstrap(std::string_view token);

  // Admins.
  [[nodiscard]] Result<NewKey> CreateKey(const Principal& who, const KeyRequest& request);
  [[nodiscard]] Result<std::vector<store::ApiKey>> Keys(const Principal& who);
  [[nodiscard]] Result<void> RevokeKey(const Principal& who, const std::string& key_id);
  // Drops a key from the cache (another node revoked it).
  void ForgetKey(const std::string& key_id);
  // Stores the webhook with its secret sealed under the pepper.
  [[nodiscard]] Result<void> SetWebhook(const Principal& who, const store::Webhook& webhook);

 private:
  Result<Principal> Fail(std::string_view key_id, std::string_view why, std::string_view source);
  Result<store::ApiKey> FindKeyCached(std::string_view key_id);
  bool KeyIsCached(std::string_view key_id) const;
  void AuditKeyUse(const Principal& who);

  store::Store& store_;
  const Clock& clock_;
  crypto::RandomSource& random_;
  const AccessOptions options_;
  const std::function<void(const std::string&)> announce_revocation_;

  // Bounded: cleared when it outgrows kKeyCacheLimit.
  static constexpr size_t kKeyCacheLimit = 10000;
  mutable std::mutex key_cache_mu_;
  std::map<std::string, store::ApiKey, std::less<>> key_cache_ HITLGATE_GUARDED_BY(key_cache_mu_);

  std::mutex key_use_mu_;
  std::vector<std::pair<std::string, TimePoint>> key_use_seen_ HITLGATE_GUARDED_BY(key_use_mu_);
  KeyRateLimiter rate_limiter_{options_.rate_limits};
  AuthFailureThrottle auth_failures_{options_.auth_failure_audit};
  AddressFailureLimiter address_failures_{options_.auth_failures_per_address};
};

}  // namespace hitlgate::gateway
