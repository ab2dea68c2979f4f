// Ed25519 signatures (RFC 8032) for approval receipts and audit checkpoints.
// libsodium stays inside src/crypto. Pure functions; thread-safe.
//
// A key pair is derived from a 32-byte seed, so a signing key is stored as
// its seed alone. Signing is deterministic: the same key and message always
// give the same 64-byte signature.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hitlgate::crypto {

inline constexpr size_t kEd25519SeedBytes = 32;
inline constexpr size_t kEd25519PublicKeyBytes = 32;
inline constexpr size_t kEd25519SignatureBytes = 64;

using Ed25519Seed = std::array<std::uint8_t, kEd25519SeedBytes>;
using Ed25519PublicKey = std::array<std::uint8_t, kEd25519PublicKeyBytes>;
using Ed25519Signature = std::array<std::uint8_t, kEd25519SignatureBytes>;

// A signing key. Holds secret material: never log or serialize it except
// into the gateway's own key file. Value type; copyable.
struct Ed25519KeyPair {
  Ed25519PublicKey public_key{};
  std::array<std::uint8_t, 64> secret_key{};  // libsodium's form: seed || public key
};

Ed25519KeyPair Ed25519FromSeed(const Ed25519Seed& seed);
Ed25519Signature Ed25519Sign(const Ed25519KeyPair& key, std::string_view message);
// True only for a valid signature of exactly `message` under `public_key`.
bool Ed25519Verify(const Ed25519PublicKey& public_key, std::string_view message,
                   const Ed25519Signature& signature);

// Lower-case or upper-case hex to bytes; nullopt for odd lengths or
// non-hex characters.
std::optional<std::vector<std::uint8_t>> FromHex(std::string_view hex);
// Hex of exactly N bytes into `out`; false otherwise.
template <size_t N>
bool FromHexExact(std::string_view hex, std::array<std::uint8_t, N>* out) {
  auto bytes = FromHex(hex);
  if (!bytes || bytes->size() != N) return false;
  for (size_t i = 0; i < N; ++i) (*out)[i] = (*bytes)[i];
  return true;
}

}  // namespace hitlgate::crypto
