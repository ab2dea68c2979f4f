// Secrets the gateway must read back (webhook signing secrets) are stored
// sealed: XChaCha20-Poly1305 under a key derived from the server's secret
// file (the key pepper), with the owner's name (the workflow) as associated
// data, so a copied database alone reveals no secret and a sealed value moved
// to another workflow does not open. libsodium stays inside src/crypto.
#pragma once

#include <string>
#include <string_view>

#include "hitlgate/common/error.h"
#include "hitlgate/crypto/random.h"

namespace hitlgate::crypto {

// "sealed1:" + hex(nonce || ciphertext || tag).
std::string SealSecret(std::string_view key_material, std::string_view owner,
                       std::string_view plaintext, RandomSource& random);

// True for what SealSecret writes; false for a secret stored before sealing.
bool IsSealedSecret(std::string_view stored);

// The plaintext; a value that is not sealed is returned as it is (secrets
// written by versions before sealing). FailedPrecondition: sealed under
// another key or owner, or damaged.
Result<std::string> OpenSecret(std::string_view key_material, std::string_view owner,
                               std::string_view stored);

}  // namespace hitlgate::crypto
