#include "hitlgate/audit/merkle.h"

#include <bit>

#include "hitlgate/audit/record.h"
#include "hitlgate/common/check.h"

namespace hitlgate::audit {
namespace {

MerkleHash Hash(std::uint8_t prefix, std::span<const std::uint8_t> a, std::span<const std::uint8_t> b = {}) {
  std::string buf;
  buf.reserve(1 + a.size() + b.size());
  buf.push_back(static_cast<char>(prefix));
  buf.append(reinterpret_cast<const char*>(a.data()), a.size());
  buf.append(reinterpret_cast<const char*>(b.data()), b.size());
  return crypto::Sha256(buf);
}

// The largest power of two strictly below n (n >= 2).
std::uint64_t SplitPoint(std::uint64_t n) { return std::bit_floor(n - 1); }

void Path(std::span<const MerkleHash> leaves, std::uint64_t index, std::vector<MerkleHash>* out) {
  if (leaves.size() <= 1) return;
  const std::uint64_t k = SplitPoint(leaves.size());
  if (index < k) {
    Path(leaves.first(k), index, out);
    out->push_back(MerkleRoot(leaves.subspan(k)));
  } else {
    Path(leaves.subspan(k), index - k, out);
    out->push_back(MerkleRoot(leaves.first(k)));
  }
}

}  // namespace

std::optional<MerkleHash> MerkleFromHex(std::string_view hex) {
  if (!IsHashHex(hex)) return std::nullopt;
  MerkleHash h{};
  for (size_t i = 0; i < h.size(); ++i) {
    auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
    h[i] = static_cast<std::uint8_t>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
  }
  return h;
}

std::string MerkleHex(const MerkleHash& h) { return crypto::ToHex(h.data(), h.size()); }

std::optional<MerkleHash> MerkleLeaf(std::string_view record_hash_hex) {
  auto raw = MerkleFromHex(record_hash_hex);
  if (!raw) return std::nullopt;
  return Hash(0x00, *raw);
}

MerkleHash MerkleNode(const MerkleHash& left, const MerkleHash& right) { return Hash(0x01, left, right); }

MerkleHash MerkleRoot(std::span<const MerkleHash> leaves) {
  if (leaves.empty()) return crypto::Sha256("");
  if (leaves.size() == 1) return leaves[0];
  const std::uint64_t k = SplitPoint(leaves.size());
  return MerkleNode(MerkleRoot(leaves.first(k)), MerkleRoot(leaves.subspan(k)));
}

std::vector<MerkleHash> InclusionProof(std::span<const MerkleHash> leaves, std::uint64_t index) {
  // A caller's bug, not input: provers check the seq against the log first.
  HITLGATE_CHECK(index < leaves.size(), "inclusion proof for a leaf outside the tree");
  std::vector<MerkleHash> out;
  Path(leaves, index, &out);
  return out;
}

bool VerifyInclusion(const MerkleHash& leaf, std::uint64_t index, std::uint64_t tree_size,
                     std::span<const MerkleHash> proof, const MerkleHash& root) {
  if (index >= tree_size) return false;
  std::uint64_t fn = index, sn = tree_size - 1;
  MerkleHash r = leaf;
  for (const MerkleHash& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      r = MerkleNode(p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = MerkleNode(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

void MerkleFrontier::Append(const MerkleHash& leaf) {
  stack_.push_back({1, leaf});
  ++size_;
  while (stack_.size() >= 2 && stack_[stack_.size() - 2].size == stack_.back().size) {
    Subtree right = stack_.back();
    stack_.pop_back();
    stack_.back().hash = MerkleNode(stack_.back().hash, right.hash);
    stack_.back().size *= 2;
  }
}

MerkleHash MerkleFrontier::Root() const {
  if (stack_.empty()) return crypto::Sha256("");
  MerkleHash r = stack_.back().hash;
  for (size_t i = stack_.size() - 1; i-- > 0;) r = MerkleNode(stack_[i].hash, r);
  return r;
}

}  // namespace hitlgate::audit
