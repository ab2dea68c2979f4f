#include "hitlgate/audit/verifier.h"

#include <utility>

#include "hitlgate/audit/purge.h"

namespace hitlgate::audit {

std::string_view ProblemName(Problem p) {
  switch (p) {
    case Problem::kNone: return "none";
    case Problem::kChanged: return "changed";
    case Problem::kRemoved: return "removed";
    case Problem::kInserted: return "inserted";
    case Problem::kReordered: return "reordered";
    case Problem::kUnanchored: return "unanchored";
    case Problem::kTruncated: return "truncated";
    case Problem::kUnreadable: return "unreadable";
  }
  return "unknown";
}

Result<std::optional<AuditRecord>> SpanRecordSource::Next() {
  if (next_ >= records_.size()) return std::optional<AuditRecord>();
  return std::optional<AuditRecord>(records_[next_++]);
}

namespace {

std::string S(std::int64_t v) { return std::to_string(v); }

// The detail of a forward jump from the expected seq `e` to `found`.
std::string Missing(std::int64_t e, std::int64_t found) {
  return "expected seq " + S(e) + ", found " + S(found) + ": records " + S(e) +
         (found - 1 > e ? ".." + S(found - 1) : "") + " are missing";
}

// One pass over the source. State: the last accepted record (`expected_seq`,
// `expected_prev`), plus the first record for anchoring.
class Verifier {
 public:
  Verifier(RecordSource& source, const VerifyOptions& options, const CorruptionReporter& reporter)
      : source_(source), options_(options), reporter_(reporter) {}

  VerifySummary Run() {
    while (true) {
      auto rec = Read();
      if (!rec) break;
      Process(std::move(*rec));
    }
    Finish();
    return summary_;
  }

 private:
  // Next record, from the one-record lookahead first. nullopt at the end or
  // on an unreadable record (reported here).
  std::optional<AuditRecord> Read() {
    if (lookahead_) {
      auto r = std::move(*lookahead_);
      lookahead_.reset();
      return r;
    }
    if (stopped_) return std::nullopt;
    auto next = source_.Next();
    if (!next) {
      stopped_ = true;
      Report(Problem::kUnreadable, have_prev_ ? expected_seq_ : 1,
             "cannot read the record after seq " + S(expected_seq_ - 1) + ": " +
                 next.error().message());
      return std::nullopt;
    }
    if (!next->has_value()) stopped_ = true;
    return std::move(*next);
  }

  void Report(Problem p, std::int64_t seq, std::string detail) {
    reported_seq_ = seq;  // one report per record is enough
    ChainProblem cp{p, seq, std::move(detail)};
    ++summary_.problems_reported;
    // The summary keeps the lowest seq: an unanchored start is only known at
    // the end, yet concerns the first record.
    if (summary_.problem == Problem::kNone || seq < summary_.first_bad_seq) {
      summary_.problem = p;
      summary_.first_bad_seq = seq;
      summary_.detail = cp.detail;
    }
    if (reporter_) reporter_(cp);
  }

  // Accepts `r` as the new chain position (also the resync after a problem).
  void Accept(const AuditRecord& r) {
    have_prev_ = true;
    expected_seq_ = r.seq + 1;
    expected_prev_ = r.hash;
    summary_.last_seq = r.seq;
    summary_.last_hash = r.hash;
    const auto& certified = options_.certified_hashes;
    if (r.seq >= 1 && static_cast<std::uint64_t>(r.seq) <= certified.size() &&
        r.hash != certified[r.seq - 1] && reported_seq_ != r.seq) {
      Report(Problem::kChanged, r.seq,
             "record " + S(r.seq) + " differs from the signed checkpoints (its hash is " + r.hash +
                 ", they certify " + certified[r.seq - 1] + ")");
    }
    if (options_.expected_head && r.seq == options_.expected_head->seq &&
        r.hash != options_.expected_head->hash) {
      Report(Problem::kChanged, r.seq,
             "record " + S(r.seq) + " differs from the expected head (its hash is " + r.hash +
                 ", the checkpoint says " + options_.expected_head->hash + ")");
    }
    if (r.kind == kinds::kAuditPurged) {
      auto anchor = DecodePurgePayload(r.payload_json);
      if (anchor && anchor->first_kept_seq == first_seq_ &&
          anchor->first_kept_prev_hash == first_prev_) {
        anchored_ = true;
      }
    }
  }

  bool CheckSelfHash(const AuditRecord& r, std::int64_t position) {
    if (ComputeHash(r) == r.hash) return true;
    std::string claim = r.seq == position ? "" : " (it claims seq " + S(r.seq) + ")";
    Report(Problem::kChanged, position,
           "record " + S(position) + claim + " was changed: its hash does not match its contents");
    return false;
  }

  // A store that keeps a link as "the hash of the record before" (SQLite,
  // docs/audit-format.md "Storage form") gives an empty prev_hash where that
  // record is gone. The record's own hash, sealed over the lost link, cannot
  // be checked then: the missing record is what to report.
  static bool LinkLost(const AuditRecord& r) { return r.prev_hash.empty() && r.seq > 1; }

  void ProcessFirst(AuditRecord r) {
    ++summary_.records_checked;
    summary_.first_seq = r.seq;
    first_seq_ = r.seq;
    first_prev_ = r.prev_hash;
    if (LinkLost(r) && options_.allow_unanchored_start && !options_.start_after) {
      Report(Problem::kRemoved, r.seq - 1,
             "record " + S(r.seq - 1) + " is missing: record " + S(r.seq) + " links to it");
      anchored_ = true;
      Accept(r);
      return;
    }
    // Otherwise a lost link shows as a start nothing anchors (its empty
    // prev_hash matches no anchor) or one that does not meet start_after.
    if (!LinkLost(r) && !CheckSelfHash(r, r.seq)) {
      anchored_ = true;  // already reported; do not pile on
      Accept(r);
      return;
    }
    if (options_.start_after) {
      const auto& sa = *options_.start_after;
      if (r.seq != sa.seq + 1) {
        Report(r.seq > sa.seq + 1 ? Problem::kRemoved : Problem::kInserted, sa.seq + 1,
               "expected the chain to start at seq " + S(sa.seq + 1) + ", found " + S(r.seq));
      } else if (r.prev_hash != sa.hash) {
        Report(Problem::kInserted, r.seq,
               "record " + S(r.seq) + " does not link to the given start point");
      }
      anchored_ = true;
    } else if (options_.allow_unanchored_start) {
      anchored_ = true;
    } else if (r.seq == 1) {
      if (r.prev_hash != kGenesisHash) {
        Report(Problem::kInserted, 1, "record 1 must have a prev_hash of 64 zeros");
      }
      anchored_ = true;
    }
    // Otherwise an "audit_purged" record later in the chain must anchor it
    // (checked in Accept, reported in Finish).
    Accept(r);
  }

  void Process(AuditRecord r) {
    if (!have_prev_) {
      ProcessFirst(std::move(r));
      return;
    }
    ++summary_.records_checked;
    const std::int64_t e = expected_seq_;
    if (LinkLost(r) && r.seq > e) {
      Report(Problem::kRemoved, e, Missing(e, r.seq));
      Accept(r);
      return;
    }
    if (!CheckSelfHash(r, e)) {
      // Resync as if it sat at its position with its stored hash, so the
      // next record's link is checked against what was stored.
      r.seq = e;
      std::string recomputed = ComputeHash(r);
      Accept(r);
      // Either the hash field or the contents were changed; the next record
      // may link to either, and that link is not a second problem.
      alt_prev_ = std::move(recomputed);
      return;
    }
    std::optional<std::string> alt_prev = std::move(alt_prev_);
    alt_prev_.reset();
    if (r.seq == e) {
      if (r.prev_hash != expected_prev_ && r.prev_hash != alt_prev) {
        Report(Problem::kInserted, e,
               "record " + S(e) + " does not link to record " + S(e - 1) +
                   " (prev_hash mismatch): inserted, or record " + S(e - 1) + " was replaced");
      }
      Accept(r);
      return;
    }
    if (r.seq < e) {
      Report(Problem::kInserted, r.seq,
             "seq " + S(r.seq) + " appears again after seq " + S(e - 1) +
                 " (a duplicate or inserted record)");
      Accept(r);
      return;
    }
    // A forward jump: look one record ahead to tell a swap (e+1, e) or an
    // inserted intruder (x, e) from a removal.
    auto next = Read();
    if (next && next->seq == e) {
      ++summary_.records_checked;
      if (r.seq == e + 1) {
        Report(Problem::kReordered, e,
               "records " + S(e) + " and " + S(e + 1) + " are stored out of order");
        CheckSelfHash(*next, e);
        // Resync on the later of the two: the record after them links to it.
        Accept(r);
        return;
      }
      Report(Problem::kInserted, e,
             "a record claiming seq " + S(r.seq) + " was inserted before seq " + S(e));
      if (CheckSelfHash(*next, e) && next->prev_hash != expected_prev_) {
        Report(Problem::kInserted, e, "record " + S(e) + " does not link to record " + S(e - 1));
      }
      Accept(*next);
      return;
    }
    if (next) lookahead_ = std::move(next);
    Report(Problem::kRemoved, e, Missing(e, r.seq));
    Accept(r);
  }

  void Finish() {
    if (have_prev_ && !anchored_) {
      Report(Problem::kUnanchored, first_seq_,
             "the chain starts at seq " + S(first_seq_) +
                 " and no audit_purged record anchors that start");
    }
    const auto certified = static_cast<std::int64_t>(options_.certified_hashes.size());
    const std::int64_t end = have_prev_ ? expected_seq_ - 1 : 0;
    if (end < certified) {
      Report(Problem::kTruncated, end + 1,
             "the chain ends at seq " + S(end) + " but signed checkpoints certify records up to seq " +
                 S(certified));
    }
    if (options_.expected_head) {
      const auto& head = *options_.expected_head;
      std::int64_t last = have_prev_ ? expected_seq_ - 1 : 0;
      if (last < head.seq) {
        Report(Problem::kTruncated, last + 1,
               "the chain ends at seq " + S(last) + " but the expected head is seq " +
                   S(head.seq));
      }
    }
  }

  RecordSource& source_;
  const VerifyOptions& options_;
  const CorruptionReporter& reporter_;
  VerifySummary summary_;
  std::optional<AuditRecord> lookahead_;
  bool stopped_ = false;
  bool have_prev_ = false;
  std::int64_t expected_seq_ = 1;
  std::string expected_prev_;
  std::optional<std::string> alt_prev_;  // after a changed record: its recomputed hash
  std::int64_t first_seq_ = 0;
  std::string first_prev_;
  bool anchored_ = false;
  std::int64_t reported_seq_ = 0;  // the seq of the latest report
};

}  // namespace

VerifySummary VerifyChain(RecordSource& source, const VerifyOptions& options,
                          const CorruptionReporter& reporter) {
  return Verifier(source, options, reporter).Run();
}

}  // namespace hitlgate::audit
