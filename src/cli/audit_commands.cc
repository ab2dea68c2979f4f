// `hitlgate audit verify` and `hitlgate audit export`: check the hash chain
// of a gateway's data folder (or of an exported JSON-lines file) and name the
// first record that was changed, removed, inserted or reordered; export a
// time range as JSON lines. With --checkpoint-dir, the log is also checked
// against signed checkpoints, and `audit prove` prints inclusion proofs
// (audit_checkpoints.cc).
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "cli/audit_checkpoints.h"
#include "cli/commands.h"
#include "hitlgate/audit/json_lines.h"
#include "hitlgate/audit/verifier.h"
#include "hitlgate/common/time_format.h"
#include "hitlgate/crypto/random.h"
#include "hitlgate/store/audit_source.h"
#include "server/store_factory.h"

namespace hitlgate::cli {
namespace {

struct OpenedStore {
  std::unique_ptr<crypto::RandomSource> random;
  std::unique_ptr<store::IdGenerator> ids;
  std::unique_ptr<store::Store> store;
};

// The data folder's SQLite database, or the cluster's PostgreSQL.
Result<OpenedStore> OpenAuditStore(const std::string& data_dir, const std::string& store_url) {
  OpenedStore s;
  s.random = crypto::MakeSystemRandom();
  s.ids = std::make_unique<store::RandomIdGenerator>(s.random.get());
  auto opened = server::OpenStore(store_url, data_dir, s.ids.get(), /*must_exist=*/true);
  HITLGATE_RETURN_IF_ERROR(opened);
  s.store = std::move(*opened);
  return s;
}

}  // namespace

int RunAuditVerify(const AuditVerifyOptions& given) {
  AuditVerifyOptions options = given;
  // A data folder's own checkpoints (serve writes them there by default).
  if (options.checkpoint_dir.empty() && !options.data_dir.empty() && options.file.empty()) {
    const std::filesystem::path own = std::filesystem::path(options.data_dir) / "checkpoints";
    std::error_code ec;
    if (std::filesystem::is_directory(own, ec) && !std::filesystem::is_empty(own, ec)) {
      options.checkpoint_dir = own.string();
    }
  }
  auto reporter = [](const audit::ChainProblem& p) {
    std::printf("  seq %lld: %s: %s\n", static_cast<long long>(p.seq),
                std::string(audit::ProblemName(p.problem)).c_str(), p.detail.c_str());
  };
  if (!options.file.empty()) {
    std::ifstream in(options.file, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "hitlgate: cannot read %s\n", options.file.c_str());
      return 2;
    }
    audit::JsonLinesRecordSource source(in);
    audit::VerifyOptions vo;
    vo.allow_unanchored_start = options.partial;
    return VerifyAndReport(source, vo, reporter, options, options.file);
  }
  auto opened = OpenAuditStore(options.data_dir, options.store_url);
  if (!opened) {
    std::fprintf(stderr, "hitlgate: %s\n", opened.error().ToString().c_str());
    return 2;
  }
  auto head = opened->store->GetAuditHead();
  if (!head) {
    std::fprintf(stderr, "hitlgate: %s\n", head.error().ToString().c_str());
    return 2;
  }
  store::StoreAuditSource source(opened->store.get());
  audit::VerifyOptions vo;
  // The chain must reach the head the database itself names: a cut-off
  // tail is detected too.
  if (head->seq > 0) vo.expected_head = audit::ChainPoint{head->seq, head->hash};
  return VerifyAndReport(source, vo, reporter, options,
                         options.store_url.empty() ? options.data_dir : "the cluster database");
}

int RunAuditProve(const AuditProveOptions& options) {
  const AuditVerifyOptions& o = options.source;
  if (!o.file.empty()) {
    std::ifstream in(o.file, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "hitlgate: cannot read %s\n", o.file.c_str());
      return 2;
    }
    audit::JsonLinesRecordSource source(in);
    return ProveInclusion(source, options);
  }
  auto opened = OpenAuditStore(o.data_dir, o.store_url);
  if (!opened) {
    std::fprintf(stderr, "hitlgate: %s\n", opened.error().ToString().c_str());
    return 2;
  }
  store::StoreAuditSource source(opened->store.get());
  return ProveInclusion(source, options);
}

int RunAuditExport(const AuditExportOptions& options) {
  std::optional<TimePoint> from, to;
  if (!options.from.empty()) {
    auto t = ParseRfc3339(options.from);
    if (!t) {
      std::fprintf(stderr, "hitlgate: --from: %s\n", t.error().message().c_str());
      return 2;
    }
    from = *t;
  }
  if (!options.to.empty()) {
    auto t = ParseRfc3339(options.to);
    if (!t) {
      std::fprintf(stderr, "hitlgate: --to: %s\n", t.error().message().c_str());
      return 2;
    }
    to = *t;
  }
  auto opened = OpenAuditStore(options.data_dir, options.store_url);
  if (!opened) {
    std::fprintf(stderr, "hitlgate: %s\n", opened.error().ToString().c_str());
    return 2;
  }
  std::FILE* out = options.output == "-" ? stdout : std::fopen(options.output.c_str(), "wb");
  if (out == nullptr) {
    std::fprintf(stderr, "hitlgate: cannot write %s\n", options.output.c_str());
    return 2;
  }
  store::StoreAuditSource source(opened->store.get());
  long long written = 0;
  for (;;) {
    auto next = source.Next();
    if (!next) {
      std::fprintf(stderr, "hitlgate: %s\n", next.error().ToString().c_str());
      return 2;
    }
    if (!*next) break;
    const audit::AuditRecord& r = **next;
    if (from && r.at < *from) continue;
    if (to && r.at >= *to) break;  // records are in time order
    std::string line = audit::EncodeJsonLine(r);
    line.push_back('\n');
    std::fwrite(line.data(), 1, line.size(), out);
    ++written;
  }
  // Flushed before the count is printed, so the count follows the last
  // record when both go to one terminal; and a full disk is an error, not
  // a short export reported as complete.
  const bool flushed = std::fflush(out) == 0 && std::ferror(out) == 0;
  const bool closed = out == stdout || std::fclose(out) == 0;
  if (!flushed || !closed) {
    std::fprintf(stderr, "hitlgate: writing %s failed after %lld records: %s\n",
                 options.output == "-" ? "standard output" : options.output.c_str(), written,
                 std::strerror(errno));
    return 2;
  }
  std::fprintf(stderr, "exported %lld audit records\n", written);
  return 0;
}

}  // namespace hitlgate::cli
