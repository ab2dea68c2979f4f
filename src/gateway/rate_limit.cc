#include "hitlgate/gateway/rate_limit.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace hitlgate::gateway {
namespace {

double Seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

Result<double> ParseNumber(std::string_view text, std::string_view spec) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || !(v >= 0) || v > 1e9) {
    return InvalidArgument("rate limit '" + std::string(spec) +
                           "': expected ROLE=PER_SECOND[/BURST] with numbers >= 0");
  }
  return v;
}

// A token bucket's refill up to `burst` at `per_minute`, since `*updated`.
void Refill(double* tokens, TimePoint* updated, double per_minute, double burst, TimePoint now) {
  if (now > *updated) {
    *tokens = std::min(burst, *tokens + Seconds(now - *updated) * per_minute / 60.0);
    *updated = now;
  }
}

// Key ids are attacker-chosen for failures; past the cap they share one entry.
constexpr std::string_view kOverflowKey = "*";

}  // namespace

Result<void> ParseRateLimit(std::string_view spec, RateLimits* limits) {
  const size_t eq = spec.find('=');
  if (eq == std::string_view::npos) {
    return InvalidArgument("rate limit '" + std::string(spec) + "': expected ROLE=PER_SECOND[/BURST]");
  }
  auto role = store::ParseRole(spec.substr(0, eq));
  if (!role) {
    return InvalidArgument("rate limit '" + std::string(spec) + "': unknown role '" +
                           std::string(spec.substr(0, eq)) + "'");
  }
  std::string_view rest = spec.substr(eq + 1);
  const size_t slash = rest.find('/');
  auto rate = ParseNumber(rest.substr(0, slash), spec);
  HITLGATE_RETURN_IF_ERROR(rate);
  RateLimit limit{*rate, 0};
  if (slash != std::string_view::npos) {
    auto burst = ParseNumber(rest.substr(slash + 1), spec);
    HITLGATE_RETURN_IF_ERROR(burst);
    limit.burst = *burst;
  }
  limits->For(*role) = limit;
  return {};
}

std::optional<Duration> KeyRateLimiter::Take(std::string_view key_id, store::Role role,
                                             TimePoint now) {
  const RateLimit& limit = limits_.For(role);
  if (limit.per_second <= 0) return std::nullopt;
  const double burst = limit.burst > 0 ? limit.burst : std::max(1.0, limit.per_second);
  std::lock_guard lock(mu_);
  auto [it, fresh] = buckets_.try_emplace(std::string(key_id), Bucket{burst, now});
  Bucket& b = it->second;
  if (!fresh && now > b.updated) {
    b.tokens = std::min(burst, b.tokens + Seconds(now - b.updated) * limit.per_second);
    b.updated = now;
  }
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return std::nullopt;
  }
  // Whole seconds, at least one: Retry-After has no finer unit.
  const double wait = std::ceil((1 - b.tokens) / limit.per_second);
  return std::chrono::duration_cast<Duration>(std::chrono::seconds(
      static_cast<std::int64_t>(std::max(1.0, wait))));
}

bool AuthFailureThrottle::TakeToken(Bucket& b, double per_minute, double burst, TimePoint now) {
  if (b.tokens < 0) {
    b.tokens = burst;
    b.updated = std::max(b.updated, now);
  } else {
    Refill(&b.tokens, &b.updated, per_minute, burst, now);
  }
  if (b.tokens < 1) return false;
  b.tokens -= 1;
  return true;
}

AuthFailureThrottle::Verdict AuthFailureThrottle::Admit(std::string_view key_id, TimePoint now) {
  std::lock_guard lock(mu_);
  auto it = by_key_.find(std::string(key_id));
  if (it == by_key_.end()) {
    const std::string_view name = by_key_.size() < kMaxTrackedFailureKeys ? key_id : kOverflowKey;
    it = by_key_.try_emplace(std::string(name)).first;
  }
  Bucket& key = it->second;
  // Both budgets must have room; the per-key one is only spent if the total has room too.
  const bool key_ok = TakeToken(key, options_.per_minute_per_key, options_.burst_per_key, now);
  const bool total_ok =
      key_ok && TakeToken(total_, options_.per_minute_total, options_.burst_total, now);
  if (key_ok && !total_ok) key.tokens += 1;  // give the per-key token back
  if (!total_ok) {
    ++key.suppressed;
    return Verdict{false, 0};
  }
  Verdict v{true, key.suppressed};
  key.suppressed = 0;
  return v;
}

AddressFailureLimiter::Bucket& AddressFailureLimiter::BucketFor(std::string_view address, TimePoint now) {
  auto it = by_address_.find(std::string(address));
  if (it == by_address_.end()) {
    const std::string_view name = by_address_.size() < kMaxTrackedAddresses ? address : kOverflowKey;
    it = by_address_.try_emplace(std::string(name), Bucket{options_.burst, now}).first;
  }
  Bucket& b = it->second;
  Refill(&b.tokens, &b.updated, options_.per_minute, options_.burst, now);
  return b;
}

std::optional<Duration> AddressFailureLimiter::Blocked(std::string_view address, TimePoint now) {
  if (options_.per_minute <= 0 || address.empty()) return std::nullopt;
  std::lock_guard lock(mu_);
  const Bucket& b = BucketFor(address, now);
  if (b.tokens >= 1) return std::nullopt;
  const double wait = std::ceil((1 - b.tokens) * 60.0 / options_.per_minute);
  return std::chrono::duration_cast<Duration>(
      std::chrono::seconds(static_cast<std::int64_t>(std::max(1.0, wait))));
}

void AddressFailureLimiter::Failed(std::string_view address, TimePoint now) {
  if (options_.per_minute <= 0 || address.empty()) return;
  std::lock_guard lock(mu_);
  Bucket& b = BucketFor(address, now);
  b.tokens = std::max(0.0, b.tokens - 1);
}

}  // namespace hitlgate::gateway
