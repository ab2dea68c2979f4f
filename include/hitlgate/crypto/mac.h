// Keyed hashing and comparison for secrets (API keys, webhook signatures).
// libsodium stays inside src/crypto. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace hitlgate::crypto {

// BLAKE2b-256 keyed with `key` (any length; hashed down to 32 bytes first),
// as lower-case hex. Used to store API key secrets: the keys are 256-bit
// random, so a keyed fast hash is as strong as argon2id here and costs
// microseconds per request instead of tens of milliseconds.
std::string KeyedHashHex(std::string_view key, std::string_view message);

// HMAC-SHA-256 as lower-case hex (webhook signatures: what receivers verify
// with any standard library).
std::string HmacSha256Hex(std::string_view key, std::string_view message);

// Compares in time that depends only on the lengths, never on the contents.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace hitlgate::crypto
