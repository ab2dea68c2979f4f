// Per-key request rate limits (token buckets, one per API key, sized by the
// key's role) and the throttle that keeps a flood of failed authentications
// from filling the audit log. Both take the time from the caller (the
// Gateway's injected Clock), so tests drive them exactly.
//
// Thread-safety: every method is safe from any thread (one mutex each).
// Memory: one bucket per authenticated key (not per attacker-chosen value);
// the failure throttle keeps at most kMaxTrackedFailureKeys entries.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "hitlgate/common/clock.h"
#include "hitlgate/common/error.h"
#include "hitlgate/common/thread_annotations.h"
#include "hitlgate/store/types.h"

namespace hitlgate::gateway {

struct RateLimit {
  double per_second = 0;  // sustained rate; 0 = unlimited
  double burst = 0;       // bucket size; 0 = max(1, per_second)
};

// One limit per role, indexed by store::Role. Default: unlimited (embedders
// and tests); `hitlgate serve` sets production defaults (docs/hardening.md).
struct RateLimits {
  std::array<RateLimit, 5> by_role{};
  RateLimit& For(store::Role r) { return by_role[static_cast<size_t>(r)]; }
  const RateLimit& For(store::Role r) const { return by_role[static_cast<size_t>(r)]; }
};

// Parses "agent=50" or "agent=50/100" (per second / burst) into `limits`.
// InvalidArgument naming what is wrong.
Result<void> ParseRateLimit(std::string_view spec, RateLimits* limits);

class KeyRateLimiter {
 public:
  explicit KeyRateLimiter(RateLimits limits) : limits_(limits) {}

  // Takes one token from `key_id`'s bucket. nullopt: allowed. Otherwise how
  // long until a token is there (at least one second, rounded up: what
  // Retry-After says).
  std::optional<Duration> Take(std::string_view key_id, store::Role role, TimePoint now);

 private:
  struct Bucket {
    double tokens = 0;
    TimePoint updated;
  };
  const RateLimits limits_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_ HITLGATE_GUARDED_BY(mu_);
};

// Decides which authentication failures get an audit record: per key id
// (or "" for malformed tokens) at most `burst` records, refilled at
// `per_minute`, and the same over all keys together. A suppressed failure
// is counted; the next record written for that key carries the count, so
// the log still says how many there were.
class AuthFailureThrottle {
 public:
  static constexpr size_t kMaxTrackedFailureKeys = 4096;
  struct Options {
    double per_minute_per_key = 10;
    double burst_per_key = 20;
    double per_minute_total = 120;
    double burst_total = 240;
  };
  explicit AuthFailureThrottle(Options options) : options_(options) {}

  struct Verdict {
    bool record = false;           // write an audit record for this failure
    std::uint64_t suppressed = 0;  // failures not recorded since the last record (this key)
  };
  Verdict Admit(std::string_view key_id, TimePoint now);

 private:
  struct Bucket {
    double tokens = -1;  // < 0: new, starts full
    TimePoint updated;
    std::uint64_t suppressed = 0;
  };
  static bool TakeToken(Bucket& b, double per_minute, double burst, TimePoint now);
  const Options options_;
  std::mutex mu_;
  Bucket total_ HITLGATE_GUARDED_BY(mu_);
  std::unordered_map<std::string, Bucket> by_key_ HITLGATE_GUARDED_BY(mu_);
};

// Failed authentications per source address: each costs a key lookup (and
// for unknown keys a store query), so an address that keeps failing is
// refused before any lookup until its budget refills. Successful requests
// never spend it. At most kMaxTrackedAddresses entries; past the cap the
// newcomers share one bucket (refused together, never forgotten).
class AddressFailureLimiter {
 public:
  static constexpr size_t kMaxTrackedAddresses = 65536;
  struct Options {
    double per_minute = 30;  // 0: unlimited
    double burst = 60;
  };
  explicit AddressFailureLimiter(Options options) : options_(options) {}

  // nullopt: the address may try; otherwise how long until it may (whole
  // seconds, at least one).
  std::optional<Duration> Blocked(std::string_view address, TimePoint now);
  void Failed(std::string_view address, TimePoint now);

 private:
  struct Bucket {
    double tokens = 0;
    TimePoint updated;
  };
  Bucket& BucketFor(std::string_view address, TimePoint now) HITLGATE_REQUIRES(mu_);
  const Options options_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> by_address_ HITLGATE_GUARDED_BY(mu_);
};

}  // namespace hitlgate::gateway
