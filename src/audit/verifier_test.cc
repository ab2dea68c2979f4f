#include "hitlgate/audit/verifier.h"

#include <gtest/gtest.h>

#include <sstream>
#include <vector>

#include "hitlgate/audit/json_lines.h"
#include "hitlgate/audit/payload.h"
#include "hitlgate/audit/purge.h"

namespace hitlgate::audit {
namespace {

TimePoint T(std::int64_t s) { return TimePoint(std::chrono::seconds(s)); }

// A valid chain of `n` records, seq 1..n.
std::vector<AuditRecord> Chain(int n) {
  std::vector<AuditRecord> out;
  std::string prev(kGenesisHash);
  for (int i = 1; i <= n; ++i) {
    AuditEntry e{i % 2 ? "claim" : "verdict", "k-rev" + std::to_string(i), "t-" + std::to_string(i),
                 PayloadBuilder().Int("i", i).Build()};
    out.push_back(Seal(e, i, T(1000 + i), prev));
    prev = out.back().hash;
  }
  return out;
}

VerifySummary Verify(const std::vector<AuditRecord>& records, VerifyOptions options = {},
                     std::vector<ChainProblem>* problems = nullptr) {
  SpanRecordSource src(records);
  return VerifyChain(src, options, [&](const ChainProblem& p) {
    if (problems) problems->push_back(p);
  });
}

void FlipBit(std::string& s, size_t byte = 0, int bit = 0) { s[byte] ^= static_cast<char>(1 << bit); }

TEST(VerifyChainTest, ValidChainVerifies) {
  auto chain = Chain(10);
  auto s = Verify(chain);
  EXPECT_TRUE(s.ok()) << s.detail;
  EXPECT_EQ(s.records_checked, 10);
  EXPECT_EQ(s.first_seq, 1);
  EXPECT_EQ(s.last_seq, 10);
  EXPECT_EQ(s.last_hash, chain.back().hash);
  EXPECT_EQ(s.problems_reported, 0);
}

TEST(VerifyChainTest, EmptyChainVerifies) {
  auto s = Verify({});
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.records_checked, 0);
}

struct FieldFlip {
  const char* name;
  void (*flip)(AuditRecord&);
};

class BitFlipTest : public ::testing::TestWithParam<FieldFlip> {};

TEST_P(BitFlipTest, FlipInRecordFiveIsReportedAtSeqFive) {
  auto chain = Chain(10);
  GetParam().flip(chain[4]);
  std::vector<ChainProblem> problems;
  auto s = Verify(chain, {}, &problems);
  EXPECT_EQ(s.problem, Problem::kChanged) << s.detail;
  EXPECT_EQ(s.first_bad_seq, 5) << s.detail;
  ASSERT_FALSE(problems.empty());
  EXPECT_EQ(problems.front().seq, 5);
  EXPECT_EQ(problems.size(), 1u) << "the verifier resyncs; record 6 still links to 5's stored hash";
  EXPECT_EQ(s.records_checked, 10);
}

INSTANTIATE_TEST_SUITE_P(
    AllFields, BitFlipTest,
    ::testing::Values(
        FieldFlip{"seq", [](AuditRecord& r) { r.seq ^= 1; }},
        FieldFlip{"seq_high", [](AuditRecord& r) { r.seq ^= std::int64_t{1} << 40; }},
        FieldFlip{"at", [](AuditRecord& r) { r.at += Duration(1); }},
        FieldFlip{"kind", [](AuditRecord& r) { FlipBit(r.kind, 2); }},
        FieldFlip{"actor", [](AuditRecord& r) { FlipBit(r.actor, 1, 3); }},
        FieldFlip{"subject", [](AuditRecord& r) { FlipBit(r.subject, 0, 6); }},
        FieldFlip{"payload", [](AuditRecord& r) { FlipBit(r.payload_json, 5); }},
        FieldFlip{"prev_hash", [](AuditRecord& r) { FlipBit(r.prev_hash, 63); }},
        FieldFlip{"hash", [](AuditRecord& r) { FlipBit(r.hash, 10); }}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(VerifyChainTest, DroppedRecordIsRemovedAtItsSeq) {
  auto chain = Chain(10);
  chain.erase(chain.begin() + 5);  // seq 6
  auto s = Verify(chain);
  EXPECT_EQ(s.problem, Problem::kRemoved);
  EXPECT_EQ(s.first_bad_seq, 6);
  EXPECT_EQ(s.problems_reported, 1);
}

TEST(VerifyChainTest, SeveralDroppedRecordsNameTheFirst) {
  auto chain = Chain(10);
  chain.erase(chain.begin() + 2, chain.begin() + 5);  // seq 3..5
  auto s = Verify(chain);
  EXPECT_EQ(s.problem, Problem::kRemoved);
  EXPECT_EQ(s.first_bad_seq, 3);
  EXPECT_NE(s.detail.find("3..5"), std::string::npos) << s.detail;
}

// A store that keeps each link as "the previous row's hash" (SQLite) reads
// an empty prev_hash where that row was deleted: the deletion is reported,
// not the record after it, whose hash can no longer be checked.
TEST(VerifyChainTest, DroppedRecordWhoseSuccessorLostItsLinkIsRemoved) {
  auto chain = Chain(10);
  chain.erase(chain.begin() + 5);  // seq 6
  chain[5].prev_hash.clear();      // seq 7, as such a store reads it
  std::vector<ChainProblem> problems;
  auto s = Verify(chain, {}, &problems);
  EXPECT_EQ(s.problem, Problem::kRemoved);
  EXPECT_EQ(s.first_bad_seq, 6);
  EXPECT_EQ(s.problems_reported, 1) << problems.back().detail;
}

TEST(VerifyChainTest, DroppedFirstRecordWhoseSuccessorLostItsLinkIsUnanchored) {
  auto chain = Chain(5);
  chain.erase(chain.begin());
  chain[0].prev_hash.clear();
  auto s = Verify(chain);
  EXPECT_EQ(s.problem, Problem::kUnanchored);
  EXPECT_EQ(s.first_bad_seq, 2);
  EXPECT_EQ(s.problems_reported, 1);
  // A partial range cannot vouch for its start, but a start whose link is
  // lost says the record before it is gone.
  s = Verify(chain, {.allow_unanchored_start = true});
  EXPECT_EQ(s.problem, Problem::kRemoved);
  EXPECT_EQ(s.first_bad_seq, 1);
}

TEST(VerifyChainTest, EmptyPrevHashWithoutAGapIsChanged) {
  auto chain = Chain(5);
  chain[2].prev_hash.clear();
  auto s = Verify(chain);
  EXPECT_EQ(s.problem, Problem::kChanged);
  EXPECT_EQ(s.first_bad_seq, 3);
}

TEST(VerifyChainTest, ForgedRecordInsertedWithAValidHashIsDetected) {
  auto chain = Chain(10);
  // A forger seals a plausible record 6 that links to 5 and slips it in.
  AuditRecord forged = Seal({"verdict", "k-evil", "t-6", "{}"}, 6, T(1006), chain[4].hash);
  chain.insert(chain.begin() + 5, forged);
  auto s = Verify(chain);
  EXPECT_EQ(s.problem, Problem::kInserted) << s.detail;
  EXPECT_EQ(s.first_bad_seq, 6);
}

TEST(VerifyChainTest, JunkRecordInsertedIsDetectedAtItsPosition) {
  auto chain = Chain(10);
  AuditRecord junk = Seal({"claim", "x", "y", "{}"}, 100, T(1), std::string(kGenesisHash));
  chain.insert(chain.begin() + 5, junk);
  auto s = Verify(chain);
  EXPECT_EQ(s.problem, Problem::kInserted) << s.detail;
  EXPECT_EQ(s.first_bad_seq, 6);
  EXPECT_EQ(s.problems_reported, 1);
}

TEST(VerifyChainTest, RecordInsertedWithBadHashIsChanged) {
  auto chain = Chain(10);
  AuditRecord junk = chain[2];
  junk.payload_json = R"({"i":99})";
  chain.insert(chain.begin() + 7, junk);
  auto s = Verify(chain);
  EXPECT_EQ(s.first_bad_seq, 8);
}

TEST(VerifyChainTest, SwappedRecordsAreReordered) {
  auto chain = Chain(10);
  std::swap(chain[4], chain[5]);  // 5 and 6
  auto s = Verify(chain);
  EXPECT_EQ(s.problem, Problem::kReordered) << s.detail;
  EXPECT_EQ(s.first_bad_seq, 5);
  EXPECT_EQ(s.problems_reported, 1);
}

TEST(VerifyChainTest, SwappedFirstRecordsAreDetected) {
  auto chain = Chain(10);
  std::swap(chain[0], chain[1]);
  auto s = Verify(chain);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.first_bad_seq, 1) << s.detail;
}

TEST(VerifyChainTest, TruncatedTailIsDetectedAgainstTheExpectedHead) {
  auto chain = Chain(10);
  ChainPoint head{10, chain.back().hash};
  chain.resize(7);
  auto s = Verify(chain, {.expected_head = head});
  EXPECT_EQ(s.problem, Problem::kTruncated);
  EXPECT_EQ(s.first_bad_seq, 8);
  // Without a head, a cut at a record boundary looks like a shorter chain.
  EXPECT_TRUE(Verify(chain).ok());
}

TEST(VerifyChainTest, ResealedTailIsDetectedAgainstTheExpectedHead) {
  auto chain = Chain(10);
  ChainPoint head{10, chain.back().hash};
  // The forger rewrites record 8 and re-seals everything after it.
  chain[7].payload_json = R"({"i":"forged"})";
  for (size_t i = 7; i < chain.size(); ++i) {
    AuditEntry e{chain[i].kind, chain[i].actor, chain[i].subject, chain[i].payload_json};
    chain[i] = Seal(e, chain[i].seq, chain[i].at, chain[i - 1].hash);
  }
  EXPECT_TRUE(Verify(chain).ok());
  auto s = Verify(chain, {.expected_head = head});
  EXPECT_EQ(s.problem, Problem::kChanged);
  EXPECT_EQ(s.first_bad_seq, 10);
}

TEST(VerifyChainTest, ResealedRecordBreaksTheNextLink) {
  auto chain = Chain(10);
  chain[4].payload_json = R"({"i":"forged"})";
  chain[4].hash = ComputeHash(chain[4]);
  auto s = Verify(chain);
  EXPECT_EQ(s.problem, Problem::kInserted);
  EXPECT_EQ(s.first_bad_seq, 6) << "record 6 no longer links to the rewritten 5";
}

TEST(VerifyChainTest, FirstRecordMustLinkToGenesis) {
  auto chain = Chain(3);
  chain[0] = Seal({"claim", "a", "b", "{}"}, 1, T(1), std::string(64, '1'));
  auto s = Verify(chain);
  EXPECT_EQ(s.first_bad_seq, 1);
}

// A chain whose records 1..3 were purged: record 11 is the purge anchor.
std::vector<AuditRecord> PurgedChain(bool correct_anchor) {
  auto chain = Chain(10);
  PurgeAnchor a{T(1004), 3, 4, correct_anchor ? chain[2].hash : std::string(64, 'f'), 183};
  chain.push_back(
      Seal({std::string(kinds::kAuditPurged), "system", "audit", EncodePurgePayload(a)}, 11,
           T(2000), chain.back().hash));
  chain.erase(chain.begin(), chain.begin() + 3);
  return chain;
}

TEST(VerifyChainTest, PurgedChainIsAnchoredByThePurgeRecord) {
  auto s = Verify(PurgedChain(true));
  EXPECT_TRUE(s.ok()) << s.detail;
  EXPECT_EQ(s.first_seq, 4);
}

TEST(VerifyChainTest, StartWithoutAnchorIsUnanchored) {
  auto bad = Verify(PurgedChain(false));
  EXPECT_EQ(bad.problem, Problem::kUnanchored);
  EXPECT_EQ(bad.first_bad_seq, 4);

  auto chain = Chain(10);
  chain.erase(chain.begin(), chain.begin() + 2);
  auto s = Verify(chain);
  EXPECT_EQ(s.problem, Problem::kUnanchored);
  EXPECT_EQ(s.first_bad_seq, 3);
  EXPECT_TRUE(Verify(chain, {.allow_unanchored_start = true}).ok());
}

TEST(VerifyChainTest, StartAfterCheckpoint) {
  auto full = Chain(10);
  std::vector<AuditRecord> tail(full.begin() + 5, full.end());
  EXPECT_TRUE(Verify(tail, {.start_after = ChainPoint{5, full[4].hash}}).ok());
  auto s = Verify(tail, {.start_after = ChainPoint{4, full[3].hash}});
  EXPECT_EQ(s.problem, Problem::kRemoved);
  EXPECT_EQ(s.first_bad_seq, 5);
  s = Verify(tail, {.start_after = ChainPoint{5, full[3].hash}});
  EXPECT_EQ(s.problem, Problem::kInserted);
  EXPECT_EQ(s.first_bad_seq, 6);
}

TEST(VerifyChainTest, IndependentProblemsAreAllReported) {
  auto chain = Chain(20);
  FlipBit(chain[3].payload_json, 3);  // seq 4
  chain.erase(chain.begin() + 14);    // seq 15
  std::vector<ChainProblem> problems;
  auto s = Verify(chain, {}, &problems);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].seq, 4);
  EXPECT_EQ(problems[1].seq, 15);
  EXPECT_EQ(problems[1].problem, Problem::kRemoved);
  EXPECT_EQ(s.first_bad_seq, 4);
}

TEST(VerifyChainTest, JsonLinesFileRoundTripVerifies) {
  auto chain = Chain(10);
  std::stringstream file;
  for (const auto& r : chain) file << EncodeJsonLine(r) << "\n";
  JsonLinesRecordSource src(file);
  auto s = VerifyChain(src);
  EXPECT_TRUE(s.ok()) << s.detail;
  EXPECT_EQ(s.records_checked, 10);
}

TEST(VerifyChainTest, TruncatedFileMidLineIsUnreadable) {
  auto chain = Chain(5);
  std::string text;
  for (const auto& r : chain) text += EncodeJsonLine(r) + "\n";
  text.resize(text.size() - 40);
  std::stringstream file(text);
  JsonLinesRecordSource src(file);
  auto s = VerifyChain(src);
  EXPECT_EQ(s.problem, Problem::kUnreadable);
  EXPECT_EQ(s.first_bad_seq, 5);
  EXPECT_NE(s.detail.find("line 5"), std::string::npos) << s.detail;
}

}  // namespace
}  // namespace hitlgate::audit
