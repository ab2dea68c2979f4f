// SqliteStore throughput with real fsyncs (WAL, synchronous=FULL) in a temp
// directory ($HITLGATE_BENCH_DIR, else /tmp): RecordDecision/s at 1, 8 and 64
// concurrent callers (group commit should make throughput grow with
// concurrency), and claim+verdict pairs/s with 32 concurrent reviewers.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "hitlgate/store/sqlite_store.h"

namespace hitlgate::store {
namespace {

namespace fs = std::filesystem;

const TimePoint kT0 = TimePoint(Duration(1'795'000'000'000'000));

// The store under test; created by Setup before the benchmark threads start
// and destroyed by Teardown after they joined.
struct Env {
  fs::path dir;
  SequentialIdGenerator ids;
  std::unique_ptr<SqliteStore> store;
  std::atomic<std::int64_t> next{0};
};
Env* g_env = nullptr;

void OpenStore() {
  g_env = new Env();
  const char* base = std::getenv("HITLGATE_BENCH_DIR");
  std::string tmpl = (fs::path(base ? base : "/tmp") / "hitlgate-store-bench-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) std::abort();  // nowhere to write: nothing to measure
  g_env->dir = tmpl;
  auto s = SqliteStore::Open((g_env->dir / "bench.db").string(), {.ids = &g_env->ids});
  if (!s) std::abort();
  g_env->store = std::move(*s);
}

void CloseStore() {
  g_env->store.reset();
  std::error_code ec;
  fs::remove_all(g_env->dir, ec);
  delete g_env;
  g_env = nullptr;
}

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
  // Minted by the caller, as the gateway's event path does (the answer that
  // names the task is written before the store sees it).
  char id[24];
  std::snprintf(id, sizeof id, "t-%016llx", static_cast<unsigned long long>(n));
  t.id = id;
  t.queue = "billing";
  t.skills = {"billing"};
  t.priority = 1 + static_cast<int>(n % 5);
  t.created_at = kT0;
  t.due_at = kT0 + std::chrono::minutes(15);
  t.context_json = R"({"proposal":"refund 120 EUR","summary":"customer wants a refund"})";
  return t;
}

void BM_RecordDecision(benchmark::State& state) {
  for (auto _ : state) {
    std::int64_t n = g_env->next.fetch_add(1);
    // Every fourth decision holds and opens a task, as a hold-heavy workflow.
    auto task = n % 4 == 0 ? std::optional<NewTask>(Task(n)) : std::nullopt;
    auto r = g_env->store->RecordDecision(Decision(n), task, {}, kT0);
    if (!r) state.SkipWithError(r.error().ToString().c_str());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RecordDecision)
    ->Setup([](const benchmark::State&) { OpenStore(); })
    ->Teardown([](const benchmark::State&) { CloseStore(); })
    ->Threads(1)
    ->Threads(8)
    ->Threads(64)
    ->UseRealTime()
    ->MinTime(2.0);

constexpr int kReviewers = 32;
constexpr int kPairsPerReviewer = 150;

void FillTasks(const benchmark::State&) {
  OpenStore();
  // Fill concurrently so group commit makes this quick.
  std::vector<std::thread> threads;
  for (int th = 0; th < 32; ++th) {
    threads.emplace_back([th] {
      for (int i = th; i < kReviewers * kPairsPerReviewer + 64; i += 32) {
        if (!g_env->store->RecordDecision(Decision(i), Task(i), {}, kT0)) std::abort();
      }
    });
  }
  for (auto& t : threads) t.join();
}

// One iteration = ClaimNext + SubmitVerdict (two durable transactions' worth
// of work, shared with the other reviewers' through group commit).
void BM_ClaimAndVerdict(benchmark::State& state) {
  ClaimRequest r;
  r.reviewer = "r-" + std::to_string(state.thread_index());
  r.skills = {"billing"};
  r.now = kT0 + std::chrono::seconds(1);
  Verdict v;
  v.kind = VerdictKind::kApproved;
  v.reviewer = r.reviewer;
  for (auto _ : state) {
    auto t = g_env->store->ClaimNext(r);
    if (!t) {
      state.SkipWithError(t.error().ToString().c_str());
      break;
    }
    auto done = g_env->store->SubmitVerdict(t->id, t->lease->lease_id, v, r.now);
    if (!done) state.SkipWithError(done.error().ToString().c_str());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ClaimAndVerdict)
    ->Setup(FillTasks)
    ->Teardown([](const benchmark::State&) { CloseStore(); })
    ->Threads(kReviewers)
    ->Iterations(kPairsPerReviewer)
    ->UseRealTime();

}  // namespace
}  // namespace hitlgate::store

BENCHMARK_MAIN();
