#include "hitlgate/crypto/sealed_secret.h"

#include <sodium.h>

#include <array>
#include <vector>

#include "hitlgate/common/check.h"
#include "hitlgate/crypto/hash.h"
#include "hitlgate/crypto/sign.h"

namespace hitlgate::crypto {
namespace {

constexpr std::string_view kPrefix = "sealed1:";
// Domain separation: the pepper also keys API key hashes; this key is a
// different function of it.
constexpr std::string_view kContext = "hitlgate sealed secret v1";

using Key = std::array<unsigned char, crypto_aead_xchacha20poly1305_ietf_KEYBYTES>;

Key DeriveKey(std::string_view key_material) {
  HITLGATE_CHECK(sodium_init() >= 0, "libsodium failed to initialize");
  Key key;
  crypto_generichash(key.data(), key.size(), reinterpret_cast<const unsigned char*>(kContext.data()),
                     kContext.size(), reinterpret_cast<const unsigned char*>(key_material.data()),
                     key_material.size());
  return key;
}

const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

std::string SealSecret(std::string_view key_material, std::string_view owner, std::string_view plaintext,
                       RandomSource& random) {
  const Key key = DeriveKey(key_material);
  std::vector<unsigned char> out(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + plaintext.size() +
                                 crypto_aead_xchacha20poly1305_ietf_ABYTES);
  random.Fill(out.data(), crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
                                             &written, Bytes(plaintext), plaintext.size(), Bytes(owner),
                                             owner.size(), nullptr, out.data(), key.data());
  std::string sealed(kPrefix);
  sealed += ToHex(out.data(), crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + written);
  return sealed;
}

bool IsSealedSecret(std::string_view stored) { return stored.starts_with(kPrefix); }

Result<std::string> OpenSecret(std::string_view key_material, std::string_view owner, std::string_view stored) {
  if (!IsSealedSecret(stored)) return std::string(stored);
  auto bytes = FromHex(stored.substr(kPrefix.size()));
  constexpr size_t kOverhead =
      crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (!bytes || bytes->size() < kOverhead) return FailedPrecondition("sealed secret is damaged");
  const Key key = DeriveKey(key_material);
  std::string plain(bytes->size() - kOverhead, '\0');
  unsigned long long written = 0;
  const unsigned char* nonce = bytes->data();
  const unsigned char* cipher = bytes->data() + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  const size_t cipher_size = bytes->size() - crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(plain.data()), &written,
                                                 nullptr, cipher, cipher_size, Bytes(owner), owner.size(),
                                                 nonce, key.data()) != 0) {
    return FailedPrecondition(
        "sealed secret does not open: sealed under another key file (pepper) or for another owner");
  }
  plain.resize(written);
  return plain;
}

}  // namespace hitlgate::crypto
