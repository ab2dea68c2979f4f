#include "hitlgate/crypto/sealed_secret.h"

#include <gtest/gtest.h>

namespace hitlgate::crypto {
namespace {

constexpr std::string_view kPepper = "pepper-0123456789abcdef0123456789";

TEST(SealedSecretTest, OpensToThePlaintextAndDoesNotContainIt) {
  auto random = MakeSeededRandomForTest(7);
  const std::string sealed = SealSecret(kPepper, "retail-bot", "whsec-marker-123456", *random);
  EXPECT_TRUE(IsSealedSecret(sealed));
  EXPECT_EQ(sealed.find("whsec-marker"), std::string::npos);
  auto opened = OpenSecret(kPepper, "retail-bot", sealed);
  ASSERT_TRUE(opened.has_value()) << opened.error().ToString();
  EXPECT_EQ(*opened, "whsec-marker-123456");
}

TEST(SealedSecretTest, TwoSealsOfOneSecretDiffer) {
  auto random = MakeSeededRandomForTest(7);
  EXPECT_NE(SealSecret(kPepper, "w", "same-secret-value", *random), SealSecret(kPepper, "w", "same-secret-value", *random));
}

TEST(SealedSecretTest, AnotherPepperOrOwnerOrDamageDoesNotOpen) {
  auto random = MakeSeededRandomForTest(7);
  const std::string sealed = SealSecret(kPepper, "retail-bot", "whsec-marker-123456", *random);
  EXPECT_FALSE(OpenSecret("another-pepper-0123456789abcdef012", "retail-bot", sealed).has_value());
  EXPECT_FALSE(OpenSecret(kPepper, "billing-bot", sealed).has_value());
  std::string damaged = sealed;
  damaged.back() = damaged.back() == '0' ? '1' : '0';
  EXPECT_FALSE(OpenSecret(kPepper, "retail-bot", damaged).has_value());
  EXPECT_FALSE(OpenSecret(kPepper, "retail-bot", "sealed1:zz").has_value());
  EXPECT_FALSE(OpenSecret(kPepper, "retail-bot", "sealed1:00").has_value());
}

TEST(SealedSecretTest, ASecretStoredBeforeSealingIsReadAsItIs) {
  auto opened = OpenSecret(kPepper, "retail-bot", "plain-old-secret-1234");
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(*opened, "plain-old-secret-1234");
}

}  // namespace
}  // namespace hitlgate::crypto
