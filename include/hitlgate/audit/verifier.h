// Chain verification, in the manner of leveldb's log::Reader: records come
// from a RecordSource in stored order, and every problem found is reported
// through a callback as it is found (the summary keeps the first one). Used
// by the stores' tests, `hitlgate audit verify`, and tools/verify_audit.
//
// What is detected (docs/audit-format.md, "What verify detects"): a changed
// record (its hash does not match its contents), a removed record (a gap in
// seq), an inserted record (a repeated seq or a prev_hash that does not link),
// reordered records, a start that nothing anchors, and, given the expected
// head, a truncated tail.
//
// Thread-compatible: a source and a verification belong to one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "hitlgate/audit/record.h"
#include "hitlgate/common/error.h"

namespace hitlgate::audit {

// Yields records in stored order. Next() returns nullopt at the end, and an
// error when a record cannot be read (DataLoss/InvalidArgument for a corrupt
// one, Unavailable for I/O); the verifier reports the error and stops.
class RecordSource {
 public:
  virtual ~RecordSource() = default;
  [[nodiscard]] virtual Result<std::optional<AuditRecord>> Next() = 0;
};

// Reads from a span; the records must outlive the source.
class SpanRecordSource final : public RecordSource {
 public:
  explicit SpanRecordSource(std::span<const AuditRecord> records) : records_(records) {}
  Result<std::optional<AuditRecord>> Next() override;

 private:
  std::span<const AuditRecord> records_;
  size_t next_ = 0;
};

// A point on the chain: the record at `seq` has hash `hash`.
struct ChainPoint {
  std::int64_t seq = 0;
  std::string hash;
};

enum class Problem {
  kNone,
  kChanged,     // hash does not match the record's contents
  kRemoved,     // seq jumps forward: the records in between are missing
  kInserted,    // seq repeats or goes back, or prev_hash does not link
  kReordered,   // seq jumps forward and the missing record appears later
  kUnanchored,  // the first record is not seq 1 and no purge anchor covers it
  kTruncated,   // the chain ends before the expected head
  kUnreadable,  // the source could not produce a record
};
std::string_view ProblemName(Problem p);

struct ChainProblem {
  Problem problem = Problem::kNone;
  // The seq of the first record that is wrong or missing; for a changed
  // record, its position in the chain (which is its seq unless seq itself
  // was changed).
  std::int64_t seq = 0;
  std::string detail;  // for people: "expected seq 6, found 7 (record 6 removed)"
};

struct VerifyOptions {
  // When set, the chain must start right after this point (seq + 1 with
  // prev_hash = hash); used to verify an exported range from a trusted
  // checkpoint. When unset, the chain must start at seq 1 from kGenesisHash,
  // or at a record anchored by an "audit_purged" record in the chain.
  std::optional<ChainPoint> start_after;
  // Accept any start (for partial exports without a checkpoint): only the
  // links between the records read are checked.
  bool allow_unanchored_start = false;
  // When set, the chain must end exactly here (e.g. Store::AuditHead() or a
  // signed checkpoint), which detects truncation and a rewritten tail.
  std::optional<ChainPoint> expected_head;
  // Record hashes certified by signed checkpoints: element i is the hash of
  // seq i + 1 (see VerifyCheckpoints). A record whose hash differs is
  // reported as changed, at its seq, even when it was rewritten with a
  // recomputed chain after it; a chain that ends before the last certified
  // record is truncated. Must outlive the verification.
  std::span<const std::string> certified_hashes;
};

struct VerifySummary {
  std::int64_t records_checked = 0;
  std::int64_t first_seq = 0;  // 0 when the chain is empty
  std::int64_t last_seq = 0;
  std::string last_hash;
  std::int64_t first_bad_seq = 0;  // 0 when the chain verified
  Problem problem = Problem::kNone;
  std::string detail;
  int problems_reported = 0;

  bool ok() const { return problem == Problem::kNone; }
};

// Called once per problem, in order. After a problem the verifier resyncs on
// the record it just read (like leveldb's reader skipping a bad block) so
// independent later damage is reported too; the summary holds the first.
using CorruptionReporter = std::function<void(const ChainProblem&)>;

VerifySummary VerifyChain(RecordSource& source, const VerifyOptions& options = {},
                          const CorruptionReporter& reporter = nullptr);

}  // namespace hitlgate::audit
