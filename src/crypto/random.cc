#include "hitlgate/crypto/random.h"

#include <sodium.h>

#include <array>
#include <mutex>

#include "hitlgate/common/check.h"
#include "hitlgate/common/thread_annotations.h"
#include "hitlgate/crypto/hash.h"

namespace hitlgate::crypto {
namespace {

class SystemRandom final : public RandomSource {
 public:
  SystemRandom() {
    // Without an entropy source every key we mint would be guessable.
    HITLGATE_CHECK(sodium_init() >= 0, "libsodium failed to initialize");
  }
  void Fill(std::uint8_t* out, size_t size) override { randombytes_buf(out, size); }
};

class SeededRandom final : public RandomSource {
 public:
  explicit SeededRandom(std::uint64_t seed) {
    HITLGATE_CHECK(sodium_init() >= 0, "libsodium failed to initialize");
    seed_.fill(0);
    for (int i = 0; i < 8; ++i) seed_[i] = static_cast<std::uint8_t>(seed >> (8 * i));
  }
  void Fill(std::uint8_t* out, size_t size) override {
    std::lock_guard lock(mu_);
    // A fresh deterministic block per call: the seed with a counter mixed in.
    std::array<std::uint8_t, randombytes_SEEDBYTES> block = seed_;
    for (int i = 0; i < 8; ++i) block[8 + i] = static_cast<std::uint8_t>(counter_ >> (8 * i));
    ++counter_;
    randombytes_buf_deterministic(out, size, block.data());
  }

 private:
  std::mutex mu_;
  std::array<std::uint8_t, randombytes_SEEDBYTES> seed_;  // immutable after construction
  std::uint64_t counter_ HITLGATE_GUARDED_BY(mu_) = 0;
};

}  // namespace

std::string RandomSource::Hex(size_t bytes) {
  std::string raw(bytes, '\0');
  Fill(reinterpret_cast<std::uint8_t*>(raw.data()), bytes);
  return ToHex(reinterpret_cast<const std::uint8_t*>(raw.data()), bytes);
}

std::unique_ptr<RandomSource> MakeSystemRandom() { return std::make_unique<SystemRandom>(); }

std::unique_ptr<RandomSource> MakeSeededRandomForTest(std::uint64_t seed) {
  return std::make_unique<SeededRandom>(seed);
}

}  // namespace hitlgate::crypto
