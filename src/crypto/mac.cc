#include "hitlgate/crypto/mac.h"

#include <sodium.h>

#include <array>

#include "hitlgate/crypto/hash.h"

namespace hitlgate::crypto {

std::string KeyedHashHex(std::string_view key, std::string_view message) {
  std::array<unsigned char, crypto_generichash_KEYBYTES> k;
  crypto_generichash(k.data(), k.size(), reinterpret_cast<const unsigned char*>(key.data()),
                     key.size(), nullptr, 0);
  std::array<unsigned char, 32> out;
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(message.data()),
                     message.size(), k.data(), k.size());
  return ToHex(out.data(), out.size());
}

std::string HmacSha256Hex(std::string_view key, std::string_view message) {
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  std::array<unsigned char, crypto_auth_hmacsha256_BYTES> out;
  crypto_auth_hmacsha256_final(&state, out.data());
  return ToHex(out.data(), out.size());
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace hitlgate::crypto
