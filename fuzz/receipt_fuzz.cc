// Approval receipts as an executor receives them (docs/receipts.md): the
// input is "<receipt JSON>\n<action JSON>", both attacker-controlled. The
// receipt is decoded and verified against a real key (so inputs that get
// past the signature-format checks reach the later steps), the action is
// digested, and the input is also tried as a published key list.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <string>
#include <vector>

#include "hitlgate/common/clock.h"
#include "hitlgate/crypto/random.h"
#include "hitlgate/receipts/receipt.h"
#include "hitlgate/receipts/signing_keys.h"

namespace {

constexpr std::string_view kAction = R"({"name":"refund","amount":100,"currency":"EUR","params":{"order_id":"A-1"}})";

// A real key ring and one valid receipt for kAction, made once (seeded: the
// same every run).
struct Fixture {
  std::vector<hitlgate::receipts::PublicKeyInfo> keys;
  std::string valid_receipt;
};

const Fixture& Fix() {
  static const Fixture fixture = [] {
    Fixture f;
    static auto random = hitlgate::crypto::MakeSeededRandomForTest(7);
    static hitlgate::receipts::MemoryKeyStore store;
    const hitlgate::TimePoint start{std::chrono::seconds(1'700'000'000)};
    static auto opened = hitlgate::receipts::SigningKeys::Open(store, *random, start);
    if (!opened) return f;
    f.keys = (*opened)->PublicKeys();
    hitlgate::receipts::Approval a{"t-1", "c-1", "k-rev", "approved", start + std::chrono::seconds(5),
                                   "sha256:00"};
    if (auto r = hitlgate::receipts::IssueReceipt(a, kAction, **opened)) {
      f.valid_receipt = hitlgate::receipts::EncodeReceipt(*r);
    }
    // The damage mode is only worth running if the undamaged receipt verifies.
    if (!hitlgate::receipts::VerifyReceiptJson(f.valid_receipt, kAction, f.keys).ok()) {
      std::fprintf(stderr, "receipt_fuzz: the genuine receipt does not verify\n");
      std::abort();
    }
    return f;
  }();
  return fixture;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const Fixture& fix = Fix();
  if (!input.empty() && input[0] == '!' && !fix.valid_receipt.empty()) {
    // "!" + (position, xor) byte pairs: damage to a genuine receipt, which
    // reaches the signature and binding checks that forged text never does.
    std::string damaged = fix.valid_receipt;
    for (size_t i = 1; i + 1 < input.size(); i += 2) {
      damaged[static_cast<unsigned char>(input[i]) * 7 % damaged.size()] ^= input[i + 1];
    }
    (void)hitlgate::receipts::VerifyReceiptJson(damaged, kAction, fix.keys);
    return 0;
  }
  const size_t nl = input.find('\n');
  const std::string_view receipt = input.substr(0, nl);
  const std::string_view action = nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1);
  if (auto r = hitlgate::receipts::DecodeReceipt(receipt)) {
    (void)hitlgate::receipts::EncodeReceipt(*r);
    (void)hitlgate::receipts::SigningInput(*r);
    (void)hitlgate::receipts::VerifyReceipt(*r, action, fix.keys);
  }
  (void)hitlgate::receipts::VerifyReceiptJson(receipt, action, fix.keys);
  (void)hitlgate::receipts::ActionDigest(action);
  (void)hitlgate::receipts::DecodePublicKeys(input);
  return 0;
}
