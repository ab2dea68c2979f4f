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

#include <cstdint>
#include <string>
#include <string_view>

#include "hitlgate/common/error.h"
#include "hitlgate/store/store.h"

namespace hitlgate::store::internal {

// The first byte of a packed value names its format. A new dictionary is a
// new format byte; readers keep every old one, since rows are never re-packed.
inline constexpr unsigned char kPackedJsonV1 = 0x01;          // events, answers, contexts
inline constexpr unsigned char kPackedAuditPayloadV1 = 0x02;  // audit payloads
// A decision row's event or answer: dictionary v1 followed by a primer made
// of the row's own values (its ids, policy version, task id), which the
// reader rebuilds from the row's columns. Two bytes of the value's CRC-32
// follow the format byte: a primer rebuilt wrong (or a damaged stream) would
// otherwise decode to other bytes without an error.
inline constexpr unsigned char kPackedPrimedJsonV1 = 0x03;

// Unpacking refuses to produce more than this (a corrupted or hostile row
// cannot make the reader allocate without bound).
inline constexpr std::size_t kMaxUnpackedJson = 64u << 20;

// `json` packed (format byte + DEFLATE stream); never fails for any input.
std::string PackJson(std::string_view json);
// An audit record's payload_json packed against the audit payloads'
// dictionary (docs/audit-format.md: the hashed bytes are the unpacked ones).
std::string PackAuditPayload(std::string_view payload_json);

// `json` packed against dictionary v1 followed by `primer` (format
// kPackedPrimedJsonV1). The primer must be rebuilt byte for byte by the
// reader, so it is made only from values stored beside the packed one that
// never change while it is kept (DecisionEventPrimer, DecisionAnswerPrimer).
std::string PackPrimedJson(std::string_view json, std::string_view primer);

// The values of a decision row that its event and answer are primed with,
// as the row's columns hold them (event_id "" when NULL).
struct DecisionRowValues {
  std::string_view event_id;
  std::string_view interaction_id;
  std::string_view customer_id;
  std::string_view workflow;
  std::string_view channel;
  std::int64_t event_index = 0;
  std::string_view policy_version;
  std::string_view task_id;
};
// The event's primer: its id fields as JSON, in the order agents send them.
// It holds customer_id, which erasure rewrites; erasure replaces the packed
// event with the plain {"erased":true} marker in the same UPDATE.
std::string DecisionEventPrimer(const DecisionRowValues& row);
// The answer's primer: interaction id, event index, policy version and task
// id as the answer writes them (codec::EncodeAnswer). No customer_id: the
// answer is kept through erasure, which rewrites that column.
std::string DecisionAnswerPrimer(const DecisionRowValues& row);

// A task's context primer: its interaction, customer and workflow as the
// event embedded in the context spells them. SaveTask writes these columns
// and the packed context together, so erasure (which rewrites customer_id)
// repacks the context against the new value.
std::string TaskContextPrimer(std::string_view interaction_id, std::string_view customer_id,
                              std::string_view workflow);

// A decision's JSON packed before its write transaction, so the writer (and
// PostgreSQL's audit head) does not wait while it is packed: the event and
// answer primed with the row's values (the answer with task->id, which the
// writer repacks it for when it picks the task id itself), the context with
// dictionary v1 only.
struct PackedDecision {
  std::string event_json;
  std::string decision_json;
  std::string context_json;  // empty without a task
  std::string context_primer;  // what context_json was primed with
};
PackedDecision PackDecision(const DecisionRecord& d, const std::optional<NewTask>& task);

// The bytes PackJson, PackAuditPayload or PackPrimedJson was given; `primer`
// is the one a primed value was packed with (ignored for the other formats).
// DataLoss for an unknown format byte, a damaged stream, output over
// kMaxUnpackedJson, a primed value read without a primer, or a checksum that
// does not match (a damaged value or a different primer).
[[nodiscard]] Result<std::string> UnpackJson(std::string_view packed, std::string_view primer = {});

}  // namespace hitlgate::store::internal
