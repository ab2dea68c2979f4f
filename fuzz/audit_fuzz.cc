// Audit records from outside (a JSON-lines export given to `hitlgate audit
// verify --file`, checkpoint files from an object store): each line is
// decoded, the decoded records are verified as a chain, and the whole input
// is also tried as a checkpoint file. Any result is fine; a crash, leak or
// undefined behaviour is not.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "hitlgate/audit/json_lines.h"
#include "hitlgate/audit/record.h"
#include "hitlgate/audit/verifier.h"
#include "hitlgate/receipts/checkpoint.h"

namespace {

// A genuine three-record chain as JSON lines, made once: "!" inputs damage
// it, which reaches the hash and linkage checks that random text never does.
const std::string& ValidLines() {
  static const std::string lines = [] {
    std::string out;
    std::string prev(hitlgate::audit::kGenesisHash);
    for (int i = 1; i <= 3; ++i) {
      hitlgate::audit::AuditRecord r;
      r.seq = i;
      r.at = hitlgate::TimePoint{std::chrono::seconds(1'700'000'000 + i)};
      r.kind = i == 2 ? "verdict" : "event";
      r.actor = "k-" + std::to_string(i);
      r.subject = "c-1";
      r.payload_json = R"({"n":)" + std::to_string(i) + R"(,"text":"h\u00e9llo"})";
      r.prev_hash = prev;
      r.hash = hitlgate::audit::ComputeHash(r);
      prev = r.hash;
      out += hitlgate::audit::EncodeJsonLine(r);
      out += '\n';
    }
    return out;
  }();
  return lines;
}

// The damage mode is only worth running if the undamaged chain verifies.
void CheckGenuineChain() {
  std::vector<hitlgate::audit::AuditRecord> records;
  std::string_view rest = ValidLines();
  while (!rest.empty()) {
    const size_t nl = rest.find('\n');
    auto r = hitlgate::audit::DecodeJsonLine(rest.substr(0, nl));
    if (!r) std::abort();
    records.push_back(std::move(*r));
    rest.remove_prefix(nl + 1);
  }
  hitlgate::audit::SpanRecordSource source(records);
  if (records.size() != 3 || !hitlgate::audit::VerifyChain(source).ok()) {
    std::fprintf(stderr, "audit_records_fuzz: the genuine chain does not verify\n");
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  static const bool checked = (CheckGenuineChain(), true);
  (void)checked;
  std::string damaged;
  if (!input.empty() && input[0] == '!') {
    // "!" + (position, xor) byte pairs applied to the genuine chain.
    damaged = ValidLines();
    for (size_t i = 1; i + 1 < input.size(); i += 2) {
      damaged[static_cast<unsigned char>(input[i]) * 3 % damaged.size()] ^= input[i + 1];
    }
    input = damaged;
  }
  std::vector<hitlgate::audit::AuditRecord> records;
  std::string_view rest = input;
  while (!rest.empty()) {
    const size_t nl = rest.find('\n');
    const std::string_view line = rest.substr(0, nl);
    if (auto r = hitlgate::audit::DecodeJsonLine(line)) {
      // What decodes must encode again (export after import).
      (void)hitlgate::audit::EncodeJsonLine(*r);
      records.push_back(std::move(*r));
    }
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  hitlgate::audit::SpanRecordSource source(records);
  (void)hitlgate::audit::VerifyChain(source);
  if (auto c = hitlgate::receipts::DecodeCheckpoint(input)) {
    (void)hitlgate::receipts::EncodeCheckpoint(*c);
    (void)hitlgate::receipts::CheckpointSigningInput(*c);
  }
  return 0;
}
