// WordIndex: a set (or map to a small value) of words, looked up by a 64-bit
// hash with open addressing: a handful of probes, no allocation, no string
// compare. Used for the per-word lookups of the signals hot path, where
// std::unordered_map's hashing and bucket chains cost too much per word.
// Equal hashes are taken as equal words: with 48 bits and a few hundred
// entries a collision is vanishingly unlikely, and at worst a word is
// treated as known. Built once, then read-only: thread-safe.
// Internal to src/signals.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace hitlgate::signals::internal {

inline std::uint64_t HashWord(std::string_view w) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a, then a final mix
  for (unsigned char c : w) {
    h ^= c;
    h *= 1099511628211ull;
  }
  h ^= h >> 29;
  h *= 0x9E3779B97F4A7C15ull;
  h ^= h >> 32;
  return h | 1;  // 0 marks an empty slot
}

class WordIndex {
 public:
  static constexpr std::uint32_t kAbsent = 0xFFFFFFFFu;

  void Reserve(std::size_t entries) {
    std::size_t size = 16;
    while (size < entries * 2) size *= 2;  // load below 1/2: short probes
    slots_.assign(size, 0);
    mask_ = size - 1;
  }
  // The first value (below 65,535) added for a word wins.
  void Add(std::string_view word, std::uint32_t value) {
    const std::uint64_t key = Key(HashWord(word));
    std::uint64_t i = (key >> 16) & mask_;
    while (slots_[i] != 0) {
      if ((slots_[i] & kKeyMask) == key) return;
      i = (i + 1) & mask_;
    }
    slots_[i] = key | (value & 0xFFFF);
  }
  std::uint32_t Find(std::string_view word) const { return FindHash(HashWord(word)); }
  // With the word's HashWord() computed once by a caller that asks several
  // indexes about the same word.
  std::uint32_t FindHash(std::uint64_t hash) const {
    if (slots_.empty()) return kAbsent;
    const std::uint64_t key = Key(hash);
    for (std::uint64_t i = (key >> 16) & mask_; slots_[i] != 0; i = (i + 1) & mask_) {
      if ((slots_[i] & kKeyMask) == key) return static_cast<std::uint32_t>(slots_[i] & 0xFFFF);
    }
    return kAbsent;
  }
  bool Contains(std::string_view word) const { return Find(word) != kAbsent; }
  bool ContainsHash(std::uint64_t hash) const { return FindHash(hash) != kAbsent; }

 private:
  // One 8-byte slot: the hash's top 48 bits (never 0) and a 16-bit value,
  // so a few hundred words fit in a few kilobytes of cache.
  static constexpr std::uint64_t kKeyMask = ~std::uint64_t{0xFFFF};
  static std::uint64_t Key(std::uint64_t hash) {
    const std::uint64_t key = hash & kKeyMask;
    return key != 0 ? key : std::uint64_t{1} << 16;
  }
  std::vector<std::uint64_t> slots_;  // 0: empty
  std::uint64_t mask_ = 0;
};

}  // namespace hitlgate::signals::internal
