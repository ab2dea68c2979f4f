// Cryptographic hashing (libsodium stays inside src/crypto). Thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace hitlgate::crypto {

using Sha256Digest = std::array<std::uint8_t, 32>;

Sha256Digest Sha256(std::string_view data);
std::string Sha256Hex(std::string_view data);  // 64 lower-case hex digits
std::string ToHex(const std::uint8_t* data, size_t size);

}  // namespace hitlgate::crypto
