#include "hitlgate/receipts/receipt.h"

#include <algorithm>

#include "hitlgate/audit/payload.h"
#include "hitlgate/codec/json.h"
#include "hitlgate/crypto/hash.h"
#include "hitlgate/crypto/sign.h"
#include "receipts/json_fields.h"

namespace hitlgate::receipts {
namespace {

void PutU64(std::uint64_t v, std::string* out) {
  for (int i = 7; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void PutField(std::string_view s, std::string* out) {
  PutU64(s.size(), out);
  out->append(s);
}

bool IsVerdict(std::string_view v) { return v == "approved" || v == "edited"; }

}  // namespace

Result<std::string> ActionDigest(std::string_view action_json) {
  auto canonical = codec::CanonicalJson(action_json);
  if (!canonical) return InvalidArgument("action: " + canonical.error().message());
  if (canonical->empty() || canonical->front() != '{') {
    return InvalidArgument("action: expected a JSON object");
  }
  return crypto::Sha256Hex(*canonical);
}

std::string SigningInput(const Receipt& r) {
  std::string out;
  out.reserve(256);
  PutField(kReceiptDomain, &out);
  PutField(r.key_id, &out);
  PutField(r.task_id, &out);
  PutField(r.interaction_id, &out);
  PutField(r.reviewer, &out);
  PutField(r.verdict, &out);
  PutU64(static_cast<std::uint64_t>(r.approved_at.time_since_epoch().count()), &out);
  PutField(r.policy_version, &out);
  PutField(r.action_sha256, &out);
  return out;
}

Result<Receipt> IssueReceipt(const Approval& a, std::string_view action_json, const SigningKeys& keys) {
  if (!IsVerdict(a.verdict)) {
    return InvalidArgument("receipts are issued for approved and edited verdicts, not '" + a.verdict + "'");
  }
  auto digest = ActionDigest(action_json);
  HITLGATE_RETURN_IF_ERROR(digest);
  Receipt r;
  r.task_id = a.task_id;
  r.interaction_id = a.interaction_id;
  r.reviewer = a.reviewer;
  r.verdict = a.verdict;
  r.approved_at = a.approved_at;
  r.policy_version = a.policy_version;
  r.action_sha256 = std::move(*digest);
  auto sig = keys.SignAt(a.approved_at, [&r](std::string_view key_id) {
    r.key_id = std::string(key_id);
    return SigningInput(r);
  });
  HITLGATE_RETURN_IF_ERROR(sig);
  r.signature = std::move(sig->signature_hex);
  return r;
}

std::string EncodeReceipt(const Receipt& r) {
  std::string out = "{\"format\":";
  auto field = [&out](std::string_view key, std::string_view value) {
    out.push_back(',');
    codec::AppendJsonString(key, &out);
    out.push_back(':');
    codec::AppendJsonString(value, &out);
  };
  codec::AppendJsonString(kReceiptDomain, &out);
  field("key_id", r.key_id);
  field("task_id", r.task_id);
  field("interaction_id", r.interaction_id);
  field("reviewer", r.reviewer);
  field("verdict", r.verdict);
  field("approved_at", audit::FormatMicros(r.approved_at));
  field("policy_version", r.policy_version);
  field("action_sha256", r.action_sha256);
  field("signature", r.signature);
  out.push_back('}');
  return out;
}

Result<Receipt> DecodeReceipt(std::string_view json) {
  auto o = internal::ParseObject(json, "receipt");
  HITLGATE_RETURN_IF_ERROR(o);
  internal::Fields f(*o, "receipt");
  auto format = f.String("format");
  HITLGATE_RETURN_IF_ERROR(format);
  if (*format != kReceiptDomain) {
    return f.Bad("format", "expected '" + std::string(kReceiptDomain) + "', got '" + *format + "'");
  }
  Receipt r;
  for (auto [name, dst] : {std::pair<std::string_view, std::string*>{"key_id", &r.key_id},
                           {"task_id", &r.task_id},
                           {"interaction_id", &r.interaction_id},
                           {"reviewer", &r.reviewer},
                           {"verdict", &r.verdict},
                           {"policy_version", &r.policy_version}}) {
    auto s = f.NonEmpty(name);
    HITLGATE_RETURN_IF_ERROR(s);
    *dst = std::move(*s);
  }
  if (!IsVerdict(r.verdict)) return f.Bad("verdict", "expected 'approved' or 'edited'");
  auto at = f.Time("approved_at");
  HITLGATE_RETURN_IF_ERROR(at);
  r.approved_at = *at;
  auto digest = f.Hex("action_sha256", 64);
  HITLGATE_RETURN_IF_ERROR(digest);
  r.action_sha256 = std::move(*digest);
  auto sig = f.Hex("signature", 2 * crypto::kEd25519SignatureBytes);
  HITLGATE_RETURN_IF_ERROR(sig);
  r.signature = std::move(*sig);
  HITLGATE_RETURN_IF_ERROR(f.Finish());
  return r;
}

std::string_view ReceiptProblemName(ReceiptProblem p) {
  switch (p) {
    case ReceiptProblem::kNone: return "ok";
    case ReceiptProblem::kMalformed: return "malformed";
    case ReceiptProblem::kUnknownKey: return "unknown_key";
    case ReceiptProblem::kBadSignature: return "bad_signature";
    case ReceiptProblem::kKeyNotValid: return "key_not_valid";
    case ReceiptProblem::kActionChanged: return "action_changed";
  }
  return "unknown";
}

ReceiptCheck VerifyReceipt(const Receipt& r, std::string_view action_json,
                           std::span<const PublicKeyInfo> keys) {
  auto key = std::find_if(keys.begin(), keys.end(),
                          [&](const PublicKeyInfo& k) { return k.key_id == r.key_id; });
  if (key == keys.end()) {
    return {ReceiptProblem::kUnknownKey, "no published key has id " + r.key_id};
  }
  crypto::Ed25519PublicKey pk{};
  crypto::Ed25519Signature sig{};
  if (!crypto::FromHexExact(key->public_key, &pk) || !crypto::FromHexExact(r.signature, &sig)) {
    return {ReceiptProblem::kMalformed, "the key or the signature is not hex of the right length"};
  }
  if (!crypto::Ed25519Verify(pk, SigningInput(r), sig)) {
    return {ReceiptProblem::kBadSignature,
            "the signature does not match the receipt: it was altered or not signed by " + r.key_id};
  }
  if (!key->ValidAt(r.approved_at)) {
    return {ReceiptProblem::kKeyNotValid,
            "key " + r.key_id + " was not valid at " + audit::FormatMicros(r.approved_at)};
  }
  auto digest = ActionDigest(action_json);
  if (!digest) return {ReceiptProblem::kMalformed, digest.error().message()};
  if (*digest != r.action_sha256) {
    return {ReceiptProblem::kActionChanged,
            "the action differs from the approved one (its SHA-256 is " + *digest +
                ", the receipt approves " + r.action_sha256 + ")"};
  }
  return {};
}

ReceiptCheck VerifyReceiptJson(std::string_view receipt_json, std::string_view action_json,
                               std::span<const PublicKeyInfo> keys) {
  auto r = DecodeReceipt(receipt_json);
  if (!r) return {ReceiptProblem::kMalformed, r.error().message()};
  return VerifyReceipt(*r, action_json, keys);
}

}  // namespace hitlgate::receipts
