// cycle_bench: the whole human-in-the-loop cycle through a real `hitlgate
// serve` over HTTP, for bench/event_path_bench.sh:
//   agent:    POST /v1/events (a refund of 150 USD, which the retail policy
//             holds) -> GET /v1/tasks/{id}?wait=30s until the task is answered
//   reviewer: POST /v1/review/next -> POST /v1/review/tasks/{id}/verdict
//             {"verdict":"approved","lease_id":...}
// N agents and M reviewers, each a thread with its own kept-alive connection
// (Boost.Beast). A cycle counts when the agent's long-poll returns
// "answered"; cycles/s = cycles completed before the deadline / seconds.
// Agents start no new cycle after the deadline; the cycles then in flight are
// finished (not counted) so the server is left drained, bounded by a grace
// period. Only the public HTTP API is used; every event has its own event_id
// and its own interaction, in workflow "retail-bot".
//
// Keys: one agent key (workflows ["retail-bot"]) and one reviewer key per
// reviewer (skills billing and orders: the retail policy routes refunds over
// 110 USD to `billing`, and retail-bot's other holds to `orders`), created
// with the admin key through POST /v1/keys. Start the server with
// `--rate-limit agent=0 --rate-limit reviewer=0`.
//
// Prints one line:
//   cycles_per_s X cycles N seconds S p50_ms X p99_ms X agents N reviewers M
//   post_errors N poll_errors N claim_errors N verdict_errors N not_held N
//   abandoned N empty_claims N
//
//   cycle_bench --port P --admin KEY [--agents 64] [--reviewers 16] [--seconds 10] [--grace 10]
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

struct Reply {
  int status = 0;  // 0: no answer
  std::string body;
};

// One kept-alive HTTP/1.1 connection to 127.0.0.1:port. Not thread-safe: one
// per thread. A failed call closes it; the next call reconnects.
class Connection {
 public:
  explicit Connection(unsigned short port) : port_(port) {}

  Reply Call(http::verb method, const std::string& target, const std::string& body,
             const std::string& bearer, std::chrono::seconds timeout) {
    Reply reply;
    beast::error_code ec;
    if (!stream_.socket().is_open()) {
      stream_.expires_after(std::chrono::seconds(5));
      stream_.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);
      if (ec) {
        stream_.close();
        return reply;
      }
      stream_.socket().set_option(asio::ip::tcp::no_delay(true), ec);
    }
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::authorization, "Bearer " + bearer);
    if (method == http::verb::post) {
      req.set(http::field::content_type, "application/json");
      req.body() = body;
    }
    req.keep_alive(true);
    req.prepare_payload();
    stream_.expires_after(timeout);
    http::write(stream_, req, ec);
    if (ec) {
      stream_.close();
      return reply;
    }
    http::response<http::string_body> res;
    buffer_.clear();
    http::read(stream_, buffer_, res, ec);
    if (ec) {
      stream_.close();
      return reply;
    }
    reply.status = static_cast<int>(res.result_int());
    reply.body = std::move(res.body());
    if (!res.keep_alive()) stream_.close();
    return reply;
  }

 private:
  asio::io_context ioc_;
  beast::tcp_stream stream_{ioc_};
  beast::flat_buffer buffer_;
  unsigned short port_;
};

std::string MakeKey(unsigned short port, const std::string& admin, const std::string& body) {
  Connection c(port);
  Reply r = c.Call(http::verb::post, "/v1/keys", body, admin, std::chrono::seconds(10));
  if (r.status != 200) {
    std::fprintf(stderr, "cycle_bench: key creation failed: %d %s\n", r.status, r.body.c_str());
    std::exit(1);
  }
  return std::string(json::parse(r.body).at("token").as_string());
}

// Each cycle its own event, interaction and customer: a customer seen again
// would soon meet the policy's repeat-contact rule (a handoff to supervisors,
// not the hold this measures).
std::string HoldEvent(const std::string& id) {
  return R"({"event_id":")" + id + R"(","interaction_id":")" + id + R"(","customer_id":"cu-)" + id +
         R"(","workflow":"retail-bot","channel":"chat","type":"ai_proposal",)"
         R"("text":"I have refunded 150 USD to your card.","intent":"return_item","confidence":0.93,)"
         R"("action":{"name":"refund","amount":150,"currency":"USD"}})";
}

std::string Field(const json::value& v, const char* name) {
  if (!v.is_object()) return {};
  const json::value* f = v.as_object().if_contains(name);
  return f != nullptr && f->is_string() ? std::string(f->as_string()) : std::string();
}

double Percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  size_t k = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
  return v[k];
}

}  // namespace

int main(int argc, char** argv) {
  unsigned short port = 0;
  std::string admin;
  int agents = 64;
  int reviewers = 16;
  double seconds = 10;
  double grace = 10;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--port") {
      port = static_cast<unsigned short>(std::atoi(value.c_str()));
    } else if (flag == "--admin") {
      admin = value;
    } else if (flag == "--agents") {
      agents = std::atoi(value.c_str());
    } else if (flag == "--reviewers") {
      reviewers = std::atoi(value.c_str());
    } else if (flag == "--seconds") {
      seconds = std::atof(value.c_str());
    } else if (flag == "--grace") {
      grace = std::atof(value.c_str());
    } else {
      std::fprintf(stderr, "cycle_bench: unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  if (port == 0 || admin.empty() || agents < 1 || reviewers < 1 || seconds <= 0 || seconds > 600 ||
      grace < 0 || grace > 60) {
    std::fprintf(stderr,
                 "usage: cycle_bench --port P --admin KEY [--agents 64] [--reviewers 16] "
                 "[--seconds 10 (at most 600)] [--grace 10 (at most 60)]\n");
    return 2;
  }

  const std::string agent_key =
      MakeKey(port, admin, R"({"name":"cycle bench agent","role":"agent","workflows":["retail-bot"]})");
  std::vector<std::string> reviewer_keys;
  for (int r = 0; r < reviewers; ++r) {
    reviewer_keys.push_back(MakeKey(port, admin,
                                    R"({"name":"cycle bench reviewer )" + std::to_string(r) +
                                        R"(","role":"reviewer","skills":["billing","orders"]})"));
  }

  const auto start = Clock::now();
  const auto deadline =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  const auto hard_stop =
      deadline + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(grace));
  const std::string run = std::to_string(::getpid()) + "-" +
                          std::to_string(std::chrono::system_clock::now().time_since_epoch().count());

  std::atomic<long> cycles{0}, post_errors{0}, poll_errors{0}, claim_errors{0}, verdict_errors{0},
      not_held{0}, abandoned{0}, empty_claims{0};
  std::atomic<int> agents_running{agents};
  std::mutex latencies_mu;
  std::vector<double> latencies_ms;

  std::vector<std::thread> threads;
  for (int a = 0; a < agents; ++a) {
    threads.emplace_back([&, a] {
      Connection conn(port);
      std::vector<double> mine;
      for (long n = 0; Clock::now() < deadline; ++n) {
        const std::string id = "cy-" + run + "-" + std::to_string(a) + "-" + std::to_string(n);
        const auto t0 = Clock::now();
        Reply p = conn.Call(http::verb::post, "/v1/events", HoldEvent(id), agent_key,
                            std::chrono::seconds(10));
        if (p.status != 200) {
          ++post_errors;
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
          continue;
        }
        const json::value decision = json::parse(p.body);
        const std::string task = Field(decision, "task_id");
        if (Field(decision, "decision") != "hold" || task.empty()) {
          ++not_held;
          continue;
        }
        for (;;) {
          Reply w = conn.Call(http::verb::get, "/v1/tasks/" + task + "?wait=30s", "", agent_key,
                              std::chrono::seconds(40));
          if (w.status != 200) {
            ++poll_errors;
            break;
          }
          const std::string status = Field(json::parse(w.body), "status");
          const auto t1 = Clock::now();
          if (status == "answered") {
            if (t1 <= deadline) {
              ++cycles;
              mine.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
            }
            break;
          }
          if (status != "pending" || t1 >= hard_stop) {
            ++abandoned;
            break;
          }
        }
      }
      std::lock_guard lock(latencies_mu);
      latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
      --agents_running;
    });
  }
  for (int r = 0; r < reviewers; ++r) {
    threads.emplace_back([&, r] {
      Connection conn(port);
      while (agents_running.load() > 0 && Clock::now() < hard_stop) {
        Reply c = conn.Call(http::verb::post, "/v1/review/next", "{}", reviewer_keys[r],
                            std::chrono::seconds(10));
        if (c.status == 404) {  // nothing to claim now
          ++empty_claims;
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
          continue;
        }
        if (c.status != 200) {
          ++claim_errors;
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
          continue;
        }
        const json::value task = json::parse(c.body);
        const std::string id = Field(task, "id");
        std::string lease;
        if (task.is_object() && task.as_object().contains("lease")) {
          lease = Field(task.at("lease"), "lease_id");
        }
        Reply v = conn.Call(http::verb::post, "/v1/review/tasks/" + id + "/verdict",
                            R"({"verdict":"approved","lease_id":")" + lease + "\"}", reviewer_keys[r],
                            std::chrono::seconds(10));
        if (v.status != 200) ++verdict_errors;
      }
    });
  }
  for (auto& t : threads) t.join();
  const double p50 = Percentile(latencies_ms, 0.50);
  const double p99 = Percentile(latencies_ms, 0.99);
  std::printf(
      "cycles_per_s %.0f cycles %ld seconds %.2f p50_ms %.2f p99_ms %.2f agents %d reviewers %d "
      "post_errors %ld poll_errors %ld claim_errors %ld verdict_errors %ld not_held %ld "
      "abandoned %ld empty_claims %ld\n",
      cycles / seconds, cycles.load(), seconds, p50, p99, agents, reviewers, post_errors.load(),
      poll_errors.load(), claim_errors.load(), verdict_errors.load(), not_held.load(),
      abandoned.load(), empty_claims.load());
  return 0;
}
