#include "hitlgate/receipts/checkpoint.h"

#include "hitlgate/common/durable_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "hitlgate/audit/payload.h"
#include "hitlgate/codec/json.h"
#include "hitlgate/crypto/sign.h"
#include "receipts/json_fields.h"

namespace hitlgate::receipts {
namespace {

namespace fs = std::filesystem;

void PutU64(std::uint64_t v, std::string* out) {
  for (int i = 7; i >= 0; --i) out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void PutField(std::string_view s, std::string* out) {
  PutU64(s.size(), out);
  out->append(s);
}

std::string S(std::int64_t v) { return std::to_string(v); }

// Whether `keys` vouch for `c`'s signature; empty when they do.
std::string SignatureProblem(const Checkpoint& c, std::span<const PublicKeyInfo> keys) {
  auto key = std::find_if(keys.begin(), keys.end(), [&](const PublicKeyInfo& k) { return k.key_id == c.key_id; });
  if (key == keys.end()) return "signed by unknown key " + c.key_id;
  crypto::Ed25519PublicKey pk{};
  crypto::Ed25519Signature sig{};
  if (!crypto::FromHexExact(key->public_key, &pk) || !crypto::FromHexExact(c.signature, &sig) ||
      !crypto::Ed25519Verify(pk, CheckpointSigningInput(c), sig)) {
    return "bad signature: the checkpoint was altered or not signed by " + c.key_id;
  }
  if (!key->ValidAt(c.at)) return "key " + c.key_id + " was not valid at " + audit::FormatMicros(c.at);
  return "";
}

}  // namespace

std::string CheckpointSigningInput(const Checkpoint& c) {
  std::string out;
  PutField(kCheckpointDomain, &out);
  PutField(c.key_id, &out);
  PutU64(static_cast<std::uint64_t>(c.seq), &out);
  PutField(c.head_hash, &out);
  PutField(c.merkle_root, &out);
  PutU64(static_cast<std::uint64_t>(c.at.time_since_epoch().count()), &out);
  return out;
}

std::string EncodeCheckpoint(const Checkpoint& c) {
  std::string out = "{\"format\":";
  codec::AppendJsonString(kCheckpointDomain, &out);
  auto str = [&out](std::string_view key, std::string_view value) {
    out += ",\"" + std::string(key) + "\":";
    codec::AppendJsonString(value, &out);
  };
  out += ",\"seq\":" + S(c.seq);
  str("head_hash", c.head_hash);
  str("merkle_root", c.merkle_root);
  str("at", audit::FormatMicros(c.at));
  str("key_id", c.key_id);
  str("signature", c.signature);
  out += ",\"first_leaf_seq\":" + S(c.first_leaf_seq) + ",\"leaves\":[";
  for (size_t i = 0; i < c.leaves.size(); ++i) {
    if (i > 0) out.push_back(',');
    codec::AppendJsonString(c.leaves[i], &out);
  }
  out += "]}";
  return out;
}

Result<Checkpoint> DecodeCheckpoint(std::string_view json) {
  auto o = internal::ParseObject(json, "checkpoint");
  HITLGATE_RETURN_IF_ERROR(o);
  internal::Fields f(*o, "checkpoint");
  auto format = f.String("format");
  HITLGATE_RETURN_IF_ERROR(format);
  if (*format != kCheckpointDomain) return f.Bad("format", "expected '" + std::string(kCheckpointDomain) + "'");
  Checkpoint c;
  auto seq = f.Int("seq");
  HITLGATE_RETURN_IF_ERROR(seq);
  if (*seq < 1) return f.Bad("seq", "must be at least 1");
  c.seq = *seq;
  auto head = f.Hex("head_hash", 64);
  HITLGATE_RETURN_IF_ERROR(head);
  c.head_hash = *head;
  auto root = f.Hex("merkle_root", 64);
  HITLGATE_RETURN_IF_ERROR(root);
  c.merkle_root = *root;
  auto at = f.Time("at");
  HITLGATE_RETURN_IF_ERROR(at);
  c.at = *at;
  auto key = f.NonEmpty("key_id");
  HITLGATE_RETURN_IF_ERROR(key);
  c.key_id = *key;
  auto sig = f.Hex("signature", 128);
  HITLGATE_RETURN_IF_ERROR(sig);
  c.signature = *sig;
  auto first = f.Int("first_leaf_seq");
  HITLGATE_RETURN_IF_ERROR(first);
  c.first_leaf_seq = *first;
  auto leaves = f.Array("leaves");
  HITLGATE_RETURN_IF_ERROR(leaves);
  for (const auto& v : **leaves) {
    if (!v.is_string() || !audit::IsHashHex(v.get_string())) {
      return f.Bad("leaves", "expected record hashes (64 lower-case hex digits)");
    }
    c.leaves.emplace_back(v.get_string());
  }
  if (c.first_leaf_seq < 1 || c.first_leaf_seq + static_cast<std::int64_t>(c.leaves.size()) - 1 != c.seq) {
    return f.Bad("first_leaf_seq", "the leaves must be the records first_leaf_seq..seq");
  }
  HITLGATE_RETURN_IF_ERROR(f.Finish());
  return c;
}

std::string CheckpointFileName(std::int64_t seq) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "checkpoint-%012lld.json", static_cast<long long>(seq));
  return buf;
}

Result<std::vector<CheckpointFile>> ReadCheckpointDir(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return NotFound("no checkpoint folder " + dir);
  std::vector<CheckpointFile> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with("checkpoint-") || !name.ends_with(".json")) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    if (!in) return Unavailable("cannot read " + entry.path().string());
    files.push_back({name, s.str()});
  }
  if (ec) return Unavailable("cannot list " + dir + ": " + ec.message());
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return files;
}

CheckedCheckpoints VerifyCheckpoints(std::span<const CheckpointFile> files,
                                     std::span<const PublicKeyInfo> keys) {
  CheckedCheckpoints out;
  audit::MerkleFrontier frontier;
  for (size_t i = 0; i < files.size(); ++i) {
    const CheckpointFile& file = files[i];
    auto fail = [&](std::int64_t seq, std::string detail) {
      if (i + 1 < files.size()) detail += "; the " + S(files.size() - i - 1) + " later checkpoint(s) were not checked";
      out.problems.push_back({file.name, seq, std::move(detail)});
    };
    auto c = DecodeCheckpoint(file.text);
    if (!c) {
      fail(0, c.error().message());
      break;
    }
    if (std::string why = SignatureProblem(*c, keys); !why.empty()) {
      fail(c->seq, why);
      break;
    }
    const auto have = static_cast<std::int64_t>(frontier.size());
    if (c->first_leaf_seq != have + 1) {
      fail(c->seq, "its records start at seq " + S(c->first_leaf_seq) + " but the checkpoints before it end at seq " +
                       S(have) + (c->first_leaf_seq > have + 1 ? " (a checkpoint file is missing)" : ""));
      break;
    }
    if (c->leaves.empty() || c->leaves.back() != c->head_hash) {
      fail(c->seq, "its head hash is not the hash of its last record");
      break;
    }
    for (const std::string& h : c->leaves) frontier.Append(*audit::MerkleLeaf(h));
    if (audit::MerkleHex(frontier.Root()) != c->merkle_root) {
      fail(c->seq, "the record hashes it lists do not give its signed Merkle root (the file was altered)");
      break;
    }
    out.certified_hashes.insert(out.certified_hashes.end(), c->leaves.begin(), c->leaves.end());
    out.valid.push_back(std::move(*c));
  }
  return out;
}

LogCheck VerifyLogWithCheckpoints(audit::RecordSource& source, std::span<const CheckpointFile> files,
                                  std::span<const PublicKeyInfo> keys, audit::VerifyOptions options,
                                  const audit::CorruptionReporter& reporter) {
  LogCheck check;
  check.checkpoints = VerifyCheckpoints(files, keys);
  options.certified_hashes = check.checkpoints.certified_hashes;
  check.chain = audit::VerifyChain(source, options, reporter);
  return check;
}

Result<std::unique_ptr<CheckpointWriter>> CheckpointWriter::Open(const std::string& dir, const SigningKeys& keys) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Unavailable("cannot create " + dir + ": " + ec.message());
  auto files = ReadCheckpointDir(dir);
  HITLGATE_RETURN_IF_ERROR(files);
  const std::vector<PublicKeyInfo> published = keys.PublicKeys();
  CheckedCheckpoints checked = VerifyCheckpoints(*files, published);
  if (!checked.problems.empty()) {
    const CheckpointProblem& p = checked.problems.front();
    return FailedPrecondition("checkpoint folder " + dir + ": " + p.file + ": " + p.detail);
  }
  std::unique_ptr<CheckpointWriter> w(new CheckpointWriter(dir, keys));
  for (const std::string& h : checked.certified_hashes) w->frontier_.Append(*audit::MerkleLeaf(h));
  if (!checked.certified_hashes.empty()) w->last_hash_ = checked.certified_hashes.back();
  if (!checked.valid.empty()) w->last_at_ = checked.valid.back().at;
  return w;
}

Result<void> CheckpointWriter::Add(const audit::AuditRecord& r) {
  if (r.seq == added_seq() + 1 && audit::ComputeHash(r) != r.hash) {
    return FailedPrecondition(
        "record " + S(r.seq) +
        " does not continue the checkpointed chain: the audit log was rewritten");
  }
  return Add(audit::AuditLink{r.seq, r.prev_hash, r.hash});
}

Result<void> CheckpointWriter::Add(const audit::AuditLink& r) {
  const std::int64_t next = added_seq() + 1;
  if (r.seq != next) {
    return FailedPrecondition("expected record " + S(next) + " to continue the checkpoints, got " + S(r.seq) +
                              (r.seq > next ? " (records were purged before they were checkpointed)" : ""));
  }
  const std::string& prev = next == 1 ? std::string(audit::kGenesisHash) : last_hash_;
  if (r.prev_hash != prev || !audit::IsHashHex(r.hash)) {
    return FailedPrecondition("record " + S(r.seq) +
                              " does not continue the checkpointed chain: the audit log was rewritten");
  }
  frontier_.Append(*audit::MerkleLeaf(r.hash));
  last_hash_ = r.hash;
  pending_.push_back(r.hash);
  return {};
}

Result<std::optional<Checkpoint>> CheckpointWriter::Write(TimePoint now) {
  if (pending_.empty()) return std::optional<Checkpoint>();
  Checkpoint c;
  c.seq = added_seq();
  c.head_hash = last_hash_;
  c.merkle_root = audit::MerkleHex(frontier_.Root());
  c.at = now;
  c.first_leaf_seq = covered_seq() + 1;
  c.leaves = pending_;
  auto sig = keys_.SignAt(now, [&c](std::string_view key_id) {
    c.key_id = std::string(key_id);
    return CheckpointSigningInput(c);
  });
  HITLGATE_RETURN_IF_ERROR(sig);
  c.signature = sig->signature_hex;

  const fs::path path = fs::path(dir_) / CheckpointFileName(c.seq);
  // Whole or not at all; private like the rest of the data folder (it holds
  // no secret, but an auditor copies it out as the server user).
  HITLGATE_RETURN_IF_ERROR(WriteFileDurably(path.string(), EncodeCheckpoint(c) + "\n"));
  pending_.clear();
  last_at_ = now;
  return std::optional<Checkpoint>(std::move(c));
}

}  // namespace hitlgate::receipts
