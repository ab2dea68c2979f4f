// review_http_load: review-queue throughput through real `hitlgate serve`
// nodes over HTTP, for bench/cluster_http_bench.sh. Creates one reviewer key
// per reviewer (with the admin key), seeds held tasks by posting refund
// proposals over the limit (spread over the nodes), then runs N reviewers,
// reviewer i on node i % nodes, each looping POST /v1/review/next + POST
// .../verdict, and prints one line:
//   pairs_per_s <n> pairs <n> seconds <s> dry <0|1> errors <n> seeded <n> seed_per_s <n>
// "dry": some reviewer's queues ran out before the time was up (the rate
// then counts the time until the last verdict).
//
//   review_http_load --ports 8081,8082 --admin KEY [--reviewers 32] [--seconds 5] [--seed 2000]
#include <boost/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "integration/http_client.h"

namespace {

namespace json = boost::json;
using hitlgate::testing::HttpCall;
using hitlgate::testing::HttpReply;
using Clock = std::chrono::steady_clock;

std::string MakeKey(unsigned short port, const std::string& admin, const std::string& body) {
  HttpReply r = HttpCall(port, "POST", "/v1/keys", body, admin);
  if (r.status != 200) {
    std::fprintf(stderr, "review_http_load: key creation failed: %d %s\n", r.status, r.body.c_str());
    std::exit(1);
  }
  return std::string(json::parse(r.body).at("token").as_string());
}

std::string HoldEvent(int n) {
  const std::string id = "rv-" + std::to_string(::getpid()) + "-" + std::to_string(n);
  return R"({"interaction_id":")" + id + R"(","customer_id":"rc-)" + std::to_string(n % 997) +
         R"(","workflow":"retail-bot","channel":"chat","type":"ai_proposal",)"
         R"("text":"I have refunded 150 USD to your card.","intent":"return_item","confidence":0.93,)"
         R"("action":{"name":"refund","amount":150,"currency":"USD"}})";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<unsigned short> ports;
  std::string admin;
  int reviewers = 32;
  double seconds = 5;
  int seed = 2000;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--ports") {
      for (size_t at = 0; at < value.size();) {
        size_t comma = value.find(',', at);
        if (comma == std::string::npos) comma = value.size();
        ports.push_back(static_cast<unsigned short>(std::atoi(value.substr(at, comma - at).c_str())));
        at = comma + 1;
      }
    } else if (flag == "--admin") {
      admin = value;
    } else if (flag == "--reviewers") {
      reviewers = std::atoi(value.c_str());
    } else if (flag == "--seconds") {
      seconds = std::atof(value.c_str());
    } else if (flag == "--seed") {
      seed = std::atoi(value.c_str());
    } else {
      std::fprintf(stderr, "review_http_load: unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  if (ports.empty() || admin.empty() || reviewers < 1 || seconds <= 0) {
    std::fprintf(stderr,
                 "usage: review_http_load --ports P1,P2 --admin KEY [--reviewers 32] "
                 "[--seconds 5] [--seed 2000]\n");
    return 2;
  }
  const size_t nodes = ports.size();
  const std::string agent = MakeKey(ports[0], admin, R"({"name":"seed agent","role":"agent","workflows":["*"]})");
  std::vector<std::string> keys;
  for (int r = 0; r < reviewers; ++r) {
    keys.push_back(MakeKey(ports[0], admin,
                           R"({"name":"bench reviewer )" + std::to_string(r) +
                               R"(","role":"reviewer","skills":["billing","orders","supervisor","legal","product_safety"]})"));
  }

  // Seed: held refunds, 16 agents spread over the nodes.
  std::atomic<int> next{0};
  std::atomic<int> seeded{0};
  const auto seed_start = Clock::now();
  {
    std::vector<std::thread> agents;
    for (int a = 0; a < 16; ++a) {
      agents.emplace_back([&, a] {
        for (int n; (n = next++) < seed;) {
          HttpReply r = HttpCall(ports[(a + n) % nodes], "POST", "/v1/events", HoldEvent(n), agent);
          if (r.status == 200) ++seeded;
        }
      });
    }
    for (auto& t : agents) t.join();
  }
  const double seed_s = std::chrono::duration<double>(Clock::now() - seed_start).count();

  std::atomic<int> pairs{0};
  std::atomic<int> errors{0};
  std::atomic<bool> dry{false};
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  std::atomic<std::int64_t> last_pair_ns{0};
  std::atomic<int> last_claim_status{0};
  std::vector<std::thread> threads;
  for (int r = 0; r < reviewers; ++r) {
    threads.emplace_back([&, r] {
      const unsigned short port = ports[r % nodes];
      int empty = 0;
      while (Clock::now() < deadline) {
        HttpReply c = HttpCall(port, "POST", "/v1/review/next", "{}", keys[r], 10);
        if (c.status != 200) {
          last_claim_status = c.status;
          // No task for this reviewer three times in a row, 50 ms apart: its
          // queues ran dry (a single miss can be a task another node holds).
          if (++empty >= 3) {
            dry = true;
            return;
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
          continue;
        }
        empty = 0;
        auto task = json::parse(c.body);
        const std::string id(task.at("id").as_string());
        const std::string lease(task.at("lease").at("lease_id").as_string());
        HttpReply v = HttpCall(port, "POST", "/v1/review/tasks/" + id + "/verdict",
                               R"({"verdict":"approved","lease_id":")" + lease + "\"}", keys[r], 10);
        if (v.status == 200) {
          ++pairs;
          last_pair_ns = (Clock::now() - start).count();
        } else {
          ++errors;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  // Dry: count the time until the last verdict, not the idle tail.
  if (dry) elapsed = std::chrono::duration<double>(Clock::duration(last_pair_ns.load())).count();
  std::printf(
      "pairs_per_s %.0f pairs %d seconds %.2f dry %d errors %d seeded %d seed_per_s %.0f "
      "last_claim_status %d\n",
      elapsed > 0 ? pairs / elapsed : 0.0, pairs.load(), elapsed, dry ? 1 : 0, errors.load(),
      seeded.load(), seed_s > 0 ? seeded / seed_s : 0.0, last_claim_status.load());
  return 0;
}
