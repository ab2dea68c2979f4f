// cluster_bench: the store side of a cluster, in one run: RecordDecision
// throughput and latency (p50/p99) with 1, 2 and 3 "nodes" on one PostgreSQL
// (each node a PostgresStore with its own writer connection and pool, as each
// `hitlgate serve` has), against SQLite (one node); then claim+verdict pairs
// per second with 32 reviewers spread over the nodes.
//
//   cluster_bench [PG_URL] [--seconds N] [--callers N]
//
// PG_URL defaults to $HITLGATE_TEST_PG_URL (scripts/pg.sh start prints one);
// without it only SQLite runs. Every PostgreSQL configuration gets a fresh
// schema, dropped afterwards. The nodes share this process's CPU, so the
// figures measure what the database can commit, not the nodes' HTTP and
// decision work (see README "Running a cluster").
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "hitlgate/store/postgres_store.h"
#include "hitlgate/store/sqlite_store.h"

namespace hitlgate::store {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

const TimePoint kT0 = TimePoint(Duration(1'795'000'000'000'000));

DecisionRecord Decision(std::int64_t n) {
  DecisionRecord d;
  d.event_id = "e-" + std::to_string(n);
  d.interaction_id = "i-" + std::to_string(n / 8);
  d.customer_id = "c-" + std::to_string(n / 64);
  d.workflow = "refunds";
  d.channel = "chat";
  d.event_index = n % 8;
  d.type = engine::EventType::kAiProposal;
  d.at = kT0;
  d.event_json =
      R"({"interaction_id":"i","type":"ai_proposal","text":"I can refund 120 EUR for order 4711.","intent":"refund","confidence":0.91})";
  d.decision_json =
      R"({"outcome":"hold","oversight":"hitl","reasons":[{"trigger":"action_value_above","rule":"refund_limit","detail":"120.00 EUR > 100.00 EUR"}],"policy_version":"sha256:abc"})";
  d.outcome = engine::Outcome::kHold;
  d.policy_version = "sha256:abc";
  d.recorded_by = "k-agent";
  return d;
}

NewTask Task(std::int64_t n) {
  NewTask t;
  t.queue = "billing";
  t.skills = {"billing"};
  t.priority = 1 + static_cast<int>(n % 5);
  t.created_at = kT0;
  t.due_at = kT0 + std::chrono::minutes(15);
  t.context_json = R"({"proposal":"refund 120 EUR","summary":"customer wants a refund"})";
  return t;
}

struct Nodes {
  std::vector<std::unique_ptr<SequentialIdGenerator>> ids;
  std::vector<std::unique_ptr<Store>> stores;
  std::function<void()> cleanup;
};

// Drops a benchmark schema with psql (libpq stays inside the store module).
void DropSchema(const std::string& url, const std::string& schema) {
  const std::string cmd = "psql -q '" + url + "' -c 'DROP SCHEMA " + schema +
                          " CASCADE' >/dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0) std::fprintf(stderr, "cluster_bench: could not drop %s\n", schema.c_str());
}

Nodes OpenPostgres(const std::string& url, int n) {
  static int round = 0;
  const std::string schema = "bench_" + std::to_string(::getpid()) + "_" + std::to_string(round++);
  Nodes nodes;
  for (int i = 0; i < n; ++i) {
    nodes.ids.push_back(std::make_unique<SequentialIdGenerator>(1 + i * 1'000'000'000ull));
    auto s = PostgresStore::Open(url, {.ids = nodes.ids.back().get(), .schema = schema});
    if (!s) {
      std::fprintf(stderr, "cluster_bench: %s\n", s.error().ToString().c_str());
      std::exit(1);
    }
    nodes.stores.push_back(std::move(*s));
  }
  nodes.cleanup = [url, schema] { DropSchema(url, schema); };
  return nodes;
}

Nodes OpenSqlite() {
  std::string tmpl = (fs::temp_directory_path() / "hitlgate-cluster-bench-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) std::abort();  // nowhere to write: nothing to measure
  Nodes nodes;
  nodes.ids.push_back(std::make_unique<SequentialIdGenerator>());
  auto s = SqliteStore::Open(tmpl + "/bench.db", {.ids = nodes.ids.back().get()});
  if (!s) std::abort();
  nodes.stores.push_back(std::move(*s));
  nodes.cleanup = [tmpl] { fs::remove_all(tmpl); };
  return nodes;
}

struct Figures {
  double per_second = 0;
  double p50_ms = 0;
  double p99_ms = 0;
};

Figures Summarize(std::vector<double>& latencies_ms, double seconds) {
  Figures f;
  if (latencies_ms.empty()) return f;
  std::sort(latencies_ms.begin(), latencies_ms.end());
  f.per_second = static_cast<double>(latencies_ms.size()) / seconds;
  f.p50_ms = latencies_ms[latencies_ms.size() / 2];
  f.p99_ms = latencies_ms[std::min(latencies_ms.size() - 1, latencies_ms.size() * 99 / 100)];
  return f;
}

// `callers` threads spread over the nodes record decisions for `seconds`.
Figures RecordDecisions(Nodes& nodes, int callers, double seconds) {
  std::atomic<std::int64_t> next{0};
  std::vector<std::vector<double>> lat(static_cast<size_t>(callers));
  const auto end = Clock::now() + std::chrono::duration<double>(seconds);
  std::vector<std::thread> threads;
  for (int c = 0; c < callers; ++c) {
    threads.emplace_back([&, c] {
      Store& store = *nodes.stores[static_cast<size_t>(c) % nodes.stores.size()];
      while (Clock::now() < end) {
        const std::int64_t n = next.fetch_add(1);
        auto task = n % 4 == 0 ? std::optional<NewTask>(Task(n)) : std::nullopt;
        const auto start = Clock::now();
        auto r = store.RecordDecision(Decision(n), task, {}, kT0);
        if (!r) std::fprintf(stderr, "RecordDecision: %s\n", r.error().ToString().c_str());
        lat[static_cast<size_t>(c)].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - start).count());
      }
    });
  }
  for (auto& t : threads) t.join();
  std::vector<double> all;
  for (auto& l : lat) all.insert(all.end(), l.begin(), l.end());
  return Summarize(all, seconds);
}

// 32 reviewers spread over the nodes claim and answer `per_reviewer` tasks each.
Figures ClaimsAndVerdicts(Nodes& nodes, int reviewers, int per_reviewer) {
  {
    std::vector<std::thread> fill;
    const int total = reviewers * per_reviewer + 64;
    for (int th = 0; th < 32; ++th) {
      fill.emplace_back([&, th] {
        Store& store = *nodes.stores[static_cast<size_t>(th) % nodes.stores.size()];
        for (int i = th; i < total; i += 32) {
          if (!store.RecordDecision(Decision(10'000'000 + i), Task(i), {}, kT0)) std::abort();
        }
      });
    }
    for (auto& t : fill) t.join();
  }
  std::vector<std::vector<double>> lat(static_cast<size_t>(reviewers));
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int rv = 0; rv < reviewers; ++rv) {
    threads.emplace_back([&, rv] {
      Store& store = *nodes.stores[static_cast<size_t>(rv) % nodes.stores.size()];
      ClaimRequest r;
      r.reviewer = "r-" + std::to_string(rv);
      r.skills = {"billing"};
      r.now = kT0 + std::chrono::seconds(1);
      Verdict v;
      v.reviewer = r.reviewer;
      for (int i = 0; i < per_reviewer; ++i) {
        const auto t0 = Clock::now();
        auto t = store.ClaimNext(r);
        if (!t) break;
        if (!store.SubmitVerdict(t->id, t->lease->lease_id, v, r.now)) break;
        lat[static_cast<size_t>(rv)].push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      }
    });
  }
  for (auto& t : threads) t.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  for (auto& l : lat) all.insert(all.end(), l.begin(), l.end());
  return Summarize(all, seconds);
}

int Main(int argc, char** argv) {
  std::string url;
  if (const char* env = std::getenv("HITLGATE_TEST_PG_URL")) url = env;
  double seconds = 5;
  int callers = 48;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--seconds" && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
    } else if (a == "--callers" && i + 1 < argc) {
      callers = std::atoi(argv[++i]);
    } else {
      url = a;
    }
  }
  std::printf("RecordDecision (1 in 4 opens a task), %d concurrent callers spread over the nodes, "
              "%.0f s each; claim+verdict pairs with 32 reviewers\n\n",
              callers, seconds);
  std::printf("| store | nodes | decisions/s | p50 ms | p99 ms | claim+verdict pairs/s | pair p99 ms |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|\n");
  auto row = [&](const char* name, int n, const std::function<Nodes()>& open) {
    Nodes a = open();
    Figures d = RecordDecisions(a, callers, seconds);
    a.stores.clear();
    a.cleanup();
    Nodes b = open();
    Figures c = ClaimsAndVerdicts(b, 32, 100);
    b.stores.clear();
    b.cleanup();
    std::printf("| %s | %d | %.0f | %.2f | %.2f | %.0f | %.2f |\n", name, n, d.per_second, d.p50_ms,
                d.p99_ms, c.per_second, c.p99_ms);
    std::fflush(stdout);
  };
  row("SQLite", 1, [] { return OpenSqlite(); });
  if (url.empty()) {
    std::printf("\n(no PostgreSQL: pass a URL or set HITLGATE_TEST_PG_URL)\n");
    return 0;
  }
  for (int n = 1; n <= 3; ++n) row("PostgreSQL", n, [&] { return OpenPostgres(url, n); });
  return 0;
}

}  // namespace
}  // namespace hitlgate::store

int main(int argc, char** argv) { return hitlgate::store::Main(argc, argv); }
