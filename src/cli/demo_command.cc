// `hitlgate demo`: a simulated AI agent (and a few simulated reviewers)
// playing real customer-service conversations through a running gateway, so
// a newcomer sees queues fill, holds and handoffs, the supervisors' board and
// alerts, and the effectiveness metrics move.
#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <cstdio>
#include <random>
#include <thread>

#include "api/client/http_client.h"
#include "cli/demo_data.h"
#include "cli/measure_commands.h"
#include "hitlgate/codec/json.h"
#include "hitlgate/policy/policy.h"

namespace hitlgate::cli {
namespace {

namespace json = boost::json;
using demo::DemoConversation;
using demo::DemoTurn;

struct Live {
  const DemoConversation* conversation = nullptr;
  std::string id;
  std::string customer;
  size_t next = 0;
  bool handed_off = false;
  bool held = false;
  bool repeated = false;
};

std::string EventJson(const Live& c, const DemoTurn& t) {
  std::string s = "{\"interaction_id\":";
  codec::AppendJsonString(c.id, &s);
  s += ",\"customer_id\":";
  codec::AppendJsonString(c.customer, &s);
  s += ",\"workflow\":";
  codec::AppendJsonString(c.conversation->workflow, &s);
  s += ",\"channel\":";
  codec::AppendJsonString(c.conversation->channel, &s);
  s += t.customer ? ",\"type\":\"customer_message\"" : ",\"type\":\"ai_proposal\"";
  s += ",\"text\":";
  codec::AppendJsonString(t.text.substr(0, 4000), &s);
  if (!t.customer) {
    s += ",\"intent\":";
    codec::AppendJsonString(t.intent, &s);
    s += ",\"confidence\":";
    codec::AppendJsonNumber(std::round(t.confidence * 100) / 100, &s);
    if (t.action) {
      s += ",\"action\":{\"name\":";
      codec::AppendJsonString(t.action->name, &s);
      if (t.action->amount) {
        s += ",\"amount\":";
        codec::AppendJsonNumber(std::round(*t.action->amount * 100) / 100, &s);
        s += ",\"currency\":\"USD\"";
      }
      if (!t.action->order_id.empty()) {
        s += ",\"params\":{\"order_id\":";
        codec::AppendJsonString(t.action->order_id, &s);
        s += "}";
      }
      s += "}";
    }
    if (!t.collected.empty()) {
      s += ",\"collected\":{";
      for (size_t i = 0; i < t.collected.size(); ++i) {
        if (i > 0) s += ",";
        codec::AppendJsonString(t.collected[i].first + (i > 0 ? "_" + std::to_string(i) : ""), &s);
        s += ":";
        codec::AppendJsonString(t.collected[i].second, &s);
      }
      s += "}";
    }
  }
  return s + "}";
}

std::string Field(const std::string& body, std::string_view key) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return {};
  const json::value* f = v.as_object().if_contains(key);
  return f != nullptr && f->is_string() ? std::string(f->as_string()) : std::string();
}

Result<std::string> CreateKey(api::HttpClient& admin, const std::string& body) {
  auto r = admin.Send("POST", "/v1/keys", body);
  HITLGATE_RETURN_IF_ERROR(r);
  if (r->status != 200) {
    return MakeError(ErrorCode::kFailedPrecondition, "POST /v1/keys: " + std::to_string(r->status) + " " + r->body);
  }
  return Field(r->body, "token");
}

// A simulated reviewer: claims the next task it may work and answers it.
struct Reviewer {
  std::unique_ptr<api::HttpClient> client;
  std::chrono::steady_clock::time_point busy_until{};
};

}  // namespace

// The gateway's active policy, compiled here (nullptr when it cannot be
// read: then every conversation is played and the gateway's answers tell).
std::shared_ptr<const policy::Program> ActivePolicy(api::HttpClient& admin) {
  auto list = admin.Send("GET", "/v1/policies", "");
  if (!list || list->status != 200) return nullptr;
  boost::system::error_code ec;
  json::value v = json::parse(list->body, ec);
  if (ec || !v.is_object() || !v.as_object().contains("versions")) return nullptr;
  for (const json::value& version : v.at("versions").as_array()) {
    if (!version.is_object() || !version.as_object().contains("active") || !version.at("active").as_bool()) continue;
    auto one = admin.Send("GET", "/v1/policies/" + std::string(version.at("version").as_string()), "");
    if (!one || one->status != 200) return nullptr;
    json::value p = json::parse(one->body, ec);
    if (ec || !p.is_object() || !p.as_object().contains("source")) return nullptr;
    return policy::CompileText(std::string(p.at("source").as_string()), "active policy").program;
  }
  return nullptr;
}

int RunDemo(const DemoOptions& o) {
  std::mt19937_64 rng(o.seed);
  std::vector<std::string> counts;
  std::vector<DemoConversation> conversations =
      o.builtin_only ? demo::BuiltInConversations() : demo::LoadDemoConversations(o.data_dir, rng, &counts);
  for (const std::string& line : counts) std::printf("loaded %s\n", line.c_str());
  auto admin = api::HttpClient::Create(o.url, o.key);
  if (!admin) {
    std::fprintf(stderr, "hitlgate demo: %s\n", admin.error().message().c_str());
    return 2;
  }
  // The gateway refuses events of workflows its active policy does not
  // declare: play only the conversations it would take.
  if (auto program = ActivePolicy(**admin)) {
    std::set<std::string> skipped;
    std::erase_if(conversations, [&](const DemoConversation& c) {
      if (program->AcceptsWorkflow(c.workflow)) return false;
      skipped.insert(c.workflow);
      return true;
    });
    for (const std::string& w : skipped) {
      std::printf("skipping the conversations of workflow %s: the active policy does not declare it\n", w.c_str());
    }
  }
  auto agent_token = CreateKey(**admin, R"({"name":"demo AI agent","role":"agent","workflows":["*"]})");
  if (!agent_token) {
    std::fprintf(stderr, "hitlgate demo: creating the agent key (is --key an admin key?): %s\n",
                 agent_token.error().message().c_str());
    return 2;
  }
  auto agent = api::HttpClient::Create(o.url, *agent_token);
  std::vector<Reviewer> reviewers;
  for (int i = 0; i < o.reviewers; ++i) {
    // Every other simulated person is a supervisor, so escalated tasks and
    // handoffs to the supervisors' queue get answered too.
    const bool supervisor = i % 2 == 1;
    const std::string body =
        std::string(R"({"name":"demo )") + (supervisor ? "supervisor " : "reviewer ") + std::to_string(i + 1) +
        R"(","role":")" + (supervisor ? "supervisor" : "reviewer") +
        R"(","skills":["billing","orders","supervisor","legal","product_safety"],"max_concurrent":1})";
    auto token = CreateKey(**admin, body);
    if (!token) {
      std::fprintf(stderr, "hitlgate demo: %s\n", token.error().message().c_str());
      return 2;
    }
    reviewers.push_back({*api::HttpClient::Create(o.url, *token), {}});
  }

  const auto tick = std::chrono::duration<double>(1.0 / std::max(o.rate, 0.1));
  const size_t total = o.conversations > 0 ? std::min<size_t>(o.conversations, conversations.size())
                                           : conversations.size();
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<Live> live;
  size_t started = 0, finished = 0;
  std::map<std::string, int> outcomes;
  int events = 0, errors = 0, verdicts = 0, surveys = 0;
  const std::string run = std::to_string(o.seed) + "-" + std::to_string(rng() % 100000);
  auto last_report = std::chrono::steady_clock::now();
  std::printf("playing %zu conversations at %.1f events/s through %s with %d simulated reviewers\n", total,
              o.rate, o.url.c_str(), o.reviewers);
  while (finished < total) {
    const auto tick_start = std::chrono::steady_clock::now();
    while (live.size() < static_cast<size_t>(o.concurrent) && started < total) {
      Live l;
      l.conversation = &conversations[started];
      l.id = "demo-" + run + "-" + std::to_string(started);
      l.customer = "cust-" + std::to_string(rng() % (total / 2 + 5));
      live.push_back(l);
      ++started;
    }
    if (!live.empty()) {
      const size_t pick = rng() % live.size();
      Live& c = live[pick];
      const DemoTurn* turn = nullptr;
      DemoTurn repeat;
      while (c.next < c.conversation->turns.size()) {
        const DemoTurn& t = c.conversation->turns[c.next++];
        if (!t.customer && c.handed_off) continue;  // the AI stopped: a person has the conversation
        turn = &t;
        break;
      }
      if (turn == nullptr && c.handed_off && !c.repeated && unit(rng) < 0.4) {
        // After a handoff some customers have to say again what they had
        // already told the AI (the context-retention metric counts these).
        c.repeated = true;
        std::string what;
        for (const DemoTurn& t : c.conversation->turns) {
          if (t.customer && what.empty()) what = t.text;
          for (const auto& [slot, value] : t.collected) what = "my " + slot + " is " + value;
        }
        repeat = {true, "As I already said: " + what, "", 0, std::nullopt, {}};
        turn = &repeat;
      }
      if (turn == nullptr) {
        // Finished: close it, and sometimes the customer answers a survey.
        std::string close = "{\"interaction_id\":\"" + c.id + "\",\"customer_id\":\"" + c.customer +
                            "\",\"workflow\":\"" + c.conversation->workflow + "\",\"type\":\"interaction_closed\"}";
        (void)(*agent)->Send("POST", "/v1/events", close);
        if (unit(rng) < o.csat_share) {
          // Satisfaction as reported in the field (PRODUCT.md): 60% for AI-led,
          // 88% for human-led interactions; escalated ones in between.
          const double p = c.handed_off ? 0.88 : c.held ? 0.75 : 0.60;
          const int score = unit(rng) < p ? 4 + static_cast<int>(rng() % 2) : 1 + static_cast<int>(rng() % 3);
          auto r = (*agent)->Send("POST", "/v1/interactions/" + c.id + "/csat",
                                  "{\"score\":" + std::to_string(score) + ",\"source\":\"demo survey\"}");
          surveys += r && r->status == 200;
        }
        live.erase(live.begin() + static_cast<std::ptrdiff_t>(pick));
        ++finished;
      } else {
        auto r = (*agent)->Send("POST", "/v1/events", EventJson(c, *turn));
        ++events;
        if (!r || r->status != 200) {
          ++errors;
          if (errors <= 5) {
            std::fprintf(stderr, "event failed: %s\n", r ? (std::to_string(r->status) + " " + r->body).c_str()
                                                         : r.error().message().c_str());
          }
        } else {
          const std::string decision = Field(r->body, "decision");
          ++outcomes[decision];
          if (decision == "handoff") c.handed_off = true;
          if (decision == "hold") c.held = true;
        }
      }
    }
    // Reviewers work at a human pace: one task per --handle-seconds each.
    for (Reviewer& rv : reviewers) {
      if (std::chrono::steady_clock::now() < rv.busy_until) continue;
      auto claimed = rv.client->Send("POST", "/v1/review/next", "{}");
      if (!claimed || claimed->status != 200) continue;
      const std::string task = Field(claimed->body, "id");
      const std::string kind = Field(claimed->body, "kind");
      boost::system::error_code ec;
      json::value v = json::parse(claimed->body, ec);
      std::string lease;
      if (!ec && v.is_object()) {
        if (const json::value* l = v.as_object().if_contains("lease"); l && l->is_object()) {
          if (const json::value* id = l->as_object().if_contains("lease_id"); id && id->is_string()) lease = std::string(id->as_string());
        }
        if (lease.empty()) lease = Field(claimed->body, "lease_id");
      }
      std::string verdict;
      const double x = unit(rng);
      if (kind == "handoff") verdict = R"("verdict":"taken_over")";
      else if (kind == "audit_sample") verdict = x < 0.9 ? R"("verdict":"approved")" : R"("verdict":"rejected","reason":"audit finding")";
      else if (x < 0.7) verdict = R"("verdict":"approved")";
      else if (x < 0.85) verdict = R"("verdict":"edited","edited_text":"Corrected by a reviewer.")";
      else verdict = R"("verdict":"rejected","reason":"not allowed by policy","customer_message":"A colleague will follow up.")";
      auto answered = rv.client->Send("POST", "/v1/review/tasks/" + task + "/verdict",
                                      "{" + verdict + ",\"lease_id\":\"" + lease + "\"}");
      verdicts += answered && answered->status == 200;
      rv.busy_until = std::chrono::steady_clock::now() +
                      std::chrono::milliseconds(static_cast<int>(1000 * o.handle_seconds * (0.5 + unit(rng))));
    }
    if (std::chrono::steady_clock::now() - last_report > std::chrono::seconds(10)) {
      last_report = std::chrono::steady_clock::now();
      std::printf("%d events, %zu/%zu conversations done; allow %d, monitored %d, hold %d, handoff %d, block %d; "
                  "%d verdicts, %d surveys, %d errors\n",
                  events, finished, total, outcomes["allow"], outcomes["allow_monitored"], outcomes["hold"],
                  outcomes["handoff"], outcomes["block"], verdicts, surveys, errors);
      std::fflush(stdout);
    }
    std::this_thread::sleep_until(tick_start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(tick));
  }
  std::printf("done: %d events, %zu conversations; allow %d, monitored %d, hold %d, handoff %d, block %d; "
              "%d verdicts, %d surveys, %d errors\n",
              events, finished, outcomes["allow"], outcomes["allow_monitored"], outcomes["hold"], outcomes["handoff"],
              outcomes["block"], verdicts, surveys, errors);
  return errors > 0 && events == errors ? 1 : 0;
}

}  // namespace hitlgate::cli
