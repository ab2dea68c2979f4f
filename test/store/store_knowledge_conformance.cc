// Store conformance: agent assist knowledge versions (docs/assist.md), for
// every backend that lists this file among its test sources.
#include "store/store_conformance.h"
#include "testing/result_matchers.h"

namespace hitlgate::store {
namespace {

using ::hitlgate::testing::IsError;
using ::hitlgate::testing::IsOk;
using std::chrono::minutes;

std::vector<std::string> KindsSince(Store& s, std::int64_t from) {
  std::vector<std::string> out;
  if (auto recs = s.ReadAudit(from, 1000)) {
    for (const auto& r : *recs) out.push_back(r.kind);
  }
  return out;
}

KnowledgeVersion Version(std::string id, std::string document, TimePoint at) {
  return KnowledgeVersion{std::move(id), std::move(document), "admin", at, 2, 3};
}

}  // namespace

TEST_P(StoreConformanceTest, KnowledgeVersionsUploadActivateRollBack) {
  const KnowledgeVersion v1 = Version("sha256:k1", R"({"format":"a"})", t0_);
  const KnowledgeVersion v2 = Version("sha256:k2", R"({"format":"b"})", t0_ + minutes(1));
  EXPECT_THAT(store_->GetActiveKnowledge(), IsError(ErrorCode::kNotFound));
  const std::int64_t start = HeadSeq();
  ASSERT_THAT(store_->SaveKnowledgeVersion(v1), IsOk());
  ASSERT_THAT(store_->SaveKnowledgeVersion(v2), IsOk());
  ASSERT_THAT(store_->ActivateKnowledge(v1.id, "admin", t0_ + minutes(2)), IsOk());
  ASSERT_THAT(store_->ActivateKnowledge(v2.id, "admin", t0_ + minutes(3)), IsOk());
  EXPECT_EQ(store_->GetActiveKnowledge()->version, v2);
  // Rolling back is activating the older one again.
  ASSERT_THAT(store_->ActivateKnowledge(v1.id, "ops", t0_ + minutes(4)), IsOk());
  auto active = store_->GetActiveKnowledge();
  ASSERT_THAT(active, IsOk());
  EXPECT_EQ(active->version, v1) << "the document comes back as stored";
  EXPECT_TRUE(active->active);
  EXPECT_EQ(active->activated_at, t0_ + minutes(4));
  EXPECT_EQ(active->activated_by, "ops");

  auto list = store_->ListKnowledgeVersions();
  ASSERT_THAT(list, IsOk());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].version.id, v2.id) << "newest upload first";
  EXPECT_FALSE((*list)[0].active);
  EXPECT_EQ((*list)[0].activated_at, t0_ + minutes(3));
  EXPECT_EQ((*list)[0].activated_by, "admin");
  EXPECT_EQ((*list)[0].version.procedures, 2);
  EXPECT_EQ((*list)[0].version.articles, 3);
  EXPECT_EQ((*list)[0].version.document_json, "") << "lists leave the documents out";
  EXPECT_TRUE((*list)[1].active);

  auto older = store_->GetKnowledgeVersion(v2.id);
  ASSERT_THAT(older, IsOk());
  EXPECT_EQ(older->version, v2);
  EXPECT_FALSE(older->active);
  EXPECT_THAT(KindsSince(*store_, start + 1),
              ::testing::ElementsAre("knowledge_uploaded", "knowledge_uploaded", "knowledge_activated",
                                     "knowledge_activated", "knowledge_activated"));
  auto records = store_->ReadAudit(start + 5, 1);
  ASSERT_THAT(records, IsOk());
  EXPECT_EQ(records->front().actor, "ops");
  EXPECT_EQ(records->front().subject, v1.id);
  EXPECT_NE(records->front().payload_json.find(v2.id), std::string::npos) << "names the version it replaced";
}

TEST_P(StoreConformanceTest, KnowledgeVersionNeverActivatedIsInactive) {
  ASSERT_THAT(store_->SaveKnowledgeVersion(Version("sha256:k1", "{}", t0_)), IsOk());
  EXPECT_THAT(store_->GetActiveKnowledge(), IsError(ErrorCode::kNotFound));
  auto info = store_->GetKnowledgeVersion("sha256:k1");
  ASSERT_THAT(info, IsOk());
  EXPECT_FALSE(info->active);
  EXPECT_FALSE(info->activated_at.has_value());
  EXPECT_EQ(info->activated_by, "");
}

TEST_P(StoreConformanceTest, KnowledgeVersionSavedTwiceWritesOnceAndClashIsRefused) {
  const KnowledgeVersion v1 = Version("sha256:k1", R"({"a":1})", t0_);
  ASSERT_THAT(store_->SaveKnowledgeVersion(v1), IsOk());
  const std::int64_t head = HeadSeq();
  EXPECT_THAT(store_->SaveKnowledgeVersion(v1), IsOk()) << "same document: nothing to do";
  KnowledgeVersion clash = v1;
  clash.document_json = R"({"a":2})";
  EXPECT_THAT(store_->SaveKnowledgeVersion(clash), IsError(ErrorCode::kAlreadyExists));
  EXPECT_EQ(HeadSeq(), head) << "neither wrote an audit record";
  EXPECT_EQ(store_->GetKnowledgeVersion(v1.id)->version.document_json, v1.document_json);
}

TEST_P(StoreConformanceTest, KnowledgeBadVersionsChangeNothing) {
  const std::int64_t head = HeadSeq();
  EXPECT_THAT(store_->SaveKnowledgeVersion(Version("", "{}", t0_)), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(store_->SaveKnowledgeVersion(Version("sha256:k1", "", t0_)), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(store_->ActivateKnowledge("sha256:nope", "admin", t0_), IsError(ErrorCode::kNotFound));
  EXPECT_THAT(store_->GetKnowledgeVersion("sha256:nope"), IsError(ErrorCode::kNotFound));
  EXPECT_EQ(HeadSeq(), head);
  EXPECT_TRUE(store_->ListKnowledgeVersions()->empty());
}

}  // namespace hitlgate::store
