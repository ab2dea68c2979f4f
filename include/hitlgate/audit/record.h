// AuditRecord: one entry of hitlgate's append-only, hash-chained audit log,
// and the functions that seal and hash it. The byte format is specified in
// docs/audit-format.md; this header is its code form (like leveldb's
// db/log_format.h). Every state change the gateway makes (event, decision,
// claim, lease expiry, verdict, policy change, key use, escalation, purge) is
// one record. Value types; the functions are pure and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "hitlgate/common/clock.h"

namespace hitlgate::audit {

// prev_hash of seq 1: 64 zeros (there is no record 0).
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// Domain tag that opens the hashed encoding; bumped if the encoding changes,
// so a v1 hash can never be mistaken for a v2 one.
inline constexpr std::string_view kHashDomain = "hitlgate.audit.v1";

// Record kinds written by hitlgate. `kind` is free-form (extensions may add
// their own), but these are the ones the gateway and the stores write; each
// one's payload is described in docs/audit-format.md.
namespace kinds {
inline constexpr std::string_view kEvent = "event";
inline constexpr std::string_view kDecision = "decision";
inline constexpr std::string_view kTaskCreated = "task_created";
inline constexpr std::string_view kClaim = "claim";
inline constexpr std::string_view kLeaseRenewed = "lease_renewed";
inline constexpr std::string_view kLeaseExpired = "lease_expired";
inline constexpr std::string_view kRelease = "release";
inline constexpr std::string_view kVerdict = "verdict";
inline constexpr std::string_view kTaskCancelled = "task_cancelled";
inline constexpr std::string_view kEscalation = "escalation";
inline constexpr std::string_view kTaskExpired = "task_expired";
inline constexpr std::string_view kPolicyUploaded = "policy_uploaded";
inline constexpr std::string_view kPolicyActivated = "policy_activated";
inline constexpr std::string_view kKnowledgeUploaded = "knowledge_uploaded";
inline constexpr std::string_view kKnowledgeActivated = "knowledge_activated";
inline constexpr std::string_view kKeyCreated = "key_created";
inline constexpr std::string_view kKeyUsed = "key_used";
inline constexpr std::string_view kKeyRevoked = "key_revoked";
inline constexpr std::string_view kWebhookUpserted = "webhook_upserted";
inline constexpr std::string_view kWebhookDelivered = "webhook_delivered";
inline constexpr std::string_view kWebhookFailed = "webhook_failed";
inline constexpr std::string_view kAuditPurged = "audit_purged";
}  // namespace kinds

// The caller-supplied part of a record: what happened, who did it, to what.
struct AuditEntry {
  std::string kind;     // one of kinds::* (or an extension's own kind)
  std::string actor;    // API key id, reviewer id, or "system"
  std::string subject;  // interaction id, task id, policy version, key id...
  // A JSON object. Hashed byte for byte as given, so whoever writes it must
  // write it deterministically (PayloadBuilder does); "{}" when empty.
  std::string payload_json = "{}";

  friend bool operator==(const AuditEntry&, const AuditEntry&) = default;
};

// A sealed record: an entry placed at `seq` in the chain.
struct AuditRecord {
  std::int64_t seq = 0;  // 1-based, gapless
  TimePoint at;          // when it was written (microseconds, UTC)
  std::string kind;
  std::string actor;
  std::string subject;
  std::string payload_json = "{}";
  std::string prev_hash;  // `hash` of seq - 1; kGenesisHash for seq 1
  std::string hash;       // ComputeHash(*this): 64 lower-case hex digits

  friend bool operator==(const AuditRecord&, const AuditRecord&) = default;
};

// A record's place in the chain without its content: what a checkpoint
// certifies, read without copying every record's payload.
struct AuditLink {
  std::int64_t seq = 0;
  std::string prev_hash;
  std::string hash;

  friend bool operator==(const AuditLink&, const AuditLink&) = default;
};

// The exact bytes that are hashed (docs/audit-format.md, "Hash encoding"):
// every field length-prefixed, so no two different records share an encoding.
std::string EncodeForHash(const AuditRecord& record);

// Lower-case hex SHA-256 of EncodeForHash(record). Ignores record.hash.
std::string ComputeHash(const AuditRecord& record);

// Places `entry` at `seq` after a record whose hash is `prev_hash` and
// computes its hash. The caller (a store, inside its write transaction) owns
// the chain head; Seal only does the arithmetic.
AuditRecord Seal(AuditEntry entry, std::int64_t seq, TimePoint at, const std::string& prev_hash);

// True for 64 lower-case hex digits (the form of every hash in the chain).
bool IsHashHex(std::string_view s);

}  // namespace hitlgate::audit
