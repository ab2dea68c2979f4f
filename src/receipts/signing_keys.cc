#include "hitlgate/receipts/signing_keys.h"

#include "hitlgate/common/durable_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "hitlgate/audit/payload.h"
#include "hitlgate/codec/json_writer.h"
#include "hitlgate/crypto/hash.h"
#include "receipts/json_fields.h"

namespace hitlgate::receipts {
namespace {

constexpr std::string_view kKeyFileFormat = "hitlgate.signing-keys.v1";

void WriteInfo(const PublicKeyInfo& k, codec::JsonWriter& w) {
  w.Field("key_id", k.key_id);
  w.Field("algorithm", "ed25519");
  w.Field("public_key", k.public_key);
  w.Field("not_before", audit::FormatMicros(k.not_before));
  if (k.not_after) w.Field("not_after", audit::FormatMicros(*k.not_after));
}

Result<PublicKeyInfo> ReadInfo(internal::Fields& f) {
  PublicKeyInfo k;
  auto id = f.NonEmpty("key_id");
  HITLGATE_RETURN_IF_ERROR(id);
  auto alg = f.String("algorithm");
  HITLGATE_RETURN_IF_ERROR(alg);
  if (*alg != "ed25519") return f.Bad("algorithm", "expected 'ed25519', got '" + *alg + "'");
  auto pk = f.Hex("public_key", 2 * crypto::kEd25519PublicKeyBytes);
  HITLGATE_RETURN_IF_ERROR(pk);
  crypto::Ed25519PublicKey raw{};
  (void)crypto::FromHexExact(*pk, &raw);
  // A key id that does not belong to its key would let a list claim a
  // receipt's key id for another key.
  if (KeyIdFor(raw) != *id) return f.Bad("key_id", "does not match the public key");
  auto nb = f.Time("not_before");
  HITLGATE_RETURN_IF_ERROR(nb);
  auto na = f.OptTime("not_after");
  HITLGATE_RETURN_IF_ERROR(na);
  if (*na && **na < *nb) return f.Bad("not_after", "is before not_before");
  k.key_id = std::move(*id);
  k.public_key = std::move(*pk);
  k.not_before = *nb;
  k.not_after = *na;
  return k;
}

// Each key is valid until the next one starts; only the last is open.
Result<void> CheckHistory(const std::vector<PublicKeyInfo>& keys, std::string_view what) {
  for (size_t i = 0; i < keys.size(); ++i) {
    const bool last = i + 1 == keys.size();
    if (!last && !keys[i].not_after) {
      return InvalidArgument(std::string(what) + ": key " + keys[i].key_id +
                             " has no not_after but is not the newest");
    }
    if (!last && keys[i + 1].not_before < *keys[i].not_after) {
      return InvalidArgument(std::string(what) + ": key " + keys[i + 1].key_id +
                             " starts before the previous key ends");
    }
  }
  return {};
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::string KeyIdFor(const crypto::Ed25519PublicKey& public_key) {
  const std::string digest = crypto::Sha256Hex(
      std::string_view(reinterpret_cast<const char*>(public_key.data()), public_key.size()));
  return "rk-" + digest.substr(0, 16);
}

std::string EncodePublicKeys(const std::vector<PublicKeyInfo>& keys) {
  codec::JsonWriter w;
  w.BeginObject().Key("keys").BeginArray();
  for (const PublicKeyInfo& k : keys) {
    w.BeginObject();
    WriteInfo(k, w);
    w.EndObject();
  }
  w.EndArray().EndObject();
  return w.Take();
}

Result<std::vector<PublicKeyInfo>> DecodePublicKeys(std::string_view json) {
  auto o = internal::ParseObject(json, "key list");
  HITLGATE_RETURN_IF_ERROR(o);
  internal::Fields top(*o, "key list");
  auto arr = top.Array("keys");
  HITLGATE_RETURN_IF_ERROR(arr);
  HITLGATE_RETURN_IF_ERROR(top.Finish());
  std::vector<PublicKeyInfo> keys;
  for (size_t i = 0; i < (*arr)->size(); ++i) {
    const auto& v = (**arr)[i];
    const std::string what = "key list: keys[" + std::to_string(i) + "]";
    if (!v.is_object()) return InvalidArgument(what + ": expected an object");
    internal::Fields f(v.get_object(), what);
    auto k = ReadInfo(f);
    HITLGATE_RETURN_IF_ERROR(k);
    HITLGATE_RETURN_IF_ERROR(f.Finish());
    keys.push_back(std::move(*k));
  }
  return keys;
}

std::string EncodeKeyFile(const std::vector<StoredKey>& keys) {
  codec::JsonWriter w;
  w.BeginObject().Field("format", kKeyFileFormat).Key("keys").BeginArray();
  for (const StoredKey& k : keys) {
    w.BeginObject();
    WriteInfo(k.info, w);
    if (!k.seed_hex.empty()) w.Field("seed", k.seed_hex);
    w.EndObject();
  }
  w.EndArray().EndObject();
  return w.Take();
}

Result<std::vector<StoredKey>> DecodeKeyFile(std::string_view json) {
  auto o = internal::ParseObject(json, "key file");
  HITLGATE_RETURN_IF_ERROR(o);
  internal::Fields top(*o, "key file");
  auto format = top.String("format");
  HITLGATE_RETURN_IF_ERROR(format);
  if (*format != kKeyFileFormat) return top.Bad("format", "expected '" + std::string(kKeyFileFormat) + "'");
  auto arr = top.Array("keys");
  HITLGATE_RETURN_IF_ERROR(arr);
  HITLGATE_RETURN_IF_ERROR(top.Finish());
  std::vector<StoredKey> keys;
  std::vector<PublicKeyInfo> infos;
  for (size_t i = 0; i < (*arr)->size(); ++i) {
    const auto& v = (**arr)[i];
    const std::string what = "key file: keys[" + std::to_string(i) + "]";
    if (!v.is_object()) return InvalidArgument(what + ": expected an object");
    internal::Fields f(v.get_object(), what);
    auto info = ReadInfo(f);
    HITLGATE_RETURN_IF_ERROR(info);
    StoredKey k{std::move(*info), ""};
    if (v.get_object().contains("seed")) {
      auto seed = f.Hex("seed", 2 * crypto::kEd25519SeedBytes);
      HITLGATE_RETURN_IF_ERROR(seed);
      crypto::Ed25519Seed raw{};
      (void)crypto::FromHexExact(*seed, &raw);
      if (KeyIdFor(crypto::Ed25519FromSeed(raw).public_key) != k.info.key_id) {
        return f.Bad("seed", "does not belong to the public key");
      }
      k.seed_hex = std::move(*seed);
    }
    HITLGATE_RETURN_IF_ERROR(f.Finish());
    infos.push_back(k.info);
    keys.push_back(std::move(k));
  }
  HITLGATE_RETURN_IF_ERROR(CheckHistory(infos, "key file"));
  return keys;
}

Result<std::vector<StoredKey>> FileKeyStore::Load() {
  std::error_code ec;
  if (!std::filesystem::exists(path_, ec)) return std::vector<StoredKey>();
  std::string text = ReadAll(path_);
  auto keys = DecodeKeyFile(text);
  if (!keys) return InvalidArgument(path_ + ": " + keys.error().message());
  return keys;
}

Result<void> FileKeyStore::Save(const std::vector<StoredKey>& keys) {
  // Private from its first byte, and whole or not at all.
  return WriteFileDurably(path_, EncodeKeyFile(keys) + "\n");
}

StoredKey SigningKeys::NewKey(crypto::RandomSource& random, TimePoint now) {
  crypto::Ed25519Seed seed;
  random.Fill(seed.data(), seed.size());
  crypto::Ed25519KeyPair pair = crypto::Ed25519FromSeed(seed);
  StoredKey k;
  k.info.key_id = KeyIdFor(pair.public_key);
  k.info.public_key = crypto::ToHex(pair.public_key.data(), pair.public_key.size());
  k.info.not_before = now;
  k.seed_hex = crypto::ToHex(seed.data(), seed.size());
  return k;
}

Result<std::unique_ptr<SigningKeys>> SigningKeys::Open(KeyStore& store, crypto::RandomSource& random,
                                                       TimePoint now) {
  auto keys = store.Load();
  HITLGATE_RETURN_IF_ERROR(keys);
  if (keys->empty()) {
    keys->push_back(NewKey(random, now));
    HITLGATE_RETURN_IF_ERROR(store.Save(*keys));
  }
  const StoredKey& current = keys->back();
  if (current.info.not_after || current.seed_hex.empty()) {
    return FailedPrecondition("the newest signing key " + current.info.key_id +
                              " is retired or has no seed: rotate to make a new one");
  }
  return std::unique_ptr<SigningKeys>(new SigningKeys(store, random, std::move(*keys)));
}

Result<Signature> SigningKeys::SignAt(
    TimePoint at, const std::function<std::string(std::string_view key_id)>& message) const {
  std::lock_guard lock(mu_);
  const StoredKey* key = nullptr;
  for (const StoredKey& k : keys_) {
    if (k.info.ValidAt(at)) key = &k;
  }
  if (key == nullptr) {
    return FailedPrecondition("no signing key is valid at " + audit::FormatMicros(at));
  }
  if (key->seed_hex.empty()) {
    return Aborted("signing key " + key->info.key_id + " was retired by a rotation; retry");
  }
  crypto::Ed25519Seed seed{};
  (void)crypto::FromHexExact(key->seed_hex, &seed);
  const crypto::Ed25519Signature sig =
      crypto::Ed25519Sign(crypto::Ed25519FromSeed(seed), message(key->info.key_id));
  return Signature{key->info.key_id, crypto::ToHex(sig.data(), sig.size())};
}

Result<PublicKeyInfo> SigningKeys::Rotate(TimePoint now) {
  std::lock_guard lock(mu_);
  if (now <= keys_.back().info.not_before) {
    return FailedPrecondition("the current key starts at " +
                              audit::FormatMicros(keys_.back().info.not_before) +
                              "; a rotation must come later");
  }
  std::vector<StoredKey> next = keys_;
  next.back().info.not_after = now;
  next.back().seed_hex.clear();
  next.push_back(NewKey(random_, now));
  // Saved first: a rotation that is not durable must not sign anything.
  HITLGATE_RETURN_IF_ERROR(store_.Save(next));
  keys_ = std::move(next);
  return keys_.back().info;
}

std::vector<PublicKeyInfo> SigningKeys::PublicKeys() const {
  std::lock_guard lock(mu_);
  std::vector<PublicKeyInfo> out;
  for (const StoredKey& k : keys_) out.push_back(k.info);
  return out;
}

PublicKeyInfo SigningKeys::Current() const {
  std::lock_guard lock(mu_);
  return keys_.back().info;
}

}  // namespace hitlgate::receipts
