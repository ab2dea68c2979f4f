#include "hitlgate/crypto/sign.h"

#include <gtest/gtest.h>

#include "hitlgate/crypto/hash.h"

namespace hitlgate::crypto {
namespace {

Ed25519Seed SeedFromHex(std::string_view hex) {
  Ed25519Seed s{};
  EXPECT_TRUE(FromHexExact(hex, &s));
  return s;
}

TEST(Ed25519Test, MatchesRfc8032TestVector1) {
  // RFC 8032, section 7.1, TEST 1 (empty message).
  auto key = Ed25519FromSeed(
      SeedFromHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  EXPECT_EQ(ToHex(key.public_key.data(), key.public_key.size()),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  auto sig = Ed25519Sign(key, "");
  EXPECT_EQ(ToHex(sig.data(), sig.size()),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  EXPECT_TRUE(Ed25519Verify(key.public_key, "", sig));
}

TEST(Ed25519Test, RefusesAChangedMessageOrAnotherKey) {
  auto a = Ed25519FromSeed(Ed25519Seed{1});
  auto b = Ed25519FromSeed(Ed25519Seed{2});
  auto sig = Ed25519Sign(a, "refund 100 USD");
  EXPECT_TRUE(Ed25519Verify(a.public_key, "refund 100 USD", sig));
  EXPECT_FALSE(Ed25519Verify(a.public_key, "refund 900 USD", sig));
  EXPECT_FALSE(Ed25519Verify(b.public_key, "refund 100 USD", sig));
  sig[10] ^= 1;
  EXPECT_FALSE(Ed25519Verify(a.public_key, "refund 100 USD", sig));
}

TEST(HexTest, FromHexRejectsOddLengthsAndNonHex) {
  EXPECT_EQ(FromHex("0aFf"), (std::vector<std::uint8_t>{0x0a, 0xff}));
  EXPECT_FALSE(FromHex("abc").has_value());
  EXPECT_FALSE(FromHex("zz").has_value());
  std::array<std::uint8_t, 2> two{};
  EXPECT_FALSE(FromHexExact("aabbcc", &two));
}

}  // namespace
}  // namespace hitlgate::crypto
