// Signed audit checkpoints (docs/audit-format.md, "Checkpoints"): the
// gateway periodically signs (seq, head hash, Merkle root of records 1..seq,
// time) with its signing key and exports each checkpoint as one JSON file to
// a folder outside the database. Each file also lists the hashes of the
// records it adds since the previous checkpoint; the signed root
// authenticates them. Rewriting history then needs the signing key, and
// still contradicts the files already exported: `hitlgate audit verify
// --checkpoint-dir` names the first record that differs from what the
// checkpoints certify, even when the chain after it was recomputed.
//
// Value types and pure functions are thread-safe; a CheckpointWriter belongs
// to one thread at a time (the gateway serializes it).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hitlgate/audit/merkle.h"
#include "hitlgate/audit/record.h"
#include "hitlgate/audit/verifier.h"
#include "hitlgate/common/clock.h"
#include "hitlgate/common/error.h"
#include "hitlgate/receipts/signing_keys.h"

namespace hitlgate::receipts {

inline constexpr std::string_view kCheckpointDomain = "hitlgate.checkpoint.v1";

struct Checkpoint {
  std::int64_t seq = 0;         // the last record covered; the tree has seq leaves
  std::string head_hash;        // that record's hash
  std::string merkle_root;      // RFC 6962 root over the hashes of records 1..seq, hex
  TimePoint at;                 // when it was signed
  std::string key_id;
  std::string signature;        // Ed25519 over CheckpointSigningInput, 128 hex
  std::int64_t first_leaf_seq = 1;  // `leaves` are the hashes of records first_leaf_seq..seq
  std::vector<std::string> leaves;  // (not signed themselves: the root authenticates them)

  friend bool operator==(const Checkpoint&, const Checkpoint&) = default;
};

// The signed bytes: the domain tag, key_id, seq (u64), head_hash, merkle_root
// and at (microseconds, i64), each string length-prefixed (u64 big-endian).
std::string CheckpointSigningInput(const Checkpoint& c);

std::string EncodeCheckpoint(const Checkpoint& c);
// Strict; InvalidArgument naming the field.
[[nodiscard]] Result<Checkpoint> DecodeCheckpoint(std::string_view json);

// "checkpoint-000000000042.json": zero-padded, so names sort by seq.
std::string CheckpointFileName(std::int64_t seq);

struct CheckpointFile {
  std::string name;
  std::string text;
};
// Every checkpoint-*.json in `dir`, sorted by name. NotFound for a missing
// folder; an empty folder gives none.
[[nodiscard]] Result<std::vector<CheckpointFile>> ReadCheckpointDir(const std::string& dir);

struct CheckpointProblem {
  std::string file;
  std::int64_t seq = 0;  // the checkpoint's seq, when it decoded
  std::string detail;
};

struct CheckedCheckpoints {
  std::vector<Checkpoint> valid;                 // authentic and consistent, in order
  std::vector<std::string> certified_hashes;     // record hashes of seq 1..N they certify
  std::vector<CheckpointProblem> problems;
};

// Checks each file in order: it decodes, its key is one of `keys` and was
// valid at its time, its signature verifies, its leaves continue the
// previous checkpoint's, its head is its last leaf, and the Merkle root over
// all leaves so far is its root. Stops at the first bad checkpoint (later
// ones cannot be chained without it) and says so.
CheckedCheckpoints VerifyCheckpoints(std::span<const CheckpointFile> files,
                                     std::span<const PublicKeyInfo> keys);

// What `hitlgate audit verify` reports with checkpoints: the chain checked
// against the certified hashes, and the checkpoints' own problems.
struct LogCheck {
  audit::VerifySummary chain;
  CheckedCheckpoints checkpoints;
  bool ok() const { return chain.ok() && checkpoints.problems.empty(); }
};
LogCheck VerifyLogWithCheckpoints(audit::RecordSource& source, std::span<const CheckpointFile> files,
                                  std::span<const PublicKeyInfo> keys, audit::VerifyOptions options,
                                  const audit::CorruptionReporter& reporter = nullptr);

// Builds checkpoints as records are added, and writes each as a file.
class CheckpointWriter {
 public:
  // Resumes after the checkpoints already in `dir` (created when missing),
  // checked with the keys' public halves. FailedPrecondition when they do
  // not verify: the exported history and the keys disagree.
  [[nodiscard]] static Result<std::unique_ptr<CheckpointWriter>> Open(const std::string& dir,
                                                                      const SigningKeys& keys);

  std::int64_t covered_seq() const { return added_seq() - pending_count(); }
  std::int64_t added_seq() const { return static_cast<std::int64_t>(frontier_.size()); }
  std::optional<TimePoint> last_at() const { return last_at_; }
  std::int64_t pending_count() const { return static_cast<std::int64_t>(pending_.size()); }

  // The next record (seq added_seq() + 1, linking to the previous one).
  // FailedPrecondition otherwise: the log no longer continues what was
  // checkpointed (rewritten, or purged before it was checkpointed).
  // Also checks that the record's content gives its hash.
  [[nodiscard]] Result<void> Add(const audit::AuditRecord& record);
  // The same, from the record's link alone: the server's own checkpoints
  // take the hashes its writers sealed. Re-hashing the content here would
  // not catch someone who rewrites the database (they can recompute the
  // chain); `audit verify` checks every record's content against the
  // checkpoints.
  [[nodiscard]] Result<void> Add(const audit::AuditLink& link);
  // Signs everything added since the last checkpoint at `now` and writes it
  // (write-to-temporary and rename). nullopt when nothing was added.
  [[nodiscard]] Result<std::optional<Checkpoint>> Write(TimePoint now);

 private:
  CheckpointWriter(std::string dir, const SigningKeys& keys) : dir_(std::move(dir)), keys_(keys) {}

  std::string dir_;
  const SigningKeys& keys_;
  audit::MerkleFrontier frontier_;
  std::string last_hash_;
  std::vector<std::string> pending_;  // hashes added since the last checkpoint
  std::optional<TimePoint> last_at_;
};

}  // namespace hitlgate::receipts
