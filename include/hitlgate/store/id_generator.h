// IdGenerator: where task ids and lease ids come from. Injected so tests get
// predictable ids and the store never invents randomness itself. All
// implementations are thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "hitlgate/crypto/random.h"

namespace hitlgate::store {

class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  // `prefix` + "-" + 16 lower-case hex digits, e.g. "t-9f86d081884c7d65".
  virtual std::string NewId(std::string_view prefix) = 0;
};

// 64 random bits per id from `random` (the OS CSPRNG in production), so ids
// are unguessable. `random` must outlive the generator.
class RandomIdGenerator final : public IdGenerator {
 public:
  explicit RandomIdGenerator(crypto::RandomSource* random) : random_(random) {}
  std::string NewId(std::string_view prefix) override;

 private:
  crypto::RandomSource* random_;  // thread-safe itself
};

// "t-0000000000000001", "l-0000000000000002", ...: one counter for all
// prefixes. For tests.
class SequentialIdGenerator final : public IdGenerator {
 public:
  explicit SequentialIdGenerator(std::uint64_t first = 1) : next_(first) {}
  std::string NewId(std::string_view prefix) override;

 private:
  std::atomic<std::uint64_t> next_;
};

}  // namespace hitlgate::store
