#include "hitlgate/audit/record.h"

#include <gtest/gtest.h>

#include "hitlgate/audit/payload.h"

namespace hitlgate::audit {
namespace {

TimePoint T(std::int64_t us) { return TimePoint(Duration(us)); }

AuditRecord Sample() {
  return Seal({"claim", "k-rev1", "t-0001", R"({"lease_id":"l-1"})"}, 7, T(1'800'000'000'000'250),
              std::string(kGenesisHash));
}

TEST(AuditRecordTest, SealComputesHashOverAllFields) {
  AuditRecord r = Sample();
  EXPECT_EQ(r.seq, 7);
  EXPECT_EQ(r.kind, "claim");
  EXPECT_TRUE(IsHashHex(r.hash));
  EXPECT_EQ(r.hash, ComputeHash(r));
  EXPECT_EQ(Sample().hash, r.hash) << "sealing is deterministic";
}

TEST(AuditRecordTest, EveryFieldChangesTheHash) {
  const AuditRecord base = Sample();
  auto differs = [&](auto mutate) {
    AuditRecord r = base;
    mutate(r);
    return ComputeHash(r) != base.hash;
  };
  EXPECT_TRUE(differs([](AuditRecord& r) { r.seq += 1; }));
  EXPECT_TRUE(differs([](AuditRecord& r) { r.at += Duration(1); }));
  EXPECT_TRUE(differs([](AuditRecord& r) { r.kind = "claim2"; }));
  EXPECT_TRUE(differs([](AuditRecord& r) { r.actor = "k-rev2"; }));
  EXPECT_TRUE(differs([](AuditRecord& r) { r.subject = "t-0002"; }));
  EXPECT_TRUE(differs([](AuditRecord& r) { r.payload_json = "{}"; }));
  EXPECT_TRUE(differs([](AuditRecord& r) { r.prev_hash[0] = '1'; }));
  EXPECT_FALSE(differs([](AuditRecord& r) { r.hash = "x"; })) << "hash is not its own input";
}

TEST(AuditRecordTest, LengthPrefixesMakeFieldBoundariesUnambiguous) {
  AuditRecord a = Seal({"ab", "c", "", "{}"}, 1, T(0), std::string(kGenesisHash));
  AuditRecord b = Seal({"a", "bc", "", "{}"}, 1, T(0), std::string(kGenesisHash));
  EXPECT_NE(a.hash, b.hash);
}

TEST(AuditRecordTest, EncodingMatchesTheDocumentedLayout) {
  AuditRecord r = Seal({"k", "a", "s", "{}"}, 1, T(2), std::string(kGenesisHash));
  std::string enc = EncodeForHash(r);
  // 8+17 domain, 8 seq, 8 at, 8+1 kind, 8+1 actor, 8+1 subject, 8+2 payload, 8+64 prev.
  EXPECT_EQ(enc.size(), 25u + 8 + 8 + 9 + 9 + 9 + 10 + 72);
  EXPECT_EQ(enc.substr(0, 8), std::string("\0\0\0\0\0\0\0\x11", 8));
  EXPECT_EQ(enc.substr(8, 17), "hitlgate.audit.v1");
  EXPECT_EQ(enc.substr(25, 8), std::string("\0\0\0\0\0\0\0\x01", 8));
  EXPECT_EQ(enc.substr(33, 8), std::string("\0\0\0\0\0\0\0\x02", 8));
}

TEST(AuditRecordTest, IsHashHexAcceptsOnlyLowerHex64) {
  EXPECT_TRUE(IsHashHex(kGenesisHash));
  EXPECT_FALSE(IsHashHex(std::string(63, 'a')));
  EXPECT_FALSE(IsHashHex(std::string(64, 'A')));
  EXPECT_FALSE(IsHashHex(std::string(64, 'g')));
}

TEST(PayloadBuilderTest, SortsKeysAndEscapes) {
  std::string p = PayloadBuilder()
                      .Str("z", "quote\" nl\n ctl\x01")
                      .Int("a", -5)
                      .Bool("m", true)
                      .Strs("b", {"x", "y"})
                      .Raw("c", R"({"k":1})")
                      .Time("t", T(1'000'001))
                      .Build();
  EXPECT_EQ(p, R"({"a":-5,"b":["x","y"],"c":{"k":1},"m":true,"t":"1970-01-01T00:00:01.000001Z",)"
               R"("z":"quote\" nl\n ctl\u0001"})");
}

TEST(PayloadBuilderTest, LastValueOfARepeatedKeyWins) {
  EXPECT_EQ(PayloadBuilder().Int("a", 1).Int("a", 2).Build(), R"({"a":2})");
  EXPECT_EQ(PayloadBuilder().Build(), "{}");
}

}  // namespace
}  // namespace hitlgate::audit
