#include "hitlgate/audit/merkle.h"

#include <gtest/gtest.h>

namespace hitlgate::audit {
namespace {

std::vector<MerkleHash> Leaves(int n) {
  std::vector<MerkleHash> out;
  for (int i = 0; i < n; ++i) out.push_back(*MerkleLeaf(crypto::Sha256Hex("record " + std::to_string(i))));
  return out;
}

TEST(MerkleTest, HashesLeavesAndNodesWithDistinctPrefixes) {
  const std::string rec = crypto::Sha256Hex("r");
  auto raw = *MerkleFromHex(rec);
  std::string leaf_input(1, '\0');
  leaf_input.append(reinterpret_cast<const char*>(raw.data()), raw.size());
  EXPECT_EQ(*MerkleLeaf(rec), crypto::Sha256(leaf_input));
  std::string node_input(1, '\1');
  node_input.append(reinterpret_cast<const char*>(raw.data()), raw.size());
  node_input.append(reinterpret_cast<const char*>(raw.data()), raw.size());
  EXPECT_EQ(MerkleNode(raw, raw), crypto::Sha256(node_input));
  EXPECT_FALSE(MerkleLeaf("not hex").has_value());
}

TEST(MerkleTest, RootSplitsAtTheLargestPowerOfTwoBelowTheSize) {
  auto l = Leaves(7);
  // RFC 6962: MTH(7) = H(MTH(0..4), H(MTH(4..6), leaf 6)).
  MerkleHash left = MerkleNode(MerkleNode(l[0], l[1]), MerkleNode(l[2], l[3]));
  MerkleHash right = MerkleNode(MerkleNode(l[4], l[5]), l[6]);
  EXPECT_EQ(MerkleRoot(l), MerkleNode(left, right));
  EXPECT_EQ(MerkleRoot(std::span(l).first(1)), l[0]);
  EXPECT_EQ(MerkleRoot({}), crypto::Sha256(""));
}

TEST(MerkleTest, FrontierGivesTheSameRootAsTheWholeTreeAtEverySize) {
  auto l = Leaves(70);
  MerkleFrontier f;
  EXPECT_EQ(f.Root(), MerkleRoot({}));
  for (size_t n = 1; n <= l.size(); ++n) {
    f.Append(l[n - 1]);
    ASSERT_EQ(f.Root(), MerkleRoot(std::span(l).first(n))) << n;
  }
}

TEST(MerkleTest, EveryInclusionProofVerifiesForEveryTreeSize) {
  auto l = Leaves(33);
  for (size_t n = 1; n <= l.size(); ++n) {
    auto tree = std::span<const MerkleHash>(l).first(n);
    const MerkleHash root = MerkleRoot(tree);
    for (size_t i = 0; i < n; ++i) {
      auto proof = InclusionProof(tree, i);
      ASSERT_TRUE(VerifyInclusion(l[i], i, n, proof, root)) << "leaf " << i << " of " << n;
    }
  }
}

TEST(MerkleTest, InclusionProofFailsForAnotherLeafIndexRootOrSize) {
  auto l = Leaves(13);
  const MerkleHash root = MerkleRoot(l);
  auto proof = InclusionProof(l, 5);
  EXPECT_TRUE(VerifyInclusion(l[5], 5, 13, proof, root));
  EXPECT_FALSE(VerifyInclusion(l[6], 5, 13, proof, root));
  EXPECT_FALSE(VerifyInclusion(l[5], 4, 13, proof, root));
  EXPECT_FALSE(VerifyInclusion(l[5], 5, 8, proof, root));
  EXPECT_FALSE(VerifyInclusion(l[5], 5, 6, proof, root));
  EXPECT_FALSE(VerifyInclusion(l[5], 5, 13, proof, MerkleRoot(std::span(l).first(12))));
  EXPECT_FALSE(VerifyInclusion(l[5], 13, 13, proof, root));
  proof.pop_back();
  EXPECT_FALSE(VerifyInclusion(l[5], 5, 13, proof, root));
}

}  // namespace
}  // namespace hitlgate::audit
