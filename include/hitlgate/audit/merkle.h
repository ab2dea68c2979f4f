// A Merkle tree over the audit log's records, hashed as in RFC 6962
// (Certificate Transparency): the leaves are the records' hashes in seq
// order, leaf = SHA-256(0x00 || record hash), node = SHA-256(0x01 || left ||
// right), and a tree of n leaves splits at the largest power of two below n.
// A signed checkpoint carries the root of the first n records; an auditor
// then proves that one record is in the log (an inclusion proof of about
// log2(n) hashes) without reading the log. docs/audit-format.md,
// "Checkpoints". Pure functions and value types; thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hitlgate/crypto/hash.h"

namespace hitlgate::audit {

using MerkleHash = crypto::Sha256Digest;

// The leaf of a record whose hash is `record_hash_hex` (64 hex digits);
// nullopt when it is not such a hash.
std::optional<MerkleHash> MerkleLeaf(std::string_view record_hash_hex);
MerkleHash MerkleNode(const MerkleHash& left, const MerkleHash& right);

// The root over `leaves` (already leaf-hashed); SHA-256("") for none.
MerkleHash MerkleRoot(std::span<const MerkleHash> leaves);

// The audit path of leaf `index` in the tree of all `leaves` (RFC 6962
// section 2.1.1), nearest sibling first. Requires index < leaves.size().
std::vector<MerkleHash> InclusionProof(std::span<const MerkleHash> leaves, std::uint64_t index);

// True when `proof` shows that `leaf` sits at `index` in a tree of
// `tree_size` leaves with root `root` (RFC 9162 section 2.1.3.2).
bool VerifyInclusion(const MerkleHash& leaf, std::uint64_t index, std::uint64_t tree_size,
                     std::span<const MerkleHash> proof, const MerkleHash& root);

// The root of a growing tree without keeping its leaves: one hash per set
// bit of the size (the perfect subtrees along its right edge).
class MerkleFrontier {
 public:
  void Append(const MerkleHash& leaf);
  std::uint64_t size() const { return size_; }
  MerkleHash Root() const;

 private:
  struct Subtree {
    std::uint64_t size;
    MerkleHash hash;
  };
  std::vector<Subtree> stack_;  // left to right, strictly decreasing sizes
  std::uint64_t size_ = 0;
};

std::string MerkleHex(const MerkleHash& h);
std::optional<MerkleHash> MerkleFromHex(std::string_view hex);

}  // namespace hitlgate::audit
