#include "server/serve.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "api/handlers/api_context.h"
#include "api/http/server.h"
#include "api/webhooks/webhook_sender.h"
#include "hitlgate/common/durable_file.h"
#include "hitlgate/crypto/random.h"
#include "hitlgate/engine/memory_conversation_store.h"
#include "hitlgate/gateway/gateway.h"
#include "hitlgate/metrics/prometheus_metrics.h"
#include "hitlgate/receipts/signing_keys.h"
#include "hitlgate/store/sqlite_store.h"
#include "server/assist_loader.h"
#include "server/learning_models.h"
#include "server/store_factory.h"

namespace hitlgate::server {
namespace {

namespace fs = std::filesystem;

// Live updates go to the HTTP layer's notifier (SSE and long-polls).
class NotifierLiveEvents final : public gateway::LiveEvents {
 public:
  NotifierLiveEvents(api::Notifier& notifier, api::KeyConnections& connections)
      : notifier_(notifier), connections_(connections) {}
  void Publish(std::string_view topic, std::string_view workflow, std::string_view data) override {
    notifier_.Publish(topic, workflow, data);
  }
  void TaskChanged(const std::string& task_id) override { notifier_.Notify("task:" + task_id); }
  // A revoked key keeps no stream or long-poll open.
  void KeyRevoked(const std::string& key_id) override { connections_.CloseAll(key_id); }

 private:
  api::Notifier& notifier_;
  api::KeyConnections& connections_;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The secret mixed into stored key hashes: created once, 0600, in the data
// folder. Losing it invalidates every key (by design: a copied database
// alone does not let anyone check guessed keys).
Result<std::string> LoadOrCreatePepper(const std::string& data_dir, crypto::RandomSource& random) {
  const std::string path = data_dir + "/secret.key";
  if (fs::exists(path)) {
    std::string pepper = ReadFile(path);
    while (!pepper.empty() && (pepper.back() == '\n' || pepper.back() == '\r')) pepper.pop_back();
    if (pepper.size() < 32) return FailedPrecondition(path + " is shorter than 32 characters");
    return pepper;
  }
  std::string pepper = random.Hex(32);
  // 0600 from creation and on disk before any key is hashed with it.
  HITLGATE_RETURN_IF_ERROR(WriteFileDurably(path, pepper + "\n"));
  return pepper;
}

volatile std::sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

}  // namespace

int RunServe(const ServeOptions& options) {
  // Everything the server creates (the database and its journal, secrets,
  // signing keys) holds customer text or secrets: private to the server's
  // user from creation, whatever the shell's umask.
  ::umask(0077);
  std::error_code ec;
  fs::create_directories(options.data_dir, ec);
  if (!ec) {
    // A folder made earlier under a looser umask is tightened too.
    fs::permissions(options.data_dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  }
  if (ec) {
    std::fprintf(stderr, "hitlgate: cannot create %s: %s\n", options.data_dir.c_str(), ec.message().c_str());
    return 1;
  }
  SystemClock clock;
  auto random = crypto::MakeSystemRandom();
  store::RandomIdGenerator ids(random.get());
  auto pepper = LoadOrCreatePepper(options.data_dir, *random);
  if (!pepper) {
    std::fprintf(stderr, "hitlgate: %s\n", pepper.error().ToString().c_str());
    return 1;
  }
  auto store = OpenStore(options.store_url, options.data_dir, &ids);
  if (!store) {
    std::fprintf(stderr, "hitlgate: %s\n", store.error().ToString().c_str());
    return 1;
  }

  std::string fallback_yaml = kDefaultPolicyYaml;
  std::string fallback_name = "built-in retail example policy";
  if (!options.policy_path.empty()) {
    if (!fs::exists(options.policy_path)) {
      std::fprintf(stderr, "hitlgate: no policy file %s\n", options.policy_path.c_str());
      return 1;
    }
    fallback_yaml = ReadFile(options.policy_path);
    fallback_name = options.policy_path;
  }
  policy::CompileResult initial = policy::CompileText(fallback_yaml, fallback_name);
  for (const auto& issue : initial.issues) std::fprintf(stderr, "%s\n", issue.ToString().c_str());
  if (!initial.ok()) return 1;

  std::shared_ptr<const signals::SentimentScorer> scorer = signals::SentimentScorer::Default();
  if (!options.lexicon_path.empty()) {
    auto loaded = signals::SentimentScorer::FromFile(options.lexicon_path);
    if (!loaded) {
      std::fprintf(stderr, "hitlgate: %s\n", loaded.error().ToString().c_str());
      return 1;
    }
    scorer = *loaded;
  }
  // In memory for SQLite; in the database for a cluster (docs/cluster.md).
  auto conversations = OpenConversationStore(options.store_url);
  if (!conversations) {
    std::fprintf(stderr, "hitlgate: conversation state: %s\n", conversations.error().ToString().c_str());
    return 1;
  }
  engine::DecisionEngine engine(initial.program, *conversations, scorer, clock);
  if (auto attached = AttachLearningModels(options.learning, engine); !attached) {
    std::fprintf(stderr, "hitlgate: %s\n", attached.error().message().c_str());
    return 1;
  }
  metrics::PrometheusMetrics metrics;
  api::Notifier notifier;
  api::KeyConnections connections;
  NotifierLiveEvents local_live(notifier, connections);
  // In a cluster, live updates also reach (and come from) the other nodes.
  std::unique_ptr<ClusterLiveEvents> cluster_live;
  if (IsSharedStore(options.store_url)) {
    auto started = ClusterLiveEvents::Start(options.store_url, local_live);
    if (!started) {
      std::fprintf(stderr, "hitlgate: live updates: %s\n", started.error().ToString().c_str());
      return 1;
    }
    cluster_live = std::move(*started);
  }
  gateway::LiveEvents& live = cluster_live ? static_cast<gateway::LiveEvents&>(*cluster_live)
                                           : local_live;
  gateway::GatewayOptions gopts;
  gopts.access.key_pepper = *pepper;
  // Per-key request rates by role: agents are machines, people click.
  for (const char* spec : {"agent=200/400", "reviewer=20/60", "supervisor=20/60", "auditor=20/100",
                           "admin=20/60"}) {
    (void)gateway::ParseRateLimit(spec, &gopts.access.rate_limits);
  }
  for (const std::string& spec : options.rate_limits) {
    if (auto ok = gateway::ParseRateLimit(spec, &gopts.access.rate_limits); !ok) {
      std::fprintf(stderr, "hitlgate: --rate-limit: %s\n", ok.error().message().c_str());
      return 1;
    }
  }
  gopts.lease_ttl = std::chrono::seconds(options.lease_seconds);
  gopts.event_clock_skew = std::chrono::seconds(options.event_clock_skew_seconds);
  // Earned autonomy: a promotion must need evidence, and HOOTL more than HOTL.
  const autonomy::AutonomyConfig& ac = options.autonomy;
  if (ac.min_cases > ac.window) {
    std::fprintf(stderr, "hitlgate: --autonomy-min-cases %d is more than --autonomy-window %d\n", ac.min_cases,
                 ac.window);
    return 1;
  }
  if (ac.hotl_target > ac.hootl_target) {
    std::fprintf(stderr, "hitlgate: --autonomy-hotl-target %.3f is above --autonomy-hootl-target %.3f\n",
                 ac.hotl_target, ac.hootl_target);
    return 1;
  }
  gopts.autonomy = ac;
  gopts.escalation_queue = options.escalation_queue;
  if (options.audit_retention_days < 183 && !options.allow_short_retention) {
    std::fprintf(stderr,
                 "hitlgate: --audit-retention-days %d is under the 183-day minimum for decision logs "
                 "(EU AI Act); add --allow-short-retention to override deliberately\n",
                 options.audit_retention_days);
    return 1;
  }
  gopts.audit_retention = std::chrono::hours(24) * options.audit_retention_days;
  gopts.text_retention = std::chrono::hours(24) * std::max(options.text_retention_days, 0);
  gopts.allow_short_retention = options.allow_short_retention;
  // Approval receipts and audit checkpoints are signed with keys kept in the
  // data folder (0600), made on the first start.
  // Kept apart from the database when --checkpoint-key says where: a thief
  // of the data folder alone can then not re-sign a rewritten log.
  const std::string key_path = options.signing_key_file.empty()
                                   ? (fs::path(options.data_dir) / receipts::kKeyFileName).string()
                                   : options.signing_key_file;
  receipts::FileKeyStore key_file(key_path);
  auto signing_keys = receipts::SigningKeys::Open(key_file, *random, clock.Now());
  if (!signing_keys) {
    std::fprintf(stderr, "hitlgate: signing keys: %s\n", signing_keys.error().ToString().c_str());
    return 1;
  }
  gopts.receipts.signing_keys = signing_keys->get();
  // On by default: without checkpoints, deleting the newest audit records
  // leaves a chain that still links (docs/audit-format.md).
  if (!options.no_checkpoints) {
    gopts.receipts.checkpoint_dir = options.checkpoint_dir.empty()
                                        ? (fs::path(options.data_dir) / "checkpoints").string()
                                        : options.checkpoint_dir;
  }
  gopts.receipts.checkpoint_every_records = std::max(options.checkpoint_every_records, 1);
  gopts.receipts.checkpoint_interval = std::chrono::minutes(std::max(options.checkpoint_minutes, 1));
  gateway::Gateway gateway(**store, engine, clock, ids, *random, live, metrics, gopts);
  if (cluster_live) {
    // Another node's revocation reaches this node's key cache at once.
    cluster_live->OnRemoteKeyRevoked([&gateway, &connections](const std::string& key_id) {
      gateway.access().ForgetKey(key_id);
      connections.CloseAll(key_id);
    });
  }
  // Unhooked before the gateway goes (declared after it, destroyed before).
  struct Unhook {
    ClusterLiveEvents* live;
    ~Unhook() {
      if (live != nullptr) live->OnRemoteKeyRevoked(nullptr);
    }
  } unhook{cluster_live.get()};

  if (auto loaded = gateway.policies().LoadActivePolicy(fallback_yaml, fallback_name); !loaded) {
    std::fprintf(stderr, "hitlgate: %s\n", loaded.error().ToString().c_str());
    return 1;
  }
  const char* env_key = std::getenv("HITLGATE_ADMIN_KEY");
  auto admin = gateway.access().Bootstrap(env_key ? env_key : "");
  if (!admin) {
    std::fprintf(stderr, "hitlgate: %s\n", admin.error().ToString().c_str());
    return 1;
  }
  if (*admin && env_key == nullptr) {
    // Shown once; only its keyed hash is stored.
    std::printf("hitlgate: first start: admin API key (shown once, store it now):\n  %s\n",
                (*admin)->token.c_str());
  }

  std::string console_dir = options.console_dir;
  if (console_dir.empty() && fs::exists("web/dist/index.html")) console_dir = "web/dist";

  api::BlockingPool pool(64);
  std::atomic<bool> ready{false};
  api::ApiContext ctx{gateway, **store, notifier, pool, metrics, [&ready] { return ready.load(); }, console_dir};
  // With the embedded store every step of an event but the write is CPU
  // work: it runs where the request was read. A shared store's reads and
  // row locks go over the network, so there events take the blocking pool.
  ctx.inline_events = !IsSharedStore(options.store_url);
  ctx.metrics_need_key = options.metrics_need_key;
  ctx.connections = &connections;
  auto assist = LoadAssist(options, **store, clock.Now());
  if (!assist) {
    std::fprintf(stderr, "hitlgate: %s\n", assist.error().ToString().c_str());
    return 1;
  }
  ctx.assist = assist->service.get();
  ctx.assist_knowledge = assist->versions.get();
  auto router = std::make_shared<api::Router>();
  api::RegisterRoutes(*router, ctx);

  api::ServerOptions sopts;
  sopts.address = options.address;
  sopts.port = options.port;
  sopts.threads = options.threads;
  sopts.tls.cert_file = options.tls_cert;
  sopts.tls.key_file = options.tls_key;
  sopts.tls.client_ca_file = options.tls_client_ca;
  api::HttpServer http(sopts, router);
  auto port = http.Start();
  if (!port) {
    std::fprintf(stderr, "hitlgate: %s\n", port.error().ToString().c_str());
    return 1;
  }
  api::WebhookSender webhooks(**store, clock, {.secret_key = *pepper});
  webhooks.Start();
  ready = true;
  std::printf("hitlgate: listening on %s://%s:%u (data in %s, policy %s)%s\n",
              sopts.tls.enabled() ? "https" : "http", options.address.c_str(),
              static_cast<unsigned>(*port), options.data_dir.c_str(),
              engine.policy()->version().c_str(),
              console_dir.empty() ? "" : ", console at /");
  std::fflush(stdout);

  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  // The periodic work (deadlines, hold notices, checkpoints, autonomy
  // levels) yields to the threads that answer requests: on a busy core its
  // once-a-second burst otherwise sits in front of waiting requests. Linux
  // applies nice values per thread; every other thread was started above.
  (void)setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);
  while (!g_stop) {
    if (auto tick = gateway.Tick(); !tick) {
      std::fprintf(stderr, "hitlgate: periodic work failed: %s\n", tick.error().ToString().c_str());
    }
    // Knowledge another node activated (a list without documents, each tick).
    if (ctx.assist_knowledge != nullptr) {
      if (auto followed = ctx.assist_knowledge->FollowActive(); !followed) {
        std::fprintf(stderr, "hitlgate: following the active knowledge version: %s\n",
                     followed.error().ToString().c_str());
      } else if (*followed) {
        std::printf("hitlgate: agent assist now serves the knowledge version activated elsewhere\n");
        std::fflush(stdout);
      }
    }
    for (int i = 0; i < 10 && !g_stop; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::printf("hitlgate: shutting down\n");
  ready = false;
  http.Stop();
  webhooks.Stop();
  pool.Stop();
  return 0;
}

}  // namespace hitlgate::server
