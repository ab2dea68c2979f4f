// The gateway's Ed25519 signing keys: one current key that signs approval
// receipts and audit checkpoints, and the history of earlier keys, whose
// public halves stay published so that everything they signed stays
// verifiable after a rotation (docs/receipts.md, "Keys").
//
// A key is valid from `not_before` until `not_after` (the rotation that
// replaced it; open for the current key). Verifiers accept a signature only
// from a key that was valid at the signed time. Rotation erases the retired
// key's secret seed: a key file stolen later cannot forge anything dated in
// an earlier key's period.
//
// KeyStore implementations persist the ring; SigningKeys holds it in memory
// and is thread-safe. The KeyStore and RandomSource must outlive it.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hitlgate/common/clock.h"
#include "hitlgate/common/error.h"
#include "hitlgate/common/thread_annotations.h"
#include "hitlgate/crypto/random.h"
#include "hitlgate/crypto/sign.h"

namespace hitlgate::receipts {

// The public half of a signing key, as published (GET /v1/receipt-keys) and
// as given to verifiers (`--keys FILE`).
struct PublicKeyInfo {
  std::string key_id;      // "rk-" + the first 16 hex digits of SHA-256(public key)
  std::string public_key;  // 64 lower-case hex digits (32 bytes, Ed25519)
  TimePoint not_before;
  std::optional<TimePoint> not_after;  // nullopt: the current key

  // True when a signature dated `at` may come from this key.
  bool ValidAt(TimePoint at) const { return at >= not_before && (!not_after || at < *not_after); }
  friend bool operator==(const PublicKeyInfo&, const PublicKeyInfo&) = default;
};

// A key as the gateway keeps it: the public info and, while it can still
// sign, its 32-byte seed as 64 hex digits (empty once retired).
struct StoredKey {
  PublicKeyInfo info;
  std::string seed_hex;
  friend bool operator==(const StoredKey&, const StoredKey&) = default;
};

// Derives the key id from a public key.
std::string KeyIdFor(const crypto::Ed25519PublicKey& public_key);

// The published key list: {"keys":[{"key_id","algorithm":"ed25519",
// "public_key","not_before","not_after"?}]}, oldest first.
std::string EncodePublicKeys(const std::vector<PublicKeyInfo>& keys);
// InvalidArgument naming the field for anything else; checks that each key
// id matches its public key.
[[nodiscard]] Result<std::vector<PublicKeyInfo>> DecodePublicKeys(std::string_view json);

// Persistence of the ring (secret: seeds included).
class KeyStore {
 public:
  virtual ~KeyStore() = default;
  // Empty when nothing was saved yet.
  [[nodiscard]] virtual Result<std::vector<StoredKey>> Load() = 0;
  // Replaces the saved ring atomically.
  [[nodiscard]] virtual Result<void> Save(const std::vector<StoredKey>& keys) = 0;
};

// The key file's name in the gateway's data folder.
inline constexpr std::string_view kKeyFileName = "signing_keys.json";

// A JSON file (mode 0600), replaced by write-to-temporary and rename, so a
// crash never leaves half a key file.
class FileKeyStore final : public KeyStore {
 public:
  explicit FileKeyStore(std::string path) : path_(std::move(path)) {}
  Result<std::vector<StoredKey>> Load() override;
  Result<void> Save(const std::vector<StoredKey>& keys) override;

 private:
  std::string path_;
};

// For tests and embedders that persist elsewhere. Thread-compatible.
class MemoryKeyStore final : public KeyStore {
 public:
  Result<std::vector<StoredKey>> Load() override { return keys_; }
  Result<void> Save(const std::vector<StoredKey>& keys) override {
    keys_ = keys;
    return {};
  }

 private:
  std::vector<StoredKey> keys_;
};

// The key file's encoding (also used by FileKeyStore).
std::string EncodeKeyFile(const std::vector<StoredKey>& keys);
[[nodiscard]] Result<std::vector<StoredKey>> DecodeKeyFile(std::string_view json);

struct Signature {
  std::string key_id;
  std::string signature_hex;  // 128 lower-case hex digits
};

class SigningKeys {
 public:
  // Loads the ring; when it is empty, makes a first key valid from `now` and
  // saves it. FailedPrecondition for a ring without a usable current key.
  [[nodiscard]] static Result<std::unique_ptr<SigningKeys>> Open(KeyStore& store,
                                                                 crypto::RandomSource& random,
                                                                 TimePoint now);

  // Signs what `message(key_id)` returns with the key valid at `at` (the
  // message names the key, so the key is chosen first). Aborted when that
  // key was retired in the meantime (a rotation raced the caller: retry).
  [[nodiscard]] Result<Signature> SignAt(
      TimePoint at, const std::function<std::string(std::string_view key_id)>& message) const;

  // Makes a new current key valid from `now`; the old one stays published,
  // valid until `now`, and its seed is erased. Saved before it takes effect.
  // FailedPrecondition when `now` is not after the current key's start.
  [[nodiscard]] Result<PublicKeyInfo> Rotate(TimePoint now);

  // Oldest first; the last one is current.
  std::vector<PublicKeyInfo> PublicKeys() const;
  PublicKeyInfo Current() const;

 private:
  SigningKeys(KeyStore& store, crypto::RandomSource& random, std::vector<StoredKey> keys)
      : store_(store), random_(random), keys_(std::move(keys)) {}
  static StoredKey NewKey(crypto::RandomSource& random, TimePoint now);

  KeyStore& store_;
  crypto::RandomSource& random_;
  mutable std::mutex mu_;
  std::vector<StoredKey> keys_ HITLGATE_GUARDED_BY(mu_);  // oldest first, never empty
};

}  // namespace hitlgate::receipts
