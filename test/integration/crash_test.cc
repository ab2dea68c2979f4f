// Crash safety, for real: the `hitlgate serve` binary is killed with SIGKILL
// in the middle of a load of events and verdicts, restarted on the same data
// folder, and checked: every acknowledged decision and verdict is there, no
// task has two verdicts, no lease is lost forever, the audit chain verifies.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

#include <sys/wait.h>

#include "integration/http_client.h"
#include "integration/server_process.h"

namespace hitlgate::testing {
namespace {

namespace json = boost::json;
const std::string kAdmin = "hg_a1b2c3d4e5f6_" + std::string(64, '7');

std::string MakeKey(unsigned short port, const std::string& body) {
  HttpReply r = HttpCall(port, "POST", "/v1/keys", body, kAdmin);
  EXPECT_EQ(r.status, 200) << r.body;
  return std::string(json::parse(r.body).at("token").as_string());
}

// The data folder holds customer text and secrets: other local users may
// read none of it, whatever the umask of the shell that started the server.
TEST(CrashTest, TheDataFolderAndEveryFileInItArePrivate) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("hitlgate-modes-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::permissions(dir, fs::perms::all);  // made earlier under a loose umask
  {
    ServerProcess server;
    ASSERT_TRUE(server.Start(HITLGATE_BINARY, dir.string(), kAdmin, {})) << server.output();
    MakeKey(server.port(), R"({"name":"agent","role":"agent","workflows":["*"]})");
    server.Kill();
  }
  EXPECT_EQ(fs::status(dir).permissions() & fs::perms::all, fs::perms::owner_all);
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const fs::perms others = fs::perms::group_all | fs::perms::others_all;
    EXPECT_EQ(entry.status().permissions() & others, fs::perms::none) << entry.path();
    ++files;
  }
  EXPECT_GE(files, 2) << "the database and the key secret at least";
  fs::remove_all(dir);
}

// Signed checkpoints are on by default (in the data folder), the signing key
// may live elsewhere, and `audit verify --data` uses the folder's checkpoints
// and says how much of the tail none covers yet.
TEST(CrashTest, CheckpointsAreWrittenByDefaultAndVerifyReportsTheUncoveredTail) {
  namespace fs = std::filesystem;
  const fs::path base = fs::temp_directory_path() / ("hitlgate-ckpt-" + std::to_string(getpid()));
  fs::remove_all(base);
  fs::create_directories(base / "keys");
  const fs::path dir = base / "data";
  const fs::path key_file = base / "keys" / "signing.json";
  {
    ServerProcess server;
    ASSERT_TRUE(server.Start(HITLGATE_BINARY, dir.string(), kAdmin,
                             {"--checkpoint-every-records", "3", "--checkpoint-key", key_file.string()}))
        << server.output();
    for (int i = 0; i < 4; ++i) {
      MakeKey(server.port(), R"({"name":"agent)" + std::to_string(i) + R"(","role":"agent","workflows":["*"]})");
    }
    HttpReply keys = HttpCall(server.port(), "GET", "/v1/receipt-keys", "", kAdmin);
    ASSERT_EQ(keys.status, 200) << keys.body;
    std::ofstream(base / "public-keys.json") << keys.body;
    // The once-a-second tick writes the checkpoint.
    for (int i = 0; i < 100 && (!fs::exists(dir / "checkpoints") || fs::is_empty(dir / "checkpoints")); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    server.Kill();
  }
  ASSERT_TRUE(fs::exists(dir / "checkpoints") && !fs::is_empty(dir / "checkpoints"));
  EXPECT_TRUE(fs::exists(key_file));
  EXPECT_FALSE(fs::exists(dir / "signing_keys.json")) << "the key lives where --checkpoint-key said";

  const fs::path out = base / "verify.txt";
  const std::string cmd = std::string(HITLGATE_BINARY) + " audit verify --data " + dir.string() + " --keys " +
                          (base / "public-keys.json").string() + " > " + out.string() + " 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  std::ifstream in(out);
  const std::string report((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(report.find("checkpoints: "), std::string::npos) << report;
  EXPECT_NE(report.find("tail: "), std::string::npos) << report;
  EXPECT_EQ(report.find("no checkpoints given"), std::string::npos) << report;
  fs::remove_all(base);
}

// `audit export` to a device that is full fails with a clear message and
// status 2 instead of reporting a short export as complete; to a file it
// writes every record and counts them on stderr after the last one.
TEST(CrashTest, AuditExportThatCannotWriteFailsAndOneThatCanCountsEveryRecord) {
  namespace fs = std::filesystem;
  const fs::path base = fs::temp_directory_path() / ("hitlgate-export-" + std::to_string(getpid()));
  fs::remove_all(base);
  const fs::path dir = base / "data";
  {
    ServerProcess server;
    ASSERT_TRUE(server.Start(HITLGATE_BINARY, dir.string(), kAdmin, {})) << server.output();
    for (int i = 0; i < 3; ++i) {
      MakeKey(server.port(), R"({"name":"agent)" + std::to_string(i) + R"(","role":"agent","workflows":["*"]})");
    }
    server.Kill();
  }
  auto run = [&](const std::string& output, const fs::path& log) {
    const std::string cmd = std::string(HITLGATE_BINARY) + " audit export --data " + dir.string() +
                            " --output " + output + " 2> " + log.string();
    const int status = std::system(cmd.c_str());
    std::ifstream in(log);
    return std::pair{WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                     std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>())};
  };
  if (fs::exists("/dev/full")) {
    auto [status, err] = run("/dev/full", base / "full.txt");
    EXPECT_EQ(status, 2) << err;
    EXPECT_NE(err.find("failed after"), std::string::npos) << err;
    EXPECT_EQ(err.find("exported"), std::string::npos) << err;
  }
  auto [status, err] = run((base / "audit.jsonl").string(), base / "ok.txt");
  EXPECT_EQ(status, 0) << err;
  std::ifstream in(base / "audit.jsonl");
  int lines = 0;
  for (std::string line; std::getline(in, line);) ++lines;
  EXPECT_GE(lines, 3) << "one key_created record per key at least";
  EXPECT_EQ(err, "exported " + std::to_string(lines) + " audit records\n");
  fs::remove_all(base);
}

TEST(CrashTest, SigkillDuringLoadLosesNothingAcknowledged) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("hitlgate-crash-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::vector<std::string> args = {"--lease-seconds", "2"};

  ServerProcess server;
  ASSERT_TRUE(server.Start(HITLGATE_BINARY, dir.string(), kAdmin, args)) << server.output();
  const std::string agent = MakeKey(server.port(), R"({"name":"agent","role":"agent","workflows":["*"]})");
  const std::string reviewer =
      MakeKey(server.port(), R"({"name":"rev","role":"reviewer","skills":["billing","orders"]})");

  std::mutex mu;
  std::map<std::string, std::string> acked_events;  // interaction id -> task id
  std::map<std::string, std::pair<std::string, std::string>> acked_answers;  // id -> (body, answer)
  std::set<std::string> acked_verdicts;             // task ids
  std::atomic<bool> stop{false};
  std::atomic<int> acked_count{0};
  const unsigned short port = server.port();

  std::vector<std::thread> threads;
  for (int a = 0; a < 4; ++a) {
    threads.emplace_back([&, a] {
      for (int i = 0; i < 400 && !stop; ++i) {
        std::string id = "crash-" + std::to_string(a) + "-" + std::to_string(i);
        std::string body = R"({"interaction_id":")" + id + R"(","customer_id":"u-)" + id +
                           R"(","workflow":"retail-bot","type":"ai_proposal","text":"Refunded.",
            "intent":"return_item","confidence":0.95,"event_id":"e-)" + id +
                           R"(","action":{"name":"refund","amount":)" + (i % 3 == 0 ? "20" : "150") +
                           R"(,"currency":"USD"}})";
        HttpReply r = HttpCall(port, "POST", "/v1/events", body, agent, 5);
        if (r.status == 0) return;  // the server is gone
        if (r.status != 200) continue;
        auto v = json::parse(r.body);
        std::lock_guard lock(mu);
        acked_events[id] = v.as_object().contains("task_id") ? std::string(v.at("task_id").as_string()) : "";
        acked_answers[id] = {body, r.body};
        ++acked_count;
      }
    });
  }
  for (int rv = 0; rv < 2; ++rv) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000 && !stop; ++i) {
        HttpReply c = HttpCall(port, "POST", "/v1/review/next", "{}", reviewer, 5);
        if (c.status == 0) return;
        if (c.status != 200) continue;
        auto task = json::parse(c.body);
        std::string id(task.at("id").as_string());
        std::string lease(task.at("lease").at("lease_id").as_string());
        HttpReply v = HttpCall(port, "POST", "/v1/review/tasks/" + id + "/verdict",
                               R"({"verdict":"approved","lease_id":")" + lease + "\"}", reviewer, 5);
        if (v.status == 0) return;
        if (v.status == 200) {
          std::lock_guard lock(mu);
          acked_verdicts.insert(id);
        }
      }
    });
  }
  // Kill in the middle: once a good share of the load was acknowledged.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (acked_count < 150 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  server.Kill();
  stop = true;
  for (auto& t : threads) t.join();
  ASSERT_GE(acked_count.load(), 150) << "the load never got going";

  ServerProcess again;
  ASSERT_TRUE(again.Start(HITLGATE_BINARY, dir.string(), kAdmin, args)) << again.output();
  const unsigned short port2 = again.port();

  // Every acknowledged decision is there, with its task.
  for (const auto& [interaction, task_id] : acked_events) {
    HttpReply r = HttpCall(port2, "GET", "/v1/interactions/" + interaction, "", kAdmin);
    ASSERT_EQ(r.status, 200) << interaction << ": " << r.body;
    auto v = json::parse(r.body);
    ASSERT_EQ(v.at("events").as_array().size(), 1u) << interaction;
    if (!task_id.empty()) {
      EXPECT_EQ(v.at("tasks").at(0).at("id").as_string(), task_id);
    }
  }
  // Every acknowledged event sent again is a retry: the recorded answer, the
  // same bytes, and nothing new.
  for (const auto& [interaction, sent] : acked_answers) {
    HttpReply r = HttpCall(port2, "POST", "/v1/events", sent.first, agent);
    ASSERT_EQ(r.status, 200) << interaction << ": " << r.body;
    EXPECT_EQ(r.body, sent.second) << interaction << ": a retry after the crash answered differently";
    EXPECT_EQ(r.Header("Idempotent-Replayed"), "true") << interaction;
  }
  // Every acknowledged verdict is there.
  for (const std::string& task_id : acked_verdicts) {
    HttpReply r = HttpCall(port2, "GET", "/v1/review/tasks/" + task_id, "", kAdmin);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(json::parse(r.body).at("status").as_string(), "answered") << task_id;
  }
  // No lease is lost forever: within a few lease lengths every claimed,
  // unanswered task is back in its queue.
  bool leases_back = false;
  for (int i = 0; i < 100 && !leases_back; ++i) {
    HttpReply r = HttpCall(port2, "GET", "/v1/review/tasks?status=claimed&limit=1000", "", kAdmin);
    ASSERT_EQ(r.status, 200);
    leases_back = json::parse(r.body).at("tasks").as_array().empty();
    if (!leases_back) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(leases_back) << "claimed tasks stayed claimed after their leases expired";

  // No task has two verdicts: one "verdict" audit record per task at most.
  std::map<std::string, int> verdicts_per_task;
  for (std::int64_t from = 1;;) {
    HttpReply r = HttpCall(port2, "GET", "/v1/audit?from_seq=" + std::to_string(from) + "&limit=5000", "", kAdmin);
    ASSERT_EQ(r.status, 200);
    if (r.body.empty()) break;
    size_t start = 0;
    std::int64_t last = from;
    while (start < r.body.size()) {
      size_t end = r.body.find('\n', start);
      auto rec = json::parse(r.body.substr(start, end - start));
      if (rec.at("kind").as_string() == "verdict") ++verdicts_per_task[std::string(rec.at("subject").as_string())];
      last = rec.at("seq").as_int64();
      start = end + 1;
    }
    from = last + 1;
  }
  for (const auto& [task, n] : verdicts_per_task) EXPECT_EQ(n, 1) << task;
  for (const std::string& task_id : acked_verdicts) EXPECT_EQ(verdicts_per_task[task_id], 1) << task_id;

  again.Stop();
  // The audit chain verifies, end to end, with the real command.
  const std::string verify = std::string(HITLGATE_BINARY) + " audit verify --data " + dir.string();
  EXPECT_EQ(std::system(verify.c_str()), 0);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace hitlgate::testing
