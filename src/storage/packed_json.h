// The storage form of the JSON the stores keep per event and per task (an
// event as received, its answer, a task's context): raw DEFLATE against a
// fixed dictionary of the gateway's JSON vocabulary (docs/storage-size.md).
// A 300-byte event or a 700-byte answer shares its keys and most of its
// values with every other one, which per-row compression alone cannot use; the
// dictionary lets a row refer to them, so each row keeps little more than what
// is its own (ids, text). Storage form only: readers get the exact bytes back,
// so digests, idempotent replays and the audit chain's hashes are unchanged.
// Thread-safe (each thread keeps its own zlib streams).
#pragma once

#include <string>
#include <string_view>

#include "hitlgate/common/error.h"
#include "hitlgate/store/store.h"

namespace hitlgate::store::internal {

// The first byte of a packed value names its format. A new dictionary is a
// new format byte; readers keep every old one, since rows are never re-packed.
inline constexpr unsigned char kPackedJsonV1 = 0x01;          // events, answers, contexts
inline constexpr unsigned char kPackedAuditPayloadV1 = 0x02;  // audit payloads

// Unpacking refuses to produce more than this (a corrupted or hostile row
// cannot make the reader allocate without bound).
inline constexpr std::size_t kMaxUnpackedJson = 64u << 20;

// `json` packed (format byte + DEFLATE stream); never fails for any input.
std::string PackJson(std::string_view json);
// An audit record's payload_json packed against the audit payloads'
// dictionary (docs/audit-format.md: the hashed bytes are the unpacked ones).
std::string PackAuditPayload(std::string_view payload_json);

// A decision's JSON packed before its write transaction, so the writer (and
// PostgreSQL's audit head) does not wait while it is packed.
struct PackedDecision {
  std::string event_json;
  std::string decision_json;
  std::string context_json;  // empty without a task
};
PackedDecision PackDecision(const DecisionRecord& d, const std::optional<NewTask>& task);

// The bytes PackJson or PackAuditPayload was given. DataLoss for an unknown format byte, a
// damaged stream, or output over kMaxUnpackedJson.
[[nodiscard]] Result<std::string> UnpackJson(std::string_view packed);

}  // namespace hitlgate::store::internal
