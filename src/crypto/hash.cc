#include "hitlgate/crypto/hash.h"

#include <sodium.h>

#include "hitlgate/common/check.h"

namespace hitlgate::crypto {
namespace {
void EnsureSodium() {
  // sodium_init is idempotent and thread-safe; -1 means no entropy source,
  // which makes every later signature unsafe.
  static const int ok = sodium_init();
  HITLGATE_CHECK(ok >= 0, "libsodium failed to initialize");
}
}  // namespace

Sha256Digest Sha256(std::string_view data) {
  EnsureSodium();
  Sha256Digest out;
  crypto_hash_sha256(out.data(), reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return out;
}

std::string ToHex(const std::uint8_t* data, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[data[i] >> 4];
    out[2 * i + 1] = kDigits[data[i] & 0xf];
  }
  return out;
}

std::string Sha256Hex(std::string_view data) {
  auto d = Sha256(data);
  return ToHex(d.data(), d.size());
}

}  // namespace hitlgate::crypto
