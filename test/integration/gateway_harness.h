// GatewayHarness: the production wiring of src/server/serve.cc, in process,
// for integration tests that drive the real HTTP API over loopback: a
// SqliteStore in a fresh temporary folder, the DecisionEngine with the
// example retail policy, a FakeClock, sequential ids and a seeded random
// source, the Gateway, the Notifier (SSE and long-poll wake-ups), a
// BlockingPool, every route, and an HttpServer on 127.0.0.1, port 0. The
// test owns the clock and calls gateway().Tick() itself (the server's once-
// a-second loop is not running), so lease expiry and SLA breaches happen
// exactly when a test says.
//
// Also: WebhookReceiver, a tiny HTTP server on a loopback port that answers
// scripted statuses and records what it received.
//
// Ownership: the harness owns everything it builds and removes its folder.
// Thread-safety: build and destroy on the test's thread; HTTP calls from
// any number of threads.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "api/handlers/api_context.h"
#include "api/http/blocking_pool.h"
#include "api/http/notifier.h"
#include "api/http/router.h"
#include "api/http/server.h"
#include "hitlgate/common/clock.h"
#include "hitlgate/common/time_format.h"
#include "hitlgate/crypto/random.h"
#include "hitlgate/engine/engine.h"
#include "hitlgate/engine/memory_conversation_store.h"
#include "hitlgate/gateway/gateway.h"
#include "hitlgate/metrics/prometheus_metrics.h"
#include "hitlgate/policy/policy.h"
#include "hitlgate/receipts/signing_keys.h"
#include "hitlgate/signals/sentiment.h"
#include "hitlgate/store/id_generator.h"
#include "hitlgate/store/sqlite_store.h"
#include "integration/http_client.h"

namespace hitlgate::testing {

inline std::string ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The gateway's live updates go to the Notifier, as in serve.cc.
class NotifierLiveEvents final : public gateway::LiveEvents {
 public:
  NotifierLiveEvents(api::Notifier& notifier, api::KeyConnections& connections)
      : notifier_(notifier), connections_(connections) {}
  void Publish(std::string_view topic, std::string_view workflow, std::string_view data) override {
    notifier_.Publish(topic, workflow, data);
  }
  void TaskChanged(const std::string& task_id) override { notifier_.Notify("task:" + task_id); }
  void KeyRevoked(const std::string& key_id) override { connections_.CloseAll(key_id); }

 private:
  api::Notifier& notifier_;
  api::KeyConnections& connections_;
};

struct HarnessOptions {
  std::string policy_path = std::string(HITLGATE_SOURCE_DIR) + "/examples/policies/retail.yaml";
  Duration lease_ttl = std::chrono::seconds(60);
  size_t body_limit = 1 << 20;
  std::chrono::seconds read_timeout{30};
  std::uint64_t seed = 42;
  bool ready = true;  // what /readyz says at first (set_ready changes it)
  std::string checkpoint_dir;  // signed audit checkpoints written by Tick; empty = none
  std::int64_t checkpoint_every_records = 1000;
  std::string console_dir;  // built console assets to serve at /; empty = none
  gateway::RateLimits rate_limits;  // per key, by role; default unlimited
  gateway::AuthFailureThrottle::Options auth_failure_audit;
  api::KeyConnections::Limits key_connections;
  gateway::AddressFailureLimiter::Options auth_failures_per_address{.per_minute = 0, .burst = 0};
};

// The key tokens the harness mints at start (Bearer values).
struct HarnessKeys {
  std::string admin;
  std::string agent;        // agent scoped to workflow retail-bot
  std::string other_agent;  // agent scoped to workflow billing-bot
  std::string reviewer;     // skills: billing, orders
  std::string supervisor;   // skills: supervisor
  std::string auditor;
};

class GatewayHarness {
 public:
  // The server's secret file content (keys API key hashes, seals webhook secrets).
  static constexpr const char* kPepper = "pepper-for-integration-tests-0123456789";

  explicit GatewayHarness(HarnessOptions options = {})
      : options_(std::move(options)),
        dir_(NewTempDir()),
        clock_(*ParseRfc3339("2026-11-23T09:00:00Z")),
        ids_(1),
        random_(crypto::MakeSeededRandomForTest(options_.seed)) {
    auto opened = store::SqliteStore::Open((dir_ / "hitlgate.db").string(), {.ids = &ids_});
    if (!opened) throw std::runtime_error("open store: " + opened.error().ToString());
    store_ = std::move(*opened);
    policy_yaml_ = ReadTextFile(options_.policy_path);
    policy::CompileResult initial = policy::CompileText(policy_yaml_, options_.policy_path);
    if (!initial.ok()) throw std::runtime_error("the harness policy does not compile");
    engine_ = std::make_unique<engine::DecisionEngine>(
        initial.program, std::make_shared<engine::MemoryConversationStore>(),
        signals::SentimentScorer::Default(), clock_);
    live_ = std::make_unique<NotifierLiveEvents>(notifier_, connections_);
    gateway::GatewayOptions gopts;
    gopts.access.key_pepper = kPepper;
    gopts.lease_ttl = options_.lease_ttl;
    gopts.escalation_queue = "supervisors";
    // Signing keys as serve.cc makes them, kept in memory; their own seeded
    // source, so the keys' draws do not shift the gateway's.
    key_random_ = crypto::MakeSeededRandomForTest(options_.seed + 1);
    signing_keys_ = std::move(*receipts::SigningKeys::Open(key_store_, *key_random_, clock_.Now()));
    gopts.receipts.signing_keys = signing_keys_.get();
    gopts.receipts.checkpoint_dir = options_.checkpoint_dir;
    gopts.receipts.checkpoint_every_records = options_.checkpoint_every_records;
    gopts.access.rate_limits = options_.rate_limits;
    gopts.access.auth_failure_audit = options_.auth_failure_audit;
    gopts.access.auth_failures_per_address = options_.auth_failures_per_address;
    gateway_ = std::make_unique<gateway::Gateway>(*store_, *engine_, clock_, ids_, *random_, *live_,
                                                  metrics_, gopts);
    if (auto loaded = gateway_->policies().LoadActivePolicy(policy_yaml_, options_.policy_path); !loaded) {
      throw std::runtime_error("load policy: " + loaded.error().ToString());
    }
    auto admin = gateway_->access().Bootstrap(kAdminToken);
    if (!admin || !*admin) throw std::runtime_error("bootstrap failed");
    keys_.admin = std::string(kAdminToken);
    admin_ = *gateway_->access().Authenticate(keys_.admin);
    keys_.agent = MintKey("agent", store::Role::kAgent, {}, {"retail-bot"});
    keys_.other_agent = MintKey("other agent", store::Role::kAgent, {}, {"billing-bot"});
    keys_.reviewer = MintKey("billing reviewer", store::Role::kReviewer, {"billing", "orders"});
    keys_.supervisor = MintKey("supervisor", store::Role::kSupervisor, {"supervisor"});
    keys_.auditor = MintKey("auditor", store::Role::kAuditor);

    pool_ = std::make_unique<api::BlockingPool>(4);
    ready_ = options_.ready;
    ctx_ = std::make_unique<api::ApiContext>(api::ApiContext{
        *gateway_, *store_, notifier_, *pool_, metrics_, [this] { return ready_.load(); }, options_.console_dir});
    ctx_->inline_events = true;  // as serve runs the embedded store
    ctx_->connections = &connections_;
    auto router = std::make_shared<api::Router>();
    api::RegisterRoutes(*router, *ctx_);
    api::ServerOptions sopts;
    sopts.address = "127.0.0.1";
    sopts.port = 0;
    sopts.threads = 2;
    sopts.body_limit = options_.body_limit;
    sopts.read_timeout = options_.read_timeout;
    sopts.stop_grace = std::chrono::milliseconds(500);
    server_ = std::make_unique<api::HttpServer>(sopts, router);
    auto port = server_->Start();
    if (!port) throw std::runtime_error("start server: " + port.error().ToString());
    port_ = *port;
  }

  ~GatewayHarness() {
    // The server first (no handler may still run), then the pool, then the
    // service and its store; the folder last.
    server_->Stop();
    pool_->Stop();
    server_.reset();
    ctx_.reset();
    pool_.reset();
    gateway_.reset();
    engine_.reset();
    store_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  GatewayHarness(const GatewayHarness&) = delete;
  GatewayHarness& operator=(const GatewayHarness&) = delete;

  // ---- HTTP ----
  HttpReply Call(const std::string& method, const std::string& target, const std::string& body,
                 const std::string& token) const {
    return HttpCall(port_, method, target, body, token);
  }
  HttpReply Get(const std::string& target, const std::string& token) const {
    return Call("GET", target, "", token);
  }
  HttpReply Post(const std::string& target, const std::string& body, const std::string& token) const {
    return Call("POST", target, body, token);
  }

  // Mints a key directly through the service (as the admin).
  std::string MintKey(std::string name, store::Role role, std::vector<std::string> skills = {},
                      std::vector<std::string> workflows = {}) {
    gateway::KeyRequest r{std::move(name), role, std::move(skills), {}, std::move(workflows), 0};
    auto key = gateway_->access().CreateKey(admin_, r);
    if (!key) throw std::runtime_error("create key: " + key.error().ToString());
    return key->token;
  }

  unsigned short port() const { return port_; }
  // The data folder (the SQLite database and its WAL).
  const std::filesystem::path& dir() const { return dir_; }
  FakeClock& clock() { return clock_; }
  gateway::Gateway& gateway() { return *gateway_; }
  store::Store& store() { return *store_; }
  api::Notifier& notifier() { return notifier_; }
  api::KeyConnections& connections() { return connections_; }
  receipts::SigningKeys& signing_keys() { return *signing_keys_; }
  const HarnessKeys& keys() const { return keys_; }
  const std::string& policy_yaml() const { return policy_yaml_; }
  void set_ready(bool ready) { ready_ = ready; }

  static constexpr std::string_view kAdminToken =
      "hg_a1b2c3d4e5f6_7777777777777777777777777777777777777777777777777777777777777777";

 private:
  static std::filesystem::path NewTempDir() {
    static std::atomic<int> counter{0};
    auto dir = std::filesystem::temp_directory_path() /
               ("hitlgate-http-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
  }

  HarnessOptions options_;
  std::filesystem::path dir_;
  FakeClock clock_;
  store::SequentialIdGenerator ids_;
  std::unique_ptr<crypto::RandomSource> random_;
  std::unique_ptr<store::SqliteStore> store_;
  receipts::MemoryKeyStore key_store_;
  std::unique_ptr<crypto::RandomSource> key_random_;
  std::unique_ptr<receipts::SigningKeys> signing_keys_;
  std::string policy_yaml_;
  std::unique_ptr<engine::DecisionEngine> engine_;
  metrics::PrometheusMetrics metrics_;
  api::Notifier notifier_;
  api::KeyConnections connections_{options_.key_connections};
  std::unique_ptr<NotifierLiveEvents> live_;
  std::unique_ptr<gateway::Gateway> gateway_;
  gateway::Principal admin_;
  HarnessKeys keys_;
  std::unique_ptr<api::BlockingPool> pool_;
  std::atomic<bool> ready_{true};
  std::unique_ptr<api::ApiContext> ctx_;
  std::unique_ptr<api::HttpServer> server_;
  unsigned short port_ = 0;
};

// A webhook endpoint for tests: accepts one connection at a time on
// 127.0.0.1 (port 0), reads one request (Content-Length body), records it
// and answers the next scripted status (200 once the script runs out).
class WebhookReceiver {
 public:
  struct Received {
    std::string target;
    std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
    std::string body;
    std::string Header(std::string_view name) const {
      HttpReply r;
      r.headers = headers;
      return r.Header(name);
    }
  };

  explicit WebhookReceiver(std::vector<int> statuses) : statuses_(std::move(statuses)) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = 0;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || listen(fd_, 8) != 0) {
      throw std::runtime_error("webhook receiver: cannot listen");
    }
    socklen_t len = sizeof addr;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Run(); });
  }

  ~WebhookReceiver() {
    stopping_ = true;
    shutdown(fd_, SHUT_RDWR);  // wakes accept()
    thread_.join();
    close(fd_);
  }

  unsigned short port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hooks/hitlgate"; }

  std::vector<Received> received() const {
    std::lock_guard lock(mu_);
    return received_;
  }

 private:
  void Run() {
    while (!stopping_) {
      int c = accept(fd_, nullptr, nullptr);
      if (c < 0) {
        if (stopping_) return;
        continue;
      }
      timeval tv{5, 0};
      setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
      std::string raw;
      char buf[8192];
      size_t header_end = std::string::npos;
      size_t need = 0;
      for (;;) {
        ssize_t n = recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        raw.append(buf, static_cast<size_t>(n));
        if (header_end == std::string::npos) {
          header_end = raw.find("\r\n\r\n");
          if (header_end != std::string::npos) {
            HttpReply head;
            // Reuse the response-header parser: swap the request line for a
            // status line so the header fields parse alike.
            std::string fake = "HTTP/1.1 000 X" + raw.substr(raw.find("\r\n"), header_end - raw.find("\r\n"));
            internal::ParseHead(fake, &head);
            const std::string cl = head.Header("content-length");
            need = header_end + 4 + (cl.empty() ? 0 : std::stoul(cl));
            Received r;
            size_t sp1 = raw.find(' '), sp2 = raw.find(' ', sp1 + 1);
            r.target = raw.substr(sp1 + 1, sp2 - sp1 - 1);
            r.headers = std::move(head.headers);
            pending_ = std::move(r);
          }
        }
        if (header_end != std::string::npos && raw.size() >= need) break;
      }
      int status = 200;
      {
        std::lock_guard lock(mu_);
        if (header_end != std::string::npos) {
          pending_.body = raw.substr(header_end + 4);
          received_.push_back(std::move(pending_));
          pending_ = {};
        }
        if (next_ < statuses_.size()) status = statuses_[next_++];
      }
      std::string answer = "HTTP/1.1 " + std::to_string(status) +
                           " X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
      (void)internal::SendAll(c, answer);
      close(c);
    }
  }

  std::vector<int> statuses_;
  int fd_ = -1;
  unsigned short port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<Received> received_;  // guarded by mu_
  size_t next_ = 0;                 // guarded by mu_
  Received pending_;                // receiver thread only
};

}  // namespace hitlgate::testing
