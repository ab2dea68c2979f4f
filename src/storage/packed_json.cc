#include "storage/packed_json.h"

#include <zlib.h>

#include <array>
#include <memory>

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

std::string Pack(std::string_view json, unsigned char format) {
  thread_local Deflater d;
  std::string out(1, static_cast<char>(format));
  if (!d.ok) std::abort();  // only when out of memory at thread start
  deflateReset(&d.z);
  const std::string_view dictionary = DictionaryFor(format);
  deflateSetDictionary(&d.z, Bytes(dictionary), static_cast<uInt>(dictionary.size()));
  out.resize(1 + deflateBound(&d.z, static_cast<uLong>(json.size())));
  d.z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(json.data()));
  d.z.avail_in = static_cast<uInt>(json.size());
  d.z.next_out = reinterpret_cast<Bytef*>(out.data() + 1);
  d.z.avail_out = static_cast<uInt>(out.size() - 1);
  // deflateBound guarantees one call finishes the stream.
  if (deflate(&d.z, Z_FINISH) != Z_STREAM_END) std::abort();
  out.resize(out.size() - d.z.avail_out);
  return out;
}

}  // namespace

std::string PackJson(std::string_view json) { return Pack(json, kPackedJsonV1); }

std::string PackAuditPayload(std::string_view payload_json) {
  return Pack(payload_json, kPackedAuditPayloadV1);
}

PackedDecision PackDecision(const DecisionRecord& d, const std::optional<NewTask>& task) {
  return {PackJson(d.event_json), PackJson(d.decision_json),
          task ? PackJson(task->context_json) : std::string()};
}

Result<std::string> UnpackJson(std::string_view packed) {
  const auto format = packed.empty() ? 0 : static_cast<unsigned char>(packed[0]);
  if (format != kPackedJsonV1 && format != kPackedAuditPayloadV1) {
    return DataLoss("packed JSON has an unknown format byte");
  }
  thread_local Inflater f;
  if (!f.ok) return DataLoss("packed JSON: zlib could not start");
  inflateReset(&f.z);
  // Raw streams take their dictionary before the first byte.
  const std::string_view dictionary = DictionaryFor(format);
  inflateSetDictionary(&f.z, Bytes(dictionary), static_cast<uInt>(dictionary.size()));
  f.z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data() + 1));
  f.z.avail_in = static_cast<uInt>(packed.size() - 1);
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
  return out;
}

}  // namespace hitlgate::store::internal
