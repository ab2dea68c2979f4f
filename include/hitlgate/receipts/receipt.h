// Approval receipts: the gateway's signed statement that a person approved
// (or edited and approved) one exact action. The system that executes the
// action (a refund service, say) verifies the receipt offline against the
// action it is about to run and the gateway's published public keys, so an
// AI agent cannot execute an action nobody approved, or an approved action
// with changed parameters. The byte format is in docs/receipts.md; this
// header is its code form.
//
// Pure functions and value types; thread-safe. Link hitlgate_receipts (it
// needs libsodium and Boost.JSON, nothing of the gateway).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "hitlgate/common/clock.h"
#include "hitlgate/common/error.h"
#include "hitlgate/receipts/signing_keys.h"

namespace hitlgate::receipts {

// Domain tag that opens the signed bytes; a new encoding gets a new tag.
inline constexpr std::string_view kReceiptDomain = "hitlgate.receipt.v1";

struct Receipt {
  std::string key_id;          // the signing key (PublicKeyInfo::key_id)
  std::string task_id;
  std::string interaction_id;
  std::string reviewer;        // the reviewer's key id
  std::string verdict;         // "approved" or "edited"
  TimePoint approved_at;       // the verdict's time (microseconds, UTC)
  std::string policy_version;  // the policy that held the action ("sha256:<hex>")
  std::string action_sha256;   // ActionDigest of the approved action, 64 lower-case hex
  std::string signature;       // Ed25519 over SigningInput(), 128 lower-case hex

  friend bool operator==(const Receipt&, const Receipt&) = default;
};

// SHA-256 (lower-case hex) of the action's canonical JSON: keys sorted by
// byte value at every level, no whitespace, minimal string escapes, numbers
// in their shortest round-trip form (codec::CanonicalJson). So `{"amount":
// 100.0, "name":"refund"}` and `{"name":"refund","amount":100}` have the same
// digest, and any changed value a different one. InvalidArgument when
// `action_json` is not a JSON object.
[[nodiscard]] Result<std::string> ActionDigest(std::string_view action_json);

// The exact bytes that are signed (docs/receipts.md, "Signed bytes").
std::string SigningInput(const Receipt& receipt);

// The facts of an approval, before signing.
struct Approval {
  std::string task_id;
  std::string interaction_id;
  std::string reviewer;
  std::string verdict;  // "approved" or "edited"
  TimePoint approved_at;
  std::string policy_version;
};

// Signs `approval` bound to `action_json` with the key valid at approved_at.
// InvalidArgument for an action that is not an object or a verdict other
// than approved/edited; Aborted as SigningKeys::SignAt.
[[nodiscard]] Result<Receipt> IssueReceipt(const Approval& approval, std::string_view action_json,
                                           const SigningKeys& keys);

// {"format":"hitlgate.receipt.v1","key_id":...,"signature":...}, one line,
// fields in the order of the struct.
std::string EncodeReceipt(const Receipt& receipt);
// Strict: unknown, missing or mistyped fields, bad times and bad hex are
// InvalidArgument naming the field.
[[nodiscard]] Result<Receipt> DecodeReceipt(std::string_view json);

enum class ReceiptProblem {
  kNone,
  kMalformed,      // not a receipt (DecodeReceipt failed) or the action is not a JSON object
  kUnknownKey,     // no published key has the receipt's key id
  kBadSignature,   // the signature does not match the receipt's fields
  kKeyNotValid,    // the key was not valid at approved_at
  kActionChanged,  // an authentic receipt, for a different action
};
std::string_view ReceiptProblemName(ReceiptProblem p);

struct ReceiptCheck {
  ReceiptProblem problem = ReceiptProblem::kNone;
  std::string detail;  // for people
  bool ok() const { return problem == ReceiptProblem::kNone; }
};

// What an executor calls before running `action_json`: the receipt must be
// signed by one of `keys`, by a key valid at its time, and bind exactly this
// action. Checks in that order, so kActionChanged is only reported for an
// otherwise authentic receipt.
ReceiptCheck VerifyReceipt(const Receipt& receipt, std::string_view action_json,
                           std::span<const PublicKeyInfo> keys);
// The same from a receipt's JSON text (kMalformed when it does not decode).
ReceiptCheck VerifyReceiptJson(std::string_view receipt_json, std::string_view action_json,
                               std::span<const PublicKeyInfo> keys);

}  // namespace hitlgate::receipts
