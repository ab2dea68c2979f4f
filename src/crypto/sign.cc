#include "hitlgate/crypto/sign.h"

#include <sodium.h>

#include "hitlgate/common/check.h"

namespace hitlgate::crypto {
namespace {
void EnsureSodium() {
  // Idempotent and thread-safe; failing means no safe signatures at all.
  static const int ok = sodium_init();
  HITLGATE_CHECK(ok >= 0, "libsodium failed to initialize");
}
const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
}  // namespace

static_assert(crypto_sign_SEEDBYTES == kEd25519SeedBytes);
static_assert(crypto_sign_PUBLICKEYBYTES == kEd25519PublicKeyBytes);
static_assert(crypto_sign_SECRETKEYBYTES == 64);
static_assert(crypto_sign_BYTES == kEd25519SignatureBytes);

Ed25519KeyPair Ed25519FromSeed(const Ed25519Seed& seed) {
  EnsureSodium();
  Ed25519KeyPair k;
  crypto_sign_seed_keypair(k.public_key.data(), k.secret_key.data(), seed.data());
  return k;
}

Ed25519Signature Ed25519Sign(const Ed25519KeyPair& key, std::string_view message) {
  EnsureSodium();
  Ed25519Signature sig;
  crypto_sign_detached(sig.data(), nullptr, Bytes(message), message.size(), key.secret_key.data());
  return sig;
}

bool Ed25519Verify(const Ed25519PublicKey& public_key, std::string_view message,
                   const Ed25519Signature& signature) {
  EnsureSodium();
  return crypto_sign_verify_detached(signature.data(), Bytes(message), message.size(),
                                     public_key.data()) == 0;
}

std::optional<std::vector<std::uint8_t>> FromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::vector<std::uint8_t> out(hex.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return out;
}

}  // namespace hitlgate::crypto
