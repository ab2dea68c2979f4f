// PostgreSQL fails over under load: two `hitlgate serve` nodes on a primary
// with a synchronous standby (scripts/pg.sh start-pair), agents and
// reviewers on both, the primary's processes killed with SIGKILL, the
// standby promoted. Nobody restarts or reconfigures the nodes: their one
// multi-host URL (target_session_attrs=read-write) finds the new primary.
// Afterwards every acknowledged decision and verdict is on the new primary,
// an agent's retry after a 503 is decided once, no task has two verdicts,
// leases still expire (some node took the leader lock again), live updates
// cross nodes again and the audit chain verifies.
//
// Prints the failover figure: seconds from the primary's death to the first
// acknowledged decision on the new one (promotion included; the test
// promotes at once, where an operator or Patroni would first notice).
//
// Needs HITLGATE_TEST_PG_PAIR_URL (and _CONNINFO, the same as libpq
// key=value) and HITLGATE_TEST_PG_PRIMARY_DIR / HITLGATE_TEST_PG_STANDBY_DIR
// (eval "$(scripts/pg.sh start-pair)"); skips without them. It uses the
// pair up: the next run needs a fresh one.
#include <gtest/gtest.h>
#include <signal.h>
#include <boost/json.hpp>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "integration/http_client.h"
#include "integration/server_process.h"

namespace hitlgate::testing {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

const std::string kAdmin = "hg_f1a2b3c4d5e6_" + std::string(64, '7');

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

// The postmaster's pid (first line of postmaster.pid), 0 when not running.
pid_t PostmasterPid(const std::string& cluster_dir) {
  std::ifstream in(cluster_dir + "/data/postmaster.pid");
  long pid = 0;
  if (!(in >> pid) || pid <= 0 || ::kill(static_cast<pid_t>(pid), 0) != 0) return 0;
  return static_cast<pid_t>(pid);
}

// SIGKILL to the postmaster and every backend it started, as when the
// machine dies: a backend left alone would notice its parent's death only
// a moment later.
void KillServer(pid_t postmaster) {
  std::vector<pid_t> children;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    // pid (comm) state ppid ...: comm may hold spaces, so read after ')'.
    const size_t close = line.rfind(')');
    if (close == std::string::npos) continue;
    char state = 0;
    long ppid = 0;
    if (std::sscanf(line.c_str() + close + 1, " %c %ld", &state, &ppid) != 2) continue;
    if (ppid == postmaster) children.push_back(static_cast<pid_t>(std::atol(line.c_str())));
  }
  ::kill(postmaster, SIGKILL);
  for (pid_t c : children) ::kill(c, SIGKILL);
}

std::string Event(const std::string& id) {
  return R"({"interaction_id":")" + id + R"(","customer_id":"u-)" + id +
         R"(","workflow":"retail-bot","type":"ai_proposal","text":"Refunded.",
             "intent":"return_item","confidence":0.95,"event_id":"e-)" +
         id + R"(","action":{"name":"refund","amount":150,"currency":"USD"}})";
}

class FailoverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = Env("HITLGATE_TEST_PG_PAIR_URL");
    primary_ = Env("HITLGATE_TEST_PG_PRIMARY_DIR");
    standby_ = Env("HITLGATE_TEST_PG_STANDBY_DIR");
    if (url_.empty() || primary_.empty() || standby_.empty()) {
      GTEST_SKIP() << "HITLGATE_TEST_PG_PAIR_URL is not set: no primary/standby pair to fail over "
                      "(eval \"$(scripts/pg.sh start-pair)\" starts one)";
    }
    ASSERT_NE(PostmasterPid(primary_), 0)
        << "the primary in " << primary_ << " is not running: this pair has failed over already, "
        << "start a fresh one (scripts/pg.sh start-pair)";
    dir_ = fs::temp_directory_path() / ("hitlgate-failover-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    for (auto& n : nodes_) n.Stop();
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  std::string MakeKey(const std::string& body) {
    HttpReply r = HttpCall(nodes_[0].port(), "POST", "/v1/keys", body, kAdmin);
    EXPECT_EQ(r.status, 200) << r.body;
    return std::string(json::parse(r.body).at("token").as_string());
  }

  std::string url_, primary_, standby_;
  fs::path dir_;
  ServerProcess nodes_[2];
};

TEST_F(FailoverTest, PrimaryKilledUnderLoadStandbyPromotedNodesCarryOnLosingNothing) {
  // Node 1 gets the same hosts as libpq's key=value string: both forms fail over.
  const std::string conninfo = Env("HITLGATE_TEST_PG_PAIR_CONNINFO");
  const std::string stores[2] = {url_, conninfo.empty() ? url_ : conninfo};
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(nodes_[i].Start(HITLGATE_BINARY, dir_.string(), kAdmin,
                                {"--store", stores[i], "--lease-seconds", "2"}))
        << nodes_[i].output();
  }
  const std::string agent = MakeKey(R"({"name":"agent","role":"agent","workflows":["*"]})");
  const std::string reviewer[2] = {
      MakeKey(R"({"name":"rev0","role":"reviewer","skills":["billing","orders"]})"),
      MakeKey(R"({"name":"rev1","role":"reviewer","skills":["billing","orders"]})")};
  const unsigned short ports[2] = {nodes_[0].port(), nodes_[1].port()};

  std::mutex mu;
  std::map<std::string, std::string> acked_events;  // interaction id -> task id
  std::set<std::string> acked_verdicts;             // task ids
  std::atomic<bool> stop{false};
  std::atomic<int> acked{0}, unavailable{0}, verdicts{0};
  std::atomic<bool> killed{false};
  Clock::time_point kill_at{};
  std::atomic<Clock::rep> first_ack_after_kill{0};  // since kill_at; 0 = none yet
  std::atomic<int> acks_after_kill[2] = {0, 0};     // per node
  std::atomic<int> verdicts_after_kill{0};

  std::vector<std::thread> threads;
  for (int a = 0; a < 4; ++a) {
    threads.emplace_back([&, a] {
      const int node = a % 2;
      for (int i = 0; !stop; ++i) {
        const std::string id = "fo-" + std::to_string(a) + "-" + std::to_string(i);
        // An agent retries the same event_id until it gets an answer: what
        // was in flight when the primary died must be decided once.
        for (int attempt = 0; !stop; ++attempt) {
          // Counted as after the death only if sent after it: a request
          // committed before it may be answered after it.
          const bool after_kill = killed.load();
          HttpReply r = HttpCall(ports[node], "POST", "/v1/events", Event(id), agent, 10);
          if (r.status == 200) {
            auto v = json::parse(r.body);
            std::lock_guard lock(mu);
            acked_events[id] =
                v.as_object().contains("task_id") ? std::string(v.at("task_id").as_string()) : "";
            ++acked;
            if (after_kill) {
              ++acks_after_kill[node];
              Clock::rep expect = 0;
              first_ack_after_kill.compare_exchange_strong(
                  expect, std::max<Clock::rep>(1, (Clock::now() - kill_at).count()));
            }
            break;
          }
          // Only "unavailable" (or no answer) is expected while the database is away.
          ASSERT_TRUE(r.status == 503 || r.status == 0) << r.status << " " << r.body;
          ++unavailable;
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
      }
    });
  }
  for (int rv = 0; rv < 4; ++rv) {
    threads.emplace_back([&, rv] {
      const int node = rv % 2;
      const std::string& key = reviewer[rv / 2];
      while (!stop) {
        const bool after_kill = killed.load();
        HttpReply c = HttpCall(ports[node], "POST", "/v1/review/next", "{}", key, 10);
        if (c.status != 200) {
          std::this_thread::sleep_for(std::chrono::milliseconds(c.status == 204 ? 20 : 50));
          continue;
        }
        auto task = json::parse(c.body);
        const std::string id(task.at("id").as_string());
        const std::string lease(task.at("lease").at("lease_id").as_string());
        HttpReply v = HttpCall(ports[node], "POST", "/v1/review/tasks/" + id + "/verdict",
                               R"({"verdict":"approved","lease_id":")" + lease + "\"}", key, 10);
        if (v.status != 200) continue;
        std::lock_guard lock(mu);
        EXPECT_TRUE(acked_verdicts.insert(id).second) << "two acknowledged verdicts for " << id;
        ++verdicts;
        if (after_kill) ++verdicts_after_kill;
      }
    });
  }
  auto wait_until = [](auto done, int seconds) {
    const auto deadline = Clock::now() + std::chrono::seconds(seconds);
    while (!done() && Clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return done();
  };
  const bool loaded = wait_until([&] { return acked >= 150 && verdicts >= 10; }, 30);

  const pid_t postmaster = PostmasterPid(primary_);
  ASSERT_NE(postmaster, 0);
  {
    std::lock_guard lock(mu);  // kill_at is read by threads holding mu
    kill_at = Clock::now();
    KillServer(postmaster);
    killed = true;
  }
  const std::string promote =
      std::string("'") + HITLGATE_SOURCE_DIR + "/scripts/pg.sh' promote '" + standby_ + "'";
  const int promoted = std::system(promote.c_str());
  const double promote_s = std::chrono::duration<double>(Clock::now() - kill_at).count();
  const int at_kill = acked.load();
  const bool carried_on = wait_until(
      [&] {
        return acked >= at_kill + 150 && acks_after_kill[0] > 0 && acks_after_kill[1] > 0 &&
               verdicts_after_kill >= 10;
      },
      30);
  stop = true;
  for (auto& t : threads) t.join();
  ASSERT_TRUE(loaded) << "too little load before the kill: " << acked << " decisions, " << verdicts
                      << " verdicts";
  ASSERT_EQ(promoted, 0) << promote;
  const double failover_s =
      std::chrono::duration<double>(Clock::duration(first_ack_after_kill.load())).count();
  std::cout << "failover: primary killed -> first acknowledged decision on the new primary "
            << failover_s << " s (promotion returned after " << promote_s << " s); " << unavailable
            << " requests answered 503 or not at all meanwhile\n";
  ASSERT_TRUE(carried_on) << "after the failover: " << acked - at_kill << " decisions (node 0 "
                          << acks_after_kill[0] << ", node 1 " << acks_after_kill[1] << "), "
                          << verdicts_after_kill << " verdicts";
  EXPECT_GT(unavailable.load(), 0) << "nothing noticed the primary's death";

  // What follows reads the new primary (the standby's port is the only one alive).
  const unsigned short port = nodes_[0].port();
  for (const auto& [interaction, task_id] : acked_events) {
    HttpReply r = HttpCall(port, "GET", "/v1/interactions/" + interaction, "", kAdmin);
    ASSERT_EQ(r.status, 200) << interaction << ": " << r.body;
    auto v = json::parse(r.body);
    ASSERT_EQ(v.at("events").as_array().size(), 1u)
        << interaction << " recorded twice or not at all";
    if (!task_id.empty()) {
      EXPECT_EQ(v.at("tasks").at(0).at("id").as_string(), task_id) << interaction;
    }
  }
  for (const std::string& task_id : acked_verdicts) {
    HttpReply r = HttpCall(port, "GET", "/v1/review/tasks/" + task_id, "", kAdmin);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body).at("status").as_string(), "answered") << task_id;
  }
  // Periodic work runs again (a node took the leader lock on the new
  // primary): leases that were live at the end run out and come back.
  bool leases_back = wait_until(
      [&] {
        HttpReply r =
            HttpCall(port, "GET", "/v1/review/tasks?status=claimed&limit=1000", "", kAdmin);
        return r.status == 200 && json::parse(r.body).at("tasks").as_array().empty();
      },
      15);
  EXPECT_TRUE(leases_back) << "claimed tasks stayed claimed after their leases expired";

  // The audit log: no task has two verdicts.
  std::map<std::string, int> verdicts_per_task;
  for (std::int64_t from = 1;;) {
    HttpReply r = HttpCall(
        port, "GET", "/v1/audit?from_seq=" + std::to_string(from) + "&limit=5000", "", kAdmin);
    ASSERT_EQ(r.status, 200);
    if (r.body.empty()) break;
    for (size_t start = 0; start < r.body.size();) {
      const size_t end = r.body.find('\n', start);
      auto rec = json::parse(r.body.substr(start, end - start));
      if (rec.at("kind").as_string() == "verdict")
        ++verdicts_per_task[std::string(rec.at("subject").as_string())];
      from = rec.at("seq").as_int64() + 1;
      start = end + 1;
    }
  }
  for (const auto& [task, n] : verdicts_per_task) EXPECT_EQ(n, 1) << task;
  for (const std::string& task_id : acked_verdicts)
    EXPECT_EQ(verdicts_per_task[task_id], 1) << task_id;

  // Live updates cross nodes again (both nodes' LISTEN connections found the
  // new primary): an agent long-polling node 0 wakes on node 1's verdict.
  HttpReply e = HttpCall(nodes_[1].port(), "POST", "/v1/events", Event("fo-live"), agent);
  ASSERT_EQ(e.status, 200) << e.body;
  const std::string task_id(json::parse(e.body).at("task_id").as_string());
  HttpReply polled;
  Clock::duration waited{};
  std::thread poll([&] {
    const auto start = Clock::now();
    polled = HttpCall(port, "GET", "/v1/tasks/" + task_id + "?wait=25s", "", agent, 30);
    waited = Clock::now() - start;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  HttpReply c = HttpCall(nodes_[1].port(), "POST", "/v1/review/tasks/" + task_id + "/claim", "{}",
                         reviewer[0]);
  ASSERT_EQ(c.status, 200) << c.body;
  const std::string lease(json::parse(c.body).at("lease").at("lease_id").as_string());
  HttpReply v = HttpCall(nodes_[1].port(), "POST", "/v1/review/tasks/" + task_id + "/verdict",
                         R"({"verdict":"approved","lease_id":")" + lease + "\"}", reviewer[0]);
  poll.join();
  ASSERT_EQ(v.status, 200) << v.body;
  EXPECT_EQ(json::parse(polled.body).at("status").as_string(), "answered") << polled.body;
  EXPECT_LT(waited, std::chrono::seconds(20)) << "node 0 did not hear node 1's verdict";

  // The chain both nodes wrote across the failover verifies on the new primary.
  for (auto& n : nodes_) n.Stop();
  const std::string verify = std::string(HITLGATE_BINARY) + " audit verify --store '" + url_ + "'";
  EXPECT_EQ(std::system(verify.c_str()), 0);
}

}  // namespace
}  // namespace hitlgate::testing
