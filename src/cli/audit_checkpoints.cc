#include "cli/audit_checkpoints.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "hitlgate/audit/merkle.h"
#include "hitlgate/codec/json_writer.h"
#include "hitlgate/receipts/checkpoint.h"
#include "hitlgate/receipts/signing_keys.h"

namespace hitlgate::cli {
namespace {

// The verifying keys: --keys (the published list), else the data folder's
// own key file (only its public halves are used).
Result<std::vector<receipts::PublicKeyInfo>> LoadKeys(const AuditVerifyOptions& o) {
  if (!o.keys_path.empty()) {
    std::ifstream in(o.keys_path, std::ios::binary);
    if (!in) return NotFound("cannot read " + o.keys_path);
    std::stringstream s;
    s << in.rdbuf();
    auto keys = receipts::DecodePublicKeys(s.str());
    if (!keys) return InvalidArgument(o.keys_path + ": " + keys.error().message());
    return keys;
  }
  const std::string path = (std::filesystem::path(o.data_dir) / receipts::kKeyFileName).string();
  if (!o.file.empty() || !std::filesystem::exists(path)) {
    return InvalidArgument("--checkpoint-dir needs --keys (the gateway's GET /v1/receipt-keys)");
  }
  receipts::FileKeyStore store(path);
  auto stored = store.Load();
  HITLGATE_RETURN_IF_ERROR(stored);
  std::vector<receipts::PublicKeyInfo> keys;
  for (const auto& k : *stored) keys.push_back(k.info);
  return keys;
}

struct Loaded {
  std::vector<receipts::CheckpointFile> files;
  std::vector<receipts::PublicKeyInfo> keys;
};

Result<Loaded> LoadCheckpoints(const AuditVerifyOptions& o) {
  Loaded l;
  auto keys = LoadKeys(o);
  HITLGATE_RETURN_IF_ERROR(keys);
  l.keys = std::move(*keys);
  auto files = receipts::ReadCheckpointDir(o.checkpoint_dir);
  HITLGATE_RETURN_IF_ERROR(files);
  l.files = std::move(*files);
  return l;
}

void PrintCheckpointProblems(const receipts::CheckedCheckpoints& c) {
  for (const auto& p : c.problems) {
    std::printf("  checkpoint %s (seq %lld): %s\n", p.file.c_str(), static_cast<long long>(p.seq),
                p.detail.c_str());
  }
}

}  // namespace

int VerifyAndReport(audit::RecordSource& source, audit::VerifyOptions vo,
                    const audit::CorruptionReporter& reporter, const AuditVerifyOptions& options,
                    std::string_view what) {
  const std::string name(what);
  receipts::LogCheck check;
  if (options.checkpoint_dir.empty()) {
    check.chain = audit::VerifyChain(source, vo, reporter);
  } else {
    auto loaded = LoadCheckpoints(options);
    if (!loaded) {
      std::fprintf(stderr, "hitlgate: %s\n", loaded.error().message().c_str());
      return 2;
    }
    check = receipts::VerifyLogWithCheckpoints(source, loaded->files, loaded->keys, vo, reporter);
    PrintCheckpointProblems(check.checkpoints);
    std::printf("checkpoints: %zu of %zu verified, certifying seq 1..%zu\n", check.checkpoints.valid.size(),
                loaded->files.size(), check.checkpoints.certified_hashes.size());
  }
  const audit::VerifySummary& s = check.chain;
  if (!s.ok()) {
    std::printf("FAILED: %s: first bad record seq %lld: %s (%s); %d problem(s) in all\n", name.c_str(),
                static_cast<long long>(s.first_bad_seq), std::string(audit::ProblemName(s.problem)).c_str(),
                s.detail.c_str(), s.problems_reported);
    return 1;
  }
  if (!check.checkpoints.problems.empty()) {
    std::printf("FAILED: %s: the chain links, but %zu checkpoint(s) do not verify\n", name.c_str(),
                check.checkpoints.problems.size());
    return 1;
  }
  std::printf("ok: %s: %lld records, seq %lld..%lld, head %s\n", name.c_str(),
              static_cast<long long>(s.records_checked), static_cast<long long>(s.first_seq),
              static_cast<long long>(s.last_seq), s.last_hash.c_str());
  // What a deletion of the newest records could still hide.
  if (options.checkpoint_dir.empty()) {
    std::printf("tail: no checkpoints given: deleting the newest records would not be detected "
                "(serve writes them to DATA/checkpoints; pass --checkpoint-dir)\n");
  } else {
    const auto certified = static_cast<long long>(check.checkpoints.certified_hashes.size());
    const long long uncovered = std::max(0LL, static_cast<long long>(s.last_seq) - certified);
    if (uncovered == 0) {
      std::printf("tail: every record is covered by a checkpoint\n");
    } else {
      std::printf("tail: %lld record(s), seq %lld..%lld, not yet covered by a checkpoint\n", uncovered,
                  certified + 1, static_cast<long long>(s.last_seq));
    }
  }
  return 0;
}

int ProveInclusion(audit::RecordSource& source, const AuditProveOptions& options) {
  const AuditVerifyOptions& o = options.source;
  receipts::CheckedCheckpoints checked;
  if (!o.checkpoint_dir.empty()) {
    auto loaded = LoadCheckpoints(o);
    if (!loaded) {
      std::fprintf(stderr, "hitlgate: %s\n", loaded.error().message().c_str());
      return 2;
    }
    checked = receipts::VerifyCheckpoints(loaded->files, loaded->keys);
    PrintCheckpointProblems(checked);
  }
  // The leaves: every record's hash, the purged ones from the checkpoints.
  std::vector<std::string> hashes;
  for (;;) {
    auto next = source.Next();
    if (!next) {
      std::fprintf(stderr, "hitlgate: %s\n", next.error().ToString().c_str());
      return 2;
    }
    if (!*next) break;
    const audit::AuditRecord& r = **next;
    if (hashes.empty() && r.seq > 1) {
      if (checked.certified_hashes.size() < static_cast<size_t>(r.seq - 1)) {
        std::fprintf(stderr, "hitlgate: the log starts at seq %lld and no checkpoint covers the records before it\n",
                     static_cast<long long>(r.seq));
        return 1;
      }
      hashes.assign(checked.certified_hashes.begin(), checked.certified_hashes.begin() + (r.seq - 1));
    }
    if (r.seq != static_cast<std::int64_t>(hashes.size()) + 1) {
      std::printf("FAILED: the log is not gapless at seq %lld: run audit verify\n", static_cast<long long>(r.seq));
      return 1;
    }
    hashes.push_back(r.hash);
  }
  if (options.seq < 1 || options.seq > static_cast<std::int64_t>(hashes.size())) {
    std::printf("FAILED: no record %lld (the log ends at seq %zu)\n", static_cast<long long>(options.seq), hashes.size());
    return 1;
  }
  // Against the smallest signed tree that holds the record, else the whole log.
  std::int64_t tree_size = static_cast<std::int64_t>(hashes.size());
  const receipts::Checkpoint* against = nullptr;
  for (const auto& c : checked.valid) {
    if (c.seq >= options.seq && c.seq <= tree_size) {
      against = &c;
      tree_size = c.seq;
      break;
    }
  }
  std::vector<audit::MerkleHash> leaves;
  for (std::int64_t i = 0; i < tree_size; ++i) leaves.push_back(*audit::MerkleLeaf(hashes[i]));
  const audit::MerkleHash root = audit::MerkleRoot(leaves);
  if (against != nullptr && audit::MerkleHex(root) != against->merkle_root) {
    std::printf("FAILED: the log's records 1..%lld do not give the root signed by the checkpoint at seq %lld: run audit verify\n",
                static_cast<long long>(tree_size), static_cast<long long>(against->seq));
    return 1;
  }
  const std::uint64_t index = static_cast<std::uint64_t>(options.seq - 1);
  auto proof = audit::InclusionProof(leaves, index);
  const bool verified = audit::VerifyInclusion(leaves[index], index, leaves.size(), proof, root);
  codec::JsonWriter w;
  w.BeginObject();
  w.Field("seq", options.seq);
  w.Field("record_hash", hashes[index]);
  w.Field("leaf", audit::MerkleHex(leaves[index]));
  w.Field("tree_size", tree_size);
  w.Field("root", audit::MerkleHex(root));
  if (against != nullptr) {
    w.Field("checkpoint", receipts::CheckpointFileName(against->seq));
    w.Field("key_id", against->key_id);
  }
  w.Key("proof").BeginArray();
  for (const auto& p : proof) w.String(audit::MerkleHex(p));
  w.EndArray();
  w.Field("verified", verified);
  w.EndObject();
  std::printf("%s\n", w.str().c_str());
  return verified ? 0 : 1;
}

}  // namespace hitlgate::cli
