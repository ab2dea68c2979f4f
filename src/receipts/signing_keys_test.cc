#include "hitlgate/receipts/signing_keys.h"

#include <sys/stat.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "hitlgate/common/time_format.h"
#include "testing/result_matchers.h"

namespace hitlgate::receipts {
namespace {

using ::hitlgate::testing::IsError;
using ::hitlgate::testing::IsOk;
using ::testing::HasSubstr;

TimePoint At(std::string_view t) { return *ParseRfc3339(t); }

class TempDir {
 public:
  TempDir() : path_(std::filesystem::temp_directory_path() / ("hitlgate-keys-" + std::to_string(getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(std::string_view name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

TEST(SigningKeysTest, FirstOpenMakesAKeyAndReopenLoadsTheSameOne) {
  TempDir dir;
  FileKeyStore store(dir.File("signing_keys.json"));
  auto random = crypto::MakeSystemRandom();
  auto first = SigningKeys::Open(store, *random, At("2026-11-23T09:00:00Z"));
  ASSERT_THAT(first, IsOk());
  const PublicKeyInfo key = (*first)->Current();
  EXPECT_THAT(key.key_id, ::testing::StartsWith("rk-"));
  EXPECT_EQ(key.public_key.size(), 64u);
  EXPECT_FALSE(key.not_after.has_value());

  struct stat st {};
  ASSERT_EQ(::stat(dir.File("signing_keys.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "the key file holds a secret seed";

  auto again = SigningKeys::Open(store, *random, At("2026-11-23T10:00:00Z"));
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ((*again)->Current(), key);
}

TEST(SigningKeysTest, RotationIsSavedAndErasesTheRetiredSeed) {
  MemoryKeyStore store;
  auto random = crypto::MakeSeededRandomForTest(1);
  auto keys = *SigningKeys::Open(store, *random, At("2026-11-23T09:00:00Z"));
  ASSERT_THAT(keys->Rotate(At("2026-11-23T12:00:00Z")), IsOk());
  auto saved = *store.Load();
  ASSERT_EQ(saved.size(), 2u);
  EXPECT_TRUE(saved[0].seed_hex.empty());
  EXPECT_EQ(saved[0].info.not_after, At("2026-11-23T12:00:00Z"));
  EXPECT_EQ(saved[1].info.not_before, At("2026-11-23T12:00:00Z"));
  EXPECT_EQ(saved[1].seed_hex.size(), 64u);
  EXPECT_EQ(keys->PublicKeys().back(), saved[1].info);
}

TEST(SigningKeysTest, RotationMustMoveForwardInTime) {
  MemoryKeyStore store;
  auto random = crypto::MakeSeededRandomForTest(1);
  auto keys = *SigningKeys::Open(store, *random, At("2026-11-23T09:00:00Z"));
  EXPECT_THAT(keys->Rotate(At("2026-11-23T09:00:00Z")), IsError(ErrorCode::kFailedPrecondition));
  EXPECT_EQ(keys->PublicKeys().size(), 1u);
}

TEST(SigningKeysTest, PublicKeyListRoundTripsWithoutSeeds) {
  MemoryKeyStore store;
  auto random = crypto::MakeSeededRandomForTest(1);
  auto keys = *SigningKeys::Open(store, *random, At("2026-11-23T09:00:00Z"));
  ASSERT_THAT(keys->Rotate(At("2026-11-24T09:00:00Z")), IsOk());
  const std::string json = EncodePublicKeys(keys->PublicKeys());
  EXPECT_THAT(json, Not(HasSubstr("seed")));
  auto back = DecodePublicKeys(json);
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(*back, keys->PublicKeys());
}

TEST(SigningKeysTest, PublicKeyListWithAKeyIdThatIsNotItsKeyIsRefused) {
  MemoryKeyStore store;
  auto random = crypto::MakeSeededRandomForTest(1);
  auto keys = *SigningKeys::Open(store, *random, At("2026-11-23T09:00:00Z"));
  std::string json = EncodePublicKeys(keys->PublicKeys());
  const std::string id = keys->Current().key_id;
  json.replace(json.find(id), id.size(), "rk-0000000000000000");
  EXPECT_THAT(DecodePublicKeys(json), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(DecodePublicKeys(R"({"keys":[{"key_id":"x"}],"more":1})"),
              IsError(ErrorCode::kInvalidArgument));
}

TEST(SigningKeysTest, KeyFileWhoseSeedDoesNotMatchIsRefused) {
  MemoryKeyStore store;
  auto random = crypto::MakeSeededRandomForTest(1);
  (void)*SigningKeys::Open(store, *random, At("2026-11-23T09:00:00Z"));
  auto saved = *store.Load();
  saved[0].seed_hex = std::string(64, '1');
  auto decoded = DecodeKeyFile(EncodeKeyFile(saved));
  EXPECT_THAT(decoded, IsError(ErrorCode::kInvalidArgument));
  if (!decoded) {
    EXPECT_THAT(decoded.error().message(), HasSubstr("'seed'"));
  }
}

TEST(SigningKeysTest, SignsWithTheKeyValidAtTheGivenTime) {
  MemoryKeyStore store;
  auto random = crypto::MakeSeededRandomForTest(1);
  auto keys = *SigningKeys::Open(store, *random, At("2026-11-23T09:00:00Z"));
  EXPECT_THAT(keys->SignAt(At("2026-11-23T08:00:00Z"), [](std::string_view) { return "m"; }),
              IsError(ErrorCode::kFailedPrecondition));
  auto sig = keys->SignAt(At("2026-11-23T10:00:00Z"), [](std::string_view) { return "m"; });
  ASSERT_THAT(sig, IsOk());
  EXPECT_EQ(sig->key_id, keys->Current().key_id);
}

}  // namespace
}  // namespace hitlgate::receipts
