#include "hitlgate/crypto/hash.h"

#include <gtest/gtest.h>

namespace hitlgate::crypto {
namespace {

TEST(HashTest, Sha256MatchesKnownVector) {
  // FIPS 180-2 test vector for "abc".
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace hitlgate::crypto
