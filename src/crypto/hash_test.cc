#include <gtest/gtest.h>

#include "hitlgate/crypto/hash.h"
#include "hitlgate/crypto/mac.h"
#include "hitlgate/crypto/random.h"

namespace hitlgate::crypto {
namespace {

TEST(HashTest, Sha256MatchesKnownVector) {
  // FIPS 180-2 test vector for "abc".
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(MacTest, HmacSha256MatchesRfc4231Case2) {
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(MacTest, KeyedHashDependsOnKeyAndMessage) {
  std::string a = KeyedHashHex("pepper-1", "secret");
  EXPECT_EQ(a.size(), 64u);
  EXPECT_EQ(a, KeyedHashHex("pepper-1", "secret"));
  EXPECT_NE(a, KeyedHashHex("pepper-2", "secret"));
  EXPECT_NE(a, KeyedHashHex("pepper-1", "secret2"));
}

TEST(MacTest, ConstantTimeEqualsComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

TEST(RandomTest, SeededSourceIsReproducibleAndSystemSourceVaries) {
  auto a = MakeSeededRandomForTest(7);
  auto b = MakeSeededRandomForTest(7);
  std::string first = a->Hex(16);
  EXPECT_EQ(first, b->Hex(16));
  EXPECT_NE(first, a->Hex(16));  // successive draws differ
  auto sys = MakeSystemRandom();
  EXPECT_NE(sys->Hex(16), sys->Hex(16));
}

}  // namespace
}  // namespace hitlgate::crypto
