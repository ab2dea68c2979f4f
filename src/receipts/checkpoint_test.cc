#include "hitlgate/receipts/checkpoint.h"

#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "hitlgate/common/time_format.h"
#include "testing/result_matchers.h"

namespace hitlgate::receipts {
namespace {

using ::hitlgate::testing::IsError;
using ::hitlgate::testing::IsOk;
using ::testing::HasSubstr;

TimePoint At(std::string_view t) { return *ParseRfc3339(t); }

std::vector<audit::AuditRecord> Chain(int n) {
  std::vector<audit::AuditRecord> out;
  std::string prev(audit::kGenesisHash);
  for (int i = 1; i <= n; ++i) {
    out.push_back(audit::Seal({"k", "a", "s" + std::to_string(i), "{}"}, i,
                              At("2026-11-23T09:00:00Z") + std::chrono::seconds(i), prev));
    prev = out.back().hash;
  }
  return out;
}

class CheckpointTest : public ::testing::Test {
 protected:
  CheckpointTest()
      : dir_(std::filesystem::temp_directory_path() / ("hitlgate-cp-" + std::to_string(getpid()))),
        random_(crypto::MakeSeededRandomForTest(3)) {
    std::filesystem::remove_all(dir_);
    keys_ = std::move(*SigningKeys::Open(key_store_, *random_, At("2026-11-23T09:00:00Z")));
  }
  ~CheckpointTest() override { std::filesystem::remove_all(dir_); }

  // Writes checkpoints after records 3, 5 and 8 of `records`.
  void WriteThree(const std::vector<audit::AuditRecord>& records) {
    auto w = CheckpointWriter::Open(dir_.string(), *keys_);
    ASSERT_THAT(w, IsOk());
    for (const auto& r : records) {
      ASSERT_THAT((*w)->Add(r), IsOk());
      if (r.seq == 3 || r.seq == 5 || r.seq == 8) {
        ASSERT_THAT((*w)->Write(r.at), IsOk());
      }
    }
  }
  std::vector<CheckpointFile> Files() { return *ReadCheckpointDir(dir_.string()); }
  void Rewrite(const std::string& name, const std::function<void(std::string&)>& edit) {
    std::string text;
    for (const auto& f : Files()) {
      if (f.name == name) text = f.text;
    }
    edit(text);
    std::ofstream((dir_ / name).string(), std::ios::binary | std::ios::trunc) << text;
  }

  std::filesystem::path dir_;
  MemoryKeyStore key_store_;
  std::unique_ptr<crypto::RandomSource> random_;
  std::unique_ptr<SigningKeys> keys_;
};

TEST_F(CheckpointTest, WrittenCheckpointsVerifyAndCertifyEveryRecord) {
  auto records = Chain(8);
  WriteThree(records);
  auto files = Files();
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].name, "checkpoint-000000000003.json");
  auto checked = VerifyCheckpoints(files, keys_->PublicKeys());
  EXPECT_TRUE(checked.problems.empty()) << checked.problems[0].detail;
  ASSERT_EQ(checked.certified_hashes.size(), 8u);
  for (const auto& r : records) EXPECT_EQ(checked.certified_hashes[r.seq - 1], r.hash);
  EXPECT_EQ(checked.valid.back().head_hash, records.back().hash);
}

TEST_F(CheckpointTest, EncodedCheckpointDecodesToTheSame) {
  WriteThree(Chain(8));
  for (const auto& f : Files()) {
    auto c = DecodeCheckpoint(f.text);
    ASSERT_THAT(c, IsOk());
    EXPECT_EQ(EncodeCheckpoint(*c) + "\n", f.text);
  }
  EXPECT_THAT(DecodeCheckpoint(R"({"format":"hitlgate.checkpoint.v1","seq":0})"),
              IsError(ErrorCode::kInvalidArgument));
}

TEST_F(CheckpointTest, AlteredListedHashIsRefusedByTheSignedRoot) {
  auto records = Chain(8);
  WriteThree(records);
  Rewrite("checkpoint-000000000005.json", [&](std::string& t) {
    const std::string& h = records[3].hash;  // seq 4, listed in the second file
    t.replace(t.find(h), h.size(), std::string(64, 'a'));
  });
  auto checked = VerifyCheckpoints(Files(), keys_->PublicKeys());
  ASSERT_EQ(checked.problems.size(), 1u);
  EXPECT_EQ(checked.problems[0].file, "checkpoint-000000000005.json");
  EXPECT_THAT(checked.problems[0].detail, HasSubstr("Merkle root"));
  EXPECT_EQ(checked.certified_hashes.size(), 3u) << "only the first checkpoint still certifies";
}

TEST_F(CheckpointTest, AlteredSignedFieldOrForeignKeyIsRefused) {
  WriteThree(Chain(8));
  Rewrite("checkpoint-000000000003.json", [](std::string& t) {
    t.replace(t.find("\"at\":\"2026-11-23T09:00:03"), 25, "\"at\":\"2026-11-23T09:00:04");
  });
  auto checked = VerifyCheckpoints(Files(), keys_->PublicKeys());
  ASSERT_EQ(checked.problems.size(), 1u);
  EXPECT_THAT(checked.problems[0].detail, HasSubstr("bad signature"));

  MemoryKeyStore other_store;
  auto other_random = crypto::MakeSeededRandomForTest(4);
  auto other = *SigningKeys::Open(other_store, *other_random, At("2026-11-23T09:00:00Z"));
  auto foreign = VerifyCheckpoints(Files(), other->PublicKeys());
  ASSERT_EQ(foreign.problems.size(), 1u);
  EXPECT_THAT(foreign.problems[0].detail, HasSubstr("unknown key"));
}

TEST_F(CheckpointTest, MissingCheckpointFileIsReported) {
  WriteThree(Chain(8));
  std::filesystem::remove(dir_ / "checkpoint-000000000005.json");
  auto checked = VerifyCheckpoints(Files(), keys_->PublicKeys());
  ASSERT_EQ(checked.problems.size(), 1u);
  EXPECT_EQ(checked.problems[0].file, "checkpoint-000000000008.json");
  EXPECT_THAT(checked.problems[0].detail, HasSubstr("missing"));
}

TEST_F(CheckpointTest, WriterResumesAfterTheExportedCheckpointsAndRefusesARewrittenLog) {
  auto records = Chain(10);
  WriteThree(std::vector(records.begin(), records.begin() + 8));
  auto w = CheckpointWriter::Open(dir_.string(), *keys_);
  ASSERT_THAT(w, IsOk());
  EXPECT_EQ((*w)->covered_seq(), 8);
  EXPECT_THAT((*w)->Add(records[7]), IsError(ErrorCode::kFailedPrecondition));
  auto forged = audit::Seal({"k", "a", "forged", "{}"}, 9, records[8].at, records[7].hash);
  forged.prev_hash = std::string(64, 'b');
  forged.hash = audit::ComputeHash(forged);
  EXPECT_THAT((*w)->Add(forged), IsError(ErrorCode::kFailedPrecondition));
  ASSERT_THAT((*w)->Add(records[8]), IsOk());
  ASSERT_THAT((*w)->Add(records[9]), IsOk());
  auto written = (*w)->Write(At("2026-11-23T10:00:00Z"));
  ASSERT_THAT(written, IsOk());
  ASSERT_TRUE(written->has_value());
  EXPECT_EQ((*written)->first_leaf_seq, 9);
  auto nothing = (*w)->Write(At("2026-11-23T10:01:00Z"));
  ASSERT_THAT(nothing, IsOk());
  EXPECT_FALSE(nothing->has_value());
  EXPECT_EQ(VerifyCheckpoints(Files(), keys_->PublicKeys()).certified_hashes.size(), 10u);
}

TEST_F(CheckpointTest, WriterFedLinksRefusesOneThatDoesNotContinueTheChain) {
  auto records = Chain(3);
  auto w = CheckpointWriter::Open(dir_.string(), *keys_);
  ASSERT_THAT(w, IsOk());
  auto link = [](const audit::AuditRecord& r) {
    return audit::AuditLink{r.seq, r.prev_hash, r.hash};
  };
  ASSERT_THAT((*w)->Add(link(records[0])), IsOk());
  EXPECT_THAT((*w)->Add(audit::AuditLink{2, std::string(64, 'b'), records[1].hash}),
              IsError(ErrorCode::kFailedPrecondition));
  EXPECT_THAT((*w)->Add(audit::AuditLink{2, records[1].prev_hash, "not a hash"}),
              IsError(ErrorCode::kFailedPrecondition));
  EXPECT_THAT((*w)->Add(link(records[2])),
              IsError(ErrorCode::kFailedPrecondition));  // skips record 2
  ASSERT_THAT((*w)->Add(link(records[1])), IsOk());
  ASSERT_THAT((*w)->Add(link(records[2])), IsOk());
  ASSERT_THAT((*w)->Write(At("2026-11-23T10:00:00Z")), IsOk());
  // The same checkpoint as one built from the whole records.
  EXPECT_EQ(VerifyCheckpoints(Files(), keys_->PublicKeys()).certified_hashes,
            (std::vector<std::string>{records[0].hash, records[1].hash, records[2].hash}));
}

TEST_F(CheckpointTest, ResealedRewriteBeforeACheckpointIsNamedAtTheRewrittenRecord) {
  auto records = Chain(8);
  WriteThree(records);
  // Record 4 rewritten and the chain recomputed from there: every link holds.
  auto rewritten = records;
  rewritten[3].payload_json = R"({"amount":1})";
  for (size_t i = 3; i < rewritten.size(); ++i) {
    if (i > 3) rewritten[i].prev_hash = rewritten[i - 1].hash;
    rewritten[i].hash = audit::ComputeHash(rewritten[i]);
  }
  audit::SpanRecordSource alone(rewritten);
  EXPECT_TRUE(audit::VerifyChain(alone).ok()) << "without checkpoints the rewrite is invisible";
  audit::SpanRecordSource source(rewritten);
  LogCheck check = VerifyLogWithCheckpoints(source, Files(), keys_->PublicKeys(), {});
  EXPECT_FALSE(check.ok());
  EXPECT_EQ(check.chain.first_bad_seq, 4);
  EXPECT_EQ(check.chain.problem, audit::Problem::kChanged);
  EXPECT_THAT(check.chain.detail, HasSubstr("signed checkpoints"));
}

TEST_F(CheckpointTest, ChainCutBeforeTheLastCheckpointIsTruncated) {
  auto records = Chain(8);
  WriteThree(records);
  records.resize(6);
  audit::SpanRecordSource source(records);
  LogCheck check = VerifyLogWithCheckpoints(source, Files(), keys_->PublicKeys(), {});
  EXPECT_EQ(check.chain.problem, audit::Problem::kTruncated);
  EXPECT_EQ(check.chain.first_bad_seq, 7);
}

}  // namespace
}  // namespace hitlgate::receipts
