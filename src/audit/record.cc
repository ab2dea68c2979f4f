#include "hitlgate/audit/record.h"

#include <utility>

#include "hitlgate/crypto/hash.h"

namespace hitlgate::audit {
namespace {

void PutU64(std::uint64_t v, std::string* out) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>((v >> shift) & 0xff));
}

// Length-prefixed: an 8-byte big-endian length, then the bytes. Prefixing
// every field (rather than separating them) means no choice of contents can
// make two different records encode alike.
void PutField(std::string_view s, std::string* out) {
  PutU64(s.size(), out);
  out->append(s);
}

}  // namespace

std::string EncodeForHash(const AuditRecord& r) {
  std::string out;
  out.reserve(kHashDomain.size() + r.kind.size() + r.actor.size() + r.subject.size() +
              r.payload_json.size() + r.prev_hash.size() + 9 * 8);
  PutField(kHashDomain, &out);
  PutU64(static_cast<std::uint64_t>(r.seq), &out);
  PutU64(static_cast<std::uint64_t>(r.at.time_since_epoch().count()), &out);
  PutField(r.kind, &out);
  PutField(r.actor, &out);
  PutField(r.subject, &out);
  PutField(r.payload_json, &out);
  PutField(r.prev_hash, &out);
  return out;
}

std::string ComputeHash(const AuditRecord& record) {
  return crypto::Sha256Hex(EncodeForHash(record));
}

AuditRecord Seal(AuditEntry entry, std::int64_t seq, TimePoint at, const std::string& prev_hash) {
  AuditRecord r;
  r.seq = seq;
  r.at = at;
  r.kind = std::move(entry.kind);
  r.actor = std::move(entry.actor);
  r.subject = std::move(entry.subject);
  r.payload_json = std::move(entry.payload_json);
  r.prev_hash = prev_hash;
  r.hash = ComputeHash(r);
  return r;
}

bool IsHashHex(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace hitlgate::audit
