// Scale-out, for real: three `hitlgate serve` processes on one PostgreSQL
// (a fresh schema in HITLGATE_TEST_PG_URL's database), agents and reviewers
// spread over them, one node killed with SIGKILL in the middle. Afterwards
// no acknowledged decision or verdict is missing, no task has two verdicts,
// every task is answered or back in its queue, and `audit verify --store`
// passes. Also: live updates cross nodes (a reviewer's stream on one node
// sees a task created through another; an agent's long-poll on one node
// returns the verdict given on another).
//
// Skips when HITLGATE_TEST_PG_URL is unset (scripts/pg.sh start sets one up).
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
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

const std::string kAdmin = "hg_c1a2b3c4d5e6_" + std::string(64, '5');

std::string PgUrl() {
  const char* url = std::getenv("HITLGATE_TEST_PG_URL");
  return url != nullptr ? url : "";
}

// A cluster in its own schema and data folder (the nodes share the folder's
// key secret, as real nodes share a copy of it). Removed afterwards.
class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (PgUrl().empty()) {
      GTEST_SKIP() << "HITLGATE_TEST_PG_URL is not set: no PostgreSQL to run a cluster on "
                      "(eval \"$(scripts/pg.sh start)\" starts a private one)";
    }
    const std::string tag = std::to_string(::getpid()) + "_" +
                            ::testing::UnitTest::GetInstance()->current_test_info()->name();
    schema_ = "cluster_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++);
    ASSERT_EQ(Psql("CREATE SCHEMA " + schema_), 0);
    url_ = PgUrl() + (PgUrl().find('?') == std::string::npos ? "?" : "&") +
           "options=-c%20search_path%3D" + schema_;
    dir_ = fs::temp_directory_path() / ("hitlgate-cluster-" + tag);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    for (auto& n : nodes_) n.Stop();
    if (!schema_.empty()) (void)Psql("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  static int Psql(const std::string& sql) {
    const std::string cmd = "psql -q -v ON_ERROR_STOP=1 '" + PgUrl() + "' -c '" + sql +
                            "' >/dev/null 2>&1";
    return std::system(cmd.c_str());
  }

  // Starts node i (one after another: the first start creates the admin key).
  void StartNodes(int n) {
    const std::vector<std::string> args = {"--store", url_, "--lease-seconds", "2"};
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(nodes_[i].Start(HITLGATE_BINARY, dir_.string(), kAdmin, args))
          << nodes_[i].output();
    }
  }
  unsigned short Port(int i) const { return nodes_[i].port(); }

  std::string MakeKey(const std::string& body) {
    HttpReply r = HttpCall(Port(0), "POST", "/v1/keys", body, kAdmin);
    EXPECT_EQ(r.status, 200) << r.body;
    return std::string(json::parse(r.body).at("token").as_string());
  }

  static std::string Event(const std::string& id) {
    return R"({"interaction_id":")" + id + R"(","customer_id":"u-)" + id +
           R"(","workflow":"retail-bot","type":"ai_proposal","text":"Refunded.",
               "intent":"return_item","confidence":0.95,"event_id":"e-)" + id +
           R"(","action":{"name":"refund","amount":150,"currency":"USD"}})";
  }

  static inline std::atomic<int> counter_{0};
  std::string schema_;
  std::string url_;
  fs::path dir_;
  ServerProcess nodes_[3];
};

TEST_F(ClusterTest, ThreeNodesOneKilledLoseNothingAndAnswerNothingTwice) {
  StartNodes(3);
  const std::string agent = MakeKey(R"({"name":"agent","role":"agent","workflows":["*"]})");
  std::vector<std::string> reviewers;
  for (int i = 0; i < 3; ++i) {
    reviewers.push_back(MakeKey(R"({"name":"rev)" + std::to_string(i) +
                                R"(","role":"reviewer","skills":["billing","orders"]})"));
  }
  const unsigned short ports[3] = {Port(0), Port(1), Port(2)};

  std::mutex mu;
  std::map<std::string, std::string> acked_events;  // interaction id -> task id
  std::set<std::string> acked_verdicts;             // task ids
  std::atomic<bool> stop{false};
  std::atomic<int> acked_count{0};
  std::atomic<int> verdict_count{0};
  std::vector<std::thread> threads;
  for (int a = 0; a < 6; ++a) {
    threads.emplace_back([&, a] {
      const unsigned short port = ports[a % 3];
      for (int i = 0; i < 300 && !stop; ++i) {
        std::string id = "cl-" + std::to_string(a) + "-" + std::to_string(i);
        HttpReply r = HttpCall(port, "POST", "/v1/events", Event(id), agent, 5);
        if (r.status == 0) return;  // this agent's node is gone
        if (r.status != 200) continue;
        auto v = json::parse(r.body);
        std::lock_guard lock(mu);
        acked_events[id] =
            v.as_object().contains("task_id") ? std::string(v.at("task_id").as_string()) : "";
        ++acked_count;
      }
    });
  }
  for (int rv = 0; rv < 6; ++rv) {
    threads.emplace_back([&, rv] {
      const unsigned short port = ports[rv % 3];
      const std::string& key = reviewers[rv % 3];
      for (int i = 0; i < 3000 && !stop; ++i) {
        HttpReply c = HttpCall(port, "POST", "/v1/review/next", "{}", key, 5);
        if (c.status == 0) return;
        if (c.status != 200) continue;
        auto task = json::parse(c.body);
        std::string id(task.at("id").as_string());
        std::string lease(task.at("lease").at("lease_id").as_string());
        HttpReply v = HttpCall(port, "POST", "/v1/review/tasks/" + id + "/verdict",
                               R"({"verdict":"approved","lease_id":")" + lease + "\"}", key, 5);
        if (v.status == 0) return;
        if (v.status == 200) {
          std::lock_guard lock(mu);
          EXPECT_TRUE(acked_verdicts.insert(id).second) << "two acknowledged verdicts for " << id;
          ++verdict_count;
        }
      }
    });
  }
  // Kill node 2 in the middle, then let the survivors go on for a while.
  auto wait_for = [&](std::atomic<int>& n, int target) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
    while (n < target && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  };
  wait_for(acked_count, 150);
  nodes_[1].Kill();
  const int at_kill = acked_count.load();
  wait_for(acked_count, at_kill + 150);
  stop = true;
  for (auto& t : threads) t.join();
  ASSERT_GE(acked_count.load(), at_kill + 150) << "the survivors did not keep going";
  ASSERT_GT(verdict_count.load(), 0) << "no verdict was given at all";

  const unsigned short port = Port(0);
  // Every acknowledged decision is there, with its task, whichever node took it.
  for (const auto& [interaction, task_id] : acked_events) {
    HttpReply r = HttpCall(port, "GET", "/v1/interactions/" + interaction, "", kAdmin);
    ASSERT_EQ(r.status, 200) << interaction << ": " << r.body;
    auto v = json::parse(r.body);
    ASSERT_EQ(v.at("events").as_array().size(), 1u) << interaction;
    if (!task_id.empty()) {
      EXPECT_EQ(v.at("tasks").at(0).at("id").as_string(), task_id);
    }
  }
  // Every acknowledged verdict is there.
  for (const std::string& task_id : acked_verdicts) {
    HttpReply r = HttpCall(port, "GET", "/v1/review/tasks/" + task_id, "", kAdmin);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body).at("status").as_string(), "answered") << task_id;
  }
  // The killed node's leases run out: every task is answered or back in its
  // queue (the survivors' Tick returns them).
  bool leases_back = false;
  for (int i = 0; i < 150 && !leases_back; ++i) {
    HttpReply r = HttpCall(port, "GET", "/v1/review/tasks?status=claimed&limit=1000", "", kAdmin);
    ASSERT_EQ(r.status, 200);
    leases_back = json::parse(r.body).at("tasks").as_array().empty();
    if (!leases_back) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(leases_back) << "claimed tasks stayed claimed after their leases expired";

  // The audit log: no task has two verdicts, and every task it created is
  // answered or open now.
  std::map<std::string, int> verdicts_per_task;
  std::set<std::string> created;
  for (std::int64_t from = 1;;) {
    HttpReply r = HttpCall(port, "GET", "/v1/audit?from_seq=" + std::to_string(from) + "&limit=5000",
                           "", kAdmin);
    ASSERT_EQ(r.status, 200);
    if (r.body.empty()) break;
    size_t start = 0;
    std::int64_t last = from;
    while (start < r.body.size()) {
      size_t end = r.body.find('\n', start);
      auto rec = json::parse(r.body.substr(start, end - start));
      const auto kind = rec.at("kind").as_string();
      const std::string subject(rec.at("subject").as_string());
      if (kind == "verdict") ++verdicts_per_task[subject];
      if (kind == "task_created") created.insert(subject);
      last = rec.at("seq").as_int64();
      start = end + 1;
    }
    from = last + 1;
  }
  for (const auto& [task, n] : verdicts_per_task) EXPECT_EQ(n, 1) << task;
  for (const std::string& task_id : acked_verdicts) EXPECT_EQ(verdicts_per_task[task_id], 1) << task_id;
  size_t answered = 0;
  for (const std::string& task_id : created) {
    HttpReply r = HttpCall(port, "GET", "/v1/review/tasks/" + task_id, "", kAdmin);
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string status(json::parse(r.body).at("status").as_string());
    EXPECT_TRUE(status == "open" || status == "answered") << task_id << " is " << status;
    if (status == "answered") ++answered;
  }
  EXPECT_EQ(answered, verdicts_per_task.size());

  // The audit chain the three nodes wrote together verifies, end to end.
  nodes_[0].Stop();
  nodes_[2].Stop();
  const std::string verify = std::string(HITLGATE_BINARY) + " audit verify --store '" + url_ + "'";
  EXPECT_EQ(std::system(verify.c_str()), 0);
}

TEST_F(ClusterTest, LiveUpdatesReachOtherNodes) {
  StartNodes(2);
  const std::string agent = MakeKey(R"({"name":"agent","role":"agent","workflows":["*"]})");
  const std::string reviewer = MakeKey(R"({"name":"rev","role":"reviewer","skills":["billing"]})");

  // A reviewer's event stream on node 0.
  int fd = internal::ConnectLoopback(Port(0), 20);
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(internal::SendAll(
      fd, "GET /v1/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + reviewer + "\r\n\r\n"));
  std::string stream;
  auto read_until = [&](const std::string& needle) {
    char buf[4096];
    while (stream.find(needle) == std::string::npos) {
      ssize_t n = ::recv(fd, buf, sizeof buf, 0);  // bounded by the socket's 20 s timeout
      if (n <= 0) return false;
      stream.append(buf, static_cast<size_t>(n));
    }
    return true;
  };
  ASSERT_TRUE(read_until("event: hello"));

  // A task created through node 1 appears on node 0's stream.
  HttpReply e = HttpCall(Port(1), "POST", "/v1/events", Event("live-1"), agent);
  ASSERT_EQ(e.status, 200) << e.body;
  const std::string task_id(json::parse(e.body).at("task_id").as_string());
  EXPECT_TRUE(read_until("event: task.created")) << stream;
  EXPECT_TRUE(read_until(task_id)) << stream;
  ::close(fd);

  // An agent long-polling node 0 gets the verdict given on node 1.
  HttpReply polled;
  std::chrono::steady_clock::duration waited{};
  std::thread poll([&] {
    const auto start = std::chrono::steady_clock::now();
    polled = HttpCall(Port(0), "GET", "/v1/tasks/" + task_id + "?wait=25s", "", agent, 30);
    waited = std::chrono::steady_clock::now() - start;
  });
  HttpReply c = HttpCall(Port(1), "POST", "/v1/review/tasks/" + task_id + "/claim", "{}", reviewer);
  ASSERT_EQ(c.status, 200) << c.body;
  const std::string lease(json::parse(c.body).at("lease").at("lease_id").as_string());
  HttpReply v = HttpCall(Port(1), "POST", "/v1/review/tasks/" + task_id + "/verdict",
                         R"({"verdict":"approved","lease_id":")" + lease + "\"}", reviewer);
  ASSERT_EQ(v.status, 200) << v.body;
  poll.join();
  ASSERT_EQ(polled.status, 200) << polled.body;
  EXPECT_EQ(json::parse(polled.body).at("status").as_string(), "answered") << polled.body;
  // Woken by node 1's verdict, not by its own 25 s wait running out (which
  // would also find the task answered): not a speed figure, a wake-up check.
  EXPECT_LT(waited, std::chrono::seconds(20));
}


TEST_F(ClusterTest, KeyRevokedOnOneNodeIsRefusedAtOnceOnTheOthers) {
  StartNodes(2);
  const std::string agent = MakeKey(R"({"name":"agent","role":"agent","workflows":["retail-bot"]})");
  // Node 1 authenticates the key once and caches it.
  ASSERT_EQ(HttpCall(Port(1), "POST", "/v1/events", Event("rev-1"), agent).status, 200);
  const std::string key_id = agent.substr(3, agent.find('_', 3) - 3);
  ASSERT_EQ(HttpCall(Port(0), "DELETE", "/v1/keys/" + key_id, "", kAdmin).status, 200);
  // The revocation travels through PostgreSQL's notifications: within the
  // time a notification takes, never a cache lifetime.
  int status = 200;
  for (int i = 0; i < 100 && status == 200; ++i) {
    status = HttpCall(Port(1), "POST", "/v1/events", Event("rev-" + std::to_string(i + 2)), agent).status;
    if (status == 200) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(status, 401) << "node 1 still accepted a key revoked on node 0";
}

// A policy activated on one node decides on every node within a tick:
// before, the other nodes kept their old version until restarted.
TEST_F(ClusterTest, APolicyActivatedOnOneNodeDecidesOnTheOthers) {
  StartNodes(2);
  const std::string agent = MakeKey(R"({"name":"agent","role":"agent","workflows":["retail-bot"]})");
  HttpReply held = HttpCall(Port(1), "POST", "/v1/events", Event("pol-0"), agent);
  ASSERT_EQ(held.status, 200) << held.body;
  ASSERT_TRUE(json::parse(held.body).as_object().contains("task_id")) << "150 USD is held under the default policy";
  HttpReply active = HttpCall(Port(0), "GET", "/v1/policies/active", "", kAdmin);
  ASSERT_EQ(active.status, 200) << active.body;
  std::string source(json::parse(active.body).at("source").as_string());
  const size_t limit = source.find("USD: 110");
  ASSERT_NE(limit, std::string::npos) << source;
  source.replace(limit, 8, "USD: 900");
  HttpReply uploaded = HttpCall(Port(0), "POST", "/v1/policies?activate=true", source, kAdmin);
  ASSERT_EQ(uploaded.status, 200) << uploaded.body;
  const std::string version(json::parse(uploaded.body).at("version").as_string());
  std::string decided_with;
  bool still_held = true;
  for (int i = 1; i <= 50 && still_held; ++i) {
    HttpReply r = HttpCall(Port(1), "POST", "/v1/events", Event("pol-" + std::to_string(i)), agent);
    ASSERT_EQ(r.status, 200) << r.body;
    const json::object answer = json::parse(r.body).as_object();
    still_held = answer.contains("task_id");
    if (!still_held) decided_with = std::string(answer.at("policy_version").as_string());
    if (still_held) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_FALSE(still_held) << "node 1 still decides with the old policy 5 s after node 0 activated a new one";
  EXPECT_EQ(decided_with, version);
}

// The receipt is an audit record written in the verdict's transaction; a
// node that did not answer finds it in the audit log (ADR 0011: records are
// chained after commit, and an audit read first seals what committed before).
TEST_F(ClusterTest, ReceiptOfAVerdictOnOneNodeIsServedAtOnceByAnother) {
  StartNodes(2);
  const std::string agent = MakeKey(R"({"name":"agent","role":"agent","workflows":["retail-bot"]})");
  const std::string reviewer =
      MakeKey(R"({"name":"rev","role":"reviewer","skills":["billing","orders"]})");
  HttpReply held = HttpCall(Port(0), "POST", "/v1/events", Event("rcpt-1"), agent);
  ASSERT_EQ(held.status, 200) << held.body;
  HttpReply claimed = HttpCall(Port(0), "POST", "/v1/review/next", "{}", reviewer);
  ASSERT_EQ(claimed.status, 200) << claimed.body;
  auto task = json::parse(claimed.body);
  const std::string id(task.at("id").as_string());
  const std::string lease(task.at("lease").at("lease_id").as_string());
  HttpReply verdict = HttpCall(Port(0), "POST", "/v1/review/tasks/" + id + "/verdict",
                               R"({"verdict":"approved","lease_id":")" + lease + "\"}", reviewer);
  ASSERT_EQ(verdict.status, 200) << verdict.body;

  HttpReply view = HttpCall(Port(1), "GET", "/v1/tasks/" + id, "", agent);
  ASSERT_EQ(view.status, 200) << view.body;
  const json::value parsed = json::parse(view.body);
  const json::value* receipt = parsed.as_object().if_contains("receipt");
  ASSERT_NE(receipt, nullptr) << view.body;
  EXPECT_TRUE(receipt->is_object()) << view.body;
}

TEST_F(ClusterTest, RetryOnAnotherNodeGetsTheRecordedAnswer) {
  StartNodes(2);
  const std::string agent = MakeKey(R"({"name":"agent","role":"agent","workflows":["retail-bot"]})");
  HttpReply first = HttpCall(Port(0), "POST", "/v1/events", Event("idem-node"), agent);
  ASSERT_EQ(first.status, 200) << first.body;
  HttpReply again = HttpCall(Port(1), "POST", "/v1/events", Event("idem-node"), agent);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.Header("Idempotent-Replayed"), "true");
  std::string changed = Event("idem-node");
  changed.replace(changed.find("150"), 3, "20");
  HttpReply conflict = HttpCall(Port(1), "POST", "/v1/events", changed, agent);
  EXPECT_EQ(conflict.status, 409) << conflict.body;
}

}  // namespace
}  // namespace hitlgate::testing
