// Retention purge anchors. Purging deletes the oldest records of the chain;
// the "audit_purged" record written by the purge (itself part of the chain)
// names the first kept record and the hash that record's prev_hash must
// equal, so a verifier can start mid-chain and still prove nothing kept was
// altered (docs/audit-format.md, "Retention"). Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "hitlgate/common/clock.h"
#include "hitlgate/common/error.h"

namespace hitlgate::audit {

// EU AI Act: deployers keep logs at least six months; 183 days covers any
// six calendar months.
inline constexpr std::chrono::days kMinRetention{183};

struct PurgeAnchor {
  TimePoint cutoff;                   // records older than this were eligible
  std::int64_t purged_count = 0;      // records deleted by this purge
  std::int64_t first_kept_seq = 0;    // the earliest record left in the chain
  std::string first_kept_prev_hash;   // its prev_hash (= hash of the last purged one)
  std::int64_t retention_days = 0;    // the retention the purge honoured
};

// Canonical payload of an "audit_purged" record.
std::string EncodePurgePayload(const PurgeAnchor& anchor);
// InvalidArgument when `payload_json` is not such a payload.
[[nodiscard]] Result<PurgeAnchor> DecodePurgePayload(std::string_view payload_json);

}  // namespace hitlgate::audit
