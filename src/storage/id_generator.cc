#include "hitlgate/store/id_generator.h"

#include "hitlgate/crypto/hash.h"

namespace hitlgate::store {
namespace {

std::string Format(std::string_view prefix, std::uint64_t v) {
  std::uint8_t bytes[8];
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<std::uint8_t>(v >> (56 - 8 * i));
  std::string out(prefix);
  out.push_back('-');
  out += crypto::ToHex(bytes, 8);
  return out;
}

}  // namespace

std::string RandomIdGenerator::NewId(std::string_view prefix) {
  std::uint8_t bytes[8];
  random_->Fill(bytes, sizeof bytes);
  std::uint64_t v = 0;
  for (std::uint8_t b : bytes) v = (v << 8) | b;
  return Format(prefix, v);
}

std::string SequentialIdGenerator::NewId(std::string_view prefix) {
  return Format(prefix, next_.fetch_add(1));
}

}  // namespace hitlgate::store
