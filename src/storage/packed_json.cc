#include "storage/packed_json.h"

#include <zlib.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>

namespace hitlgate::store::internal {
namespace {

// Dictionary v1. FROZEN: rows packed with it must unpack forever; a change is
// a new format byte and a new dictionary beside this one. It holds the
// gateway's vocabulary only (keys in the order the writers emit them, enum
// values, trigger names, id prefixes), never a deployment's policy texts or
// customer text. DEFLATE finds matches up to 32 KiB back and codes nearer
// ones in fewer bits, so the commonest fragments come last.
constexpr std::string_view kDictionaryV1 =
    R"({"collected":{},"summary":"","repeat_contacts":1,"deadline_customer_message":")"
    R"("calibrated_confidence":0.,"triage_intent":"","triage_confidence":0.,"out_of_scope":false,)"
    R"("deadline_at":"","on_deadline":"fail_closed","fail_open","handoff","wait_message":")"
    R"("floor":"hitl","block","hotl","hold_notice_seconds":20},"sla_seconds":120,)"
    R"("metadata":{},"deadline_ms":,"language":"de","fr","es","customer_message":")"
    R"("trigger":"confidence_below","trigger":"sentiment_below","trigger":"human_request",)"
    R"("trigger":"legal_threat","trigger":"refund_request","trigger":"action_value_above",)"
    R"("type":"interaction_closed","at":"2026-01-01T00:00:00.000000Z",)"
    R"({"event":{"event_id":"","interaction_id":"","customer_id":"","workflow":"","channel":"chat",)"
    R"("type":"ai_proposal","text":"","intent":"","confidence":0.9,)"
    R"("action":{"name":"refund","amount":100,"currency":"USD","EUR","params":{"order_id":"#"}}},)"
    R"("decision":{"interaction_id":"","event_index":0,"decision":"hold","oversight":"hitl",)"
    R"("reasons":[{"trigger":"oversight_default","rule":"workflows..actions.","detail":"",)"
    R"("decision":"allow_monitored"},{"trigger":"","rule":"","detail":" USD > .00 USD","decision":"hold"}],)"
    R"("route":{"queue":"","skills":[""],"priority":2,"sla_seconds":,"hold_notice_seconds":},)"
    R"("task_id":"t-","task_url":"/v1/tasks/t-?wait=30s"})"
    R"({"event_id":"","interaction_id":"","customer_id":"","workflow":"","channel":"chat",)"
    R"("type":"customer_message","text":"")"
    R"({"interaction_id":"","event_index":0,"decision":"allow","oversight":"hootl",)"
    R"("reasons":[{"trigger":"oversight_default","rule":"defaults.customer_messages",)"
    R"("detail":"customer messages are allowed","decision":"allow"}],)"
    R"("signals":{"sentiment":0,"sentiment_trend":0,"frustration":false,"human_request":false,)"
    R"("legal_threat":false,"language":"en","topics":[],"repeat_contacts":1,"messages_per_minute":0},)"
    R"("policy_version":"sha256:","audit_sample":false})";

// Audit payload dictionary v1, FROZEN likewise: the payloads of the records
// every event writes (event, decision, task_created; docs/audit-format.md),
// keys sorted as PayloadBuilder writes them.
constexpr std::string_view kAuditDictionaryV1 =
    R"({"claim_count":1,"expires_at":"","lease_id":"","queue":""})"
    R"({"customer_message_sha256":"","edited_action_json":"","edited_text_sha256":"",)"
    R"("interaction_id":"","kind":"approved","lease_id":"","note_sha256":"","override":false,"reason":""})"
    R"({"context_sha256":"","decision_seq":,"due_at":"2026-01-01T00:00:00.000000Z","interaction_id":"",)"
    R"("kind":"hold","language":"en","priority":2,"queue":"","skills":""})"
    R"({"at":"2026-01-01T00:00:00.000000Z","channel":"chat","customer_id":"","decision_seq":,)"
    R"("event_id":"","event_index":0,"event_sha256":"","type":"ai_proposal","workflow":""})"
    R"({"at":"2026-01-01T00:00:00.000000Z","channel":"chat","customer_id":"","decision_seq":,)"
    R"("event_id":"","event_index":0,"event_sha256":"","type":"customer_message","workflow":""})"
    R"({"decision_seq":,"decision_sha256":"","event_index":0,"outcome":"allow","policy_version":"sha256:"})";

std::string_view DictionaryFor(unsigned char format) {
  return format == kPackedAuditPayloadV1 ? kAuditDictionaryV1 : kDictionaryV1;
}

// Dictionary v1 and a primer after it (the nearest, so the cheapest to refer
// to). Ids are short; the cap keeps an odd row's primer from pushing the
// vocabulary out of the 8 KiB window.
constexpr std::size_t kMaxPrimer = 4096;
std::string PrimedDictionary(std::string_view primer) {
  std::string out(kDictionaryV1);
  out.append(primer.substr(0, kMaxPrimer));
  return out;
}

// The low 16 bits of the value's CRC-32, stored after a primed value's
// format byte.
std::uint16_t Check16(std::string_view json) {
  return static_cast<std::uint16_t>(crc32(0L, reinterpret_cast<const Bytef*>(json.data()),
                                          static_cast<uInt>(json.size())) & 0xffffu);
}

const Bytef* Bytes(std::string_view s) { return reinterpret_cast<const Bytef*>(s.data()); }

// Streams kept per thread and reset per value: deflateInit2 allocates about
// 100 KiB, a cost a writer paying it twice per event would notice.
struct Deflater {
  z_stream z{};
  bool ok = false;
  Deflater() {
    // Raw DEFLATE (negative window bits): the format byte replaces zlib's
    // header, and its checksum is the row's business, not ours. An 8 KiB
    // window holds the dictionary and a typical value; the small hash table
    // (memory level 5) is what deflateReset clears per value. Level 6 packs
    // as tightly as 9 here at two thirds of the time (about 10 us for a
    // 900-byte answer on the 2-core EPYC VM).
    ok = deflateInit2(&z, 6, Z_DEFLATED, -13, 5, Z_DEFAULT_STRATEGY) == Z_OK;
  }
  ~Deflater() {
    if (ok) deflateEnd(&z);
  }
};
struct Inflater {
  z_stream z{};
  bool ok = false;
  Inflater() { ok = inflateInit2(&z, -15) == Z_OK; }
  ~Inflater() {
    if (ok) inflateEnd(&z);
  }
};

// `header` (the format byte and, for primed values, the check) then the
// DEFLATE stream of `json` against `dictionary`.
std::string Pack(std::string_view json, std::string header, std::string_view dictionary) {
  thread_local Deflater d;
  std::string out = std::move(header);
  const std::size_t start = out.size();
  if (!d.ok) std::abort();  // only when out of memory at thread start
  deflateReset(&d.z);
  deflateSetDictionary(&d.z, Bytes(dictionary), static_cast<uInt>(dictionary.size()));
  out.resize(start + deflateBound(&d.z, static_cast<uLong>(json.size())));
  d.z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(json.data()));
  d.z.avail_in = static_cast<uInt>(json.size());
  d.z.next_out = reinterpret_cast<Bytef*>(out.data() + start);
  d.z.avail_out = static_cast<uInt>(out.size() - start);
  // deflateBound guarantees one call finishes the stream.
  if (deflate(&d.z, Z_FINISH) != Z_STREAM_END) std::abort();
  out.resize(out.size() - d.z.avail_out);
  return out;
}

}  // namespace

std::string PackJson(std::string_view json) {
  return Pack(json, std::string(1, static_cast<char>(kPackedJsonV1)), kDictionaryV1);
}

std::string PackAuditPayload(std::string_view payload_json) {
  return Pack(payload_json, std::string(1, static_cast<char>(kPackedAuditPayloadV1)), kAuditDictionaryV1);
}

std::string PackPrimedJson(std::string_view json, std::string_view primer) {
  const std::uint16_t check = Check16(json);
  std::string header{static_cast<char>(kPackedPrimedJsonV1), static_cast<char>(check & 0xff),
                     static_cast<char>(check >> 8)};
  return Pack(json, std::move(header), PrimedDictionary(primer));
}

// Written as the JSON the values usually appear in (the bench's agents and
// codec::EncodeAnswer), so one back-reference can cover a key and its value
// together; values that appear in another order still match one by one.
std::string DecisionEventPrimer(const DecisionRowValues& row) {
  std::string out = R"({"event_id":")";
  out.append(row.event_id).append(R"(","interaction_id":")").append(row.interaction_id);
  out.append(R"(","customer_id":")").append(row.customer_id).append(R"(","workflow":")").append(row.workflow);
  out.append(R"(","channel":")").append(row.channel).append(R"(",)");
  return out;
}

std::string DecisionAnswerPrimer(const DecisionRowValues& row) {
  std::string out = R"({"interaction_id":")";
  out.append(row.interaction_id).append(R"(","event_index":)").append(std::to_string(row.event_index));
  out.append(R"(,"policy_version":")").append(row.policy_version).append(R"(","audit_sample":false)");
  if (!row.task_id.empty()) {
    out.append(R"(,"task_id":")").append(row.task_id).append(R"(","task_url":"/v1/tasks/)");
    out.append(row.task_id).append(R"(?wait=30s"})");
  }
  return out;
}

std::string TaskContextPrimer(std::string_view interaction_id, std::string_view customer_id,
                              std::string_view workflow) {
  std::string out = R"({"event":{"event_id":"","interaction_id":")";
  out.append(interaction_id).append(R"(","customer_id":")").append(customer_id);
  out.append(R"(","workflow":")").append(workflow).append(R"(",)");
  return out;
}

PackedDecision PackDecision(const DecisionRecord& d, const std::optional<NewTask>& task) {
  const DecisionRowValues row{d.event_id, d.interaction_id, d.customer_id, d.workflow, d.channel, d.event_index,
                              d.policy_version, task ? std::string_view(task->id) : std::string_view()};
  PackedDecision out{PackPrimedJson(d.event_json, DecisionEventPrimer(row)),
                     PackPrimedJson(d.decision_json, DecisionAnswerPrimer(row)), std::string(), std::string()};
  if (task) {
    out.context_primer = TaskContextPrimer(d.interaction_id, d.customer_id, d.workflow);
    out.context_json = PackPrimedJson(task->context_json, out.context_primer);
  }
  return out;
}

Result<std::string> UnpackJson(std::string_view packed, std::string_view primer) {
  const auto format = packed.empty() ? 0 : static_cast<unsigned char>(packed[0]);
  if (format != kPackedJsonV1 && format != kPackedAuditPayloadV1 && format != kPackedPrimedJsonV1) {
    return DataLoss("packed JSON has an unknown format byte");
  }
  const bool primed = format == kPackedPrimedJsonV1;
  std::size_t header = 1;
  std::string primed_dictionary;
  std::string_view dictionary = DictionaryFor(format);
  if (primed) {
    // Every primer holds key names, so an empty one means a caller that
    // does not know the row.
    if (primer.empty()) return DataLoss("primed packed JSON read without its row's values");
    if (packed.size() < 3) return DataLoss("packed JSON is cut short");
    header = 3;
    primed_dictionary = PrimedDictionary(primer);
    dictionary = primed_dictionary;
  }
  thread_local Inflater f;
  if (!f.ok) return DataLoss("packed JSON: zlib could not start");
  inflateReset(&f.z);
  // Raw streams take their dictionary before the first byte.
  inflateSetDictionary(&f.z, Bytes(dictionary), static_cast<uInt>(dictionary.size()));
  f.z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data() + header));
  f.z.avail_in = static_cast<uInt>(packed.size() - header);
  std::string out;
  std::array<char, 16384> chunk;
  for (;;) {
    f.z.next_out = reinterpret_cast<Bytef*>(chunk.data());
    f.z.avail_out = static_cast<uInt>(chunk.size());
    int rc = inflate(&f.z, Z_NO_FLUSH);
    out.append(chunk.data(), chunk.size() - f.z.avail_out);
    if (out.size() > kMaxUnpackedJson) return DataLoss("packed JSON unpacks to more than 64 MiB");
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK) return DataLoss("packed JSON is damaged (zlib: inflate failed)");
    if (f.z.avail_in == 0 && f.z.avail_out != 0) return DataLoss("packed JSON is cut short");
  }
  if (f.z.avail_in != 0) return DataLoss("packed JSON has bytes after its end");
  if (primed) {
    const auto stored = static_cast<std::uint16_t>(static_cast<unsigned char>(packed[1]) |
                                                   (static_cast<unsigned char>(packed[2]) << 8));
    if (Check16(out) != stored) return DataLoss("packed JSON does not match its checksum (damaged, or its row changed)");
  }
  return out;
}

}  // namespace hitlgate::store::internal
