// Randomness, injected like time: code below the wiring asks a RandomSource,
// so tests can make ids and keys reproducible. Implementations are thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace hitlgate::crypto {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual void Fill(std::uint8_t* out, size_t size) = 0;
  // `bytes` random bytes as lower-case hex.
  std::string Hex(size_t bytes);
};

// libsodium's randombytes (the OS CSPRNG). For production.
std::unique_ptr<RandomSource> MakeSystemRandom();

// A deterministic stream from a seed (ChaCha20 keystream). Tests only.
std::unique_ptr<RandomSource> MakeSeededRandomForTest(std::uint64_t seed);

}  // namespace hitlgate::crypto
