// Conversation state across a cluster, for real: one customer's conversations
// sent event by event to three `hitlgate serve` nodes in turn (each event to
// the next node) on one PostgreSQL get the same decisions, with the same
// triggers, as the same events sent to a single node. The script makes the
// built-in retail policy's conversation triggers fire: message-flood
// (message_rate_above: more than 5 customer messages in 60 s), mood-falling
// (sentiment_falling by 0.5) and third-contact-same-issue (repeat_contact: 3
// interactions in 7 days on one intent) — each needs state an earlier event
// left on another node.
//
// Skips when HITLGATE_TEST_PG_URL is unset (scripts/pg.sh start sets one up).
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "integration/http_client.h"
#include "integration/server_process.h"

namespace hitlgate::testing {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

const std::string kAdmin = "hg_c1a2b3c4d5e6_" + std::string(64, '6');

std::string PgUrl() {
  const char* url = std::getenv("HITLGATE_TEST_PG_URL");
  return url != nullptr ? url : "";
}

int Psql(const std::string& sql) {
  const std::string cmd =
      "psql -q -v ON_ERROR_STOP=1 '" + PgUrl() + "' -c '" + sql + "' >/dev/null 2>&1";
  return std::system(cmd.c_str());
}

struct ScriptEvent {
  std::string interaction;
  std::string type;  // customer_message | ai_proposal | interaction_closed
  std::string text;
  int minute;  // minutes after the script's start
  int second;
};

// One customer, three interactions on the same intent over two days; the
// third starts happy, turns angry and floods the chat.
std::vector<ScriptEvent> Script() {
  std::vector<ScriptEvent> s;
  auto conv = [&](const std::string& id, int day_minute) {
    s.push_back({id, "customer_message", "Hi, I want to return the blender I bought.", day_minute, 0});
    s.push_back({id, "ai_proposal", "I can start a return for you.", day_minute, 20});
    s.push_back({id, "interaction_closed", "", day_minute, 40});
  };
  conv("conv-a", 0);
  conv("conv-b", 24 * 60);
  const int m = 2 * 24 * 60;
  s.push_back({"conv-c", "customer_message", "Thanks, you have been great, I love this shop!", m, 0});
  s.push_back({"conv-c", "ai_proposal", "Glad to help. What can I do?", m, 5});
  const char* angry[] = {"The blender broke again.", "This is terrible and awful.",
                         "I hate this, it is useless.", "Terrible, horrible service!",
                         "Awful. Just awful. I am furious.", "This is the worst, I hate it."};
  int sec = 10;
  for (const char* text : angry) s.push_back({"conv-c", "customer_message", text, m, sec += 6});
  s.push_back({"conv-c", "ai_proposal", "I am sorry. I will arrange a replacement.", m, sec += 5});
  return s;
}

std::string EventJson(const ScriptEvent& e, int n) {
  // Seconds after 2026-11-20T08:00:00Z; the script spans three days.
  const int t = 8 * 3600 + e.minute * 60 + e.second;
  char at[32];
  std::snprintf(at, sizeof at, "2026-11-%02dT%02d:%02d:%02dZ", 20 + t / 86400, t % 86400 / 3600,
                t % 3600 / 60, t % 60);
  json::object o;
  o["interaction_id"] = e.interaction;
  o["customer_id"] = "cust-repeat";
  o["workflow"] = "retail-bot";
  o["channel"] = "chat";
  o["type"] = e.type;
  if (!e.text.empty()) o["text"] = e.text;
  o["intent"] = "return_item";
  if (e.type == "ai_proposal") o["confidence"] = 0.95;
  o["at"] = at;
  o["event_id"] = "ev-" + std::to_string(n);
  return json::serialize(o);
}

// "decision: trigger trigger" for one reply, triggers sorted.
std::string Summary(const json::value& v) {
  std::set<std::string> triggers;
  for (const auto& r : v.at("reasons").as_array()) {
    triggers.insert(std::string(r.at("trigger").as_string()));
  }
  std::string out(v.at("decision").as_string());
  out += ":";
  for (const auto& t : triggers) out += " " + t;
  return out;
}

class ClusterConversationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (PgUrl().empty()) {
      GTEST_SKIP() << "HITLGATE_TEST_PG_URL is not set: no PostgreSQL to run a cluster on "
                      "(eval \"$(scripts/pg.sh start)\" starts a private one)";
    }
    schema_ = "clconv_" + std::to_string(::getpid());
    ASSERT_EQ(Psql("CREATE SCHEMA " + schema_), 0);
    url_ = PgUrl() + (PgUrl().find('?') == std::string::npos ? "?" : "&") +
           "options=-c%20search_path%3D" + schema_;
    base_ = fs::temp_directory_path() / ("hitlgate-clconv-" + std::to_string(::getpid()));
    fs::remove_all(base_);
    fs::create_directories(base_ / "cluster");
    fs::create_directories(base_ / "single");
  }
  void TearDown() override {
    for (auto& n : nodes_) n.Stop();
    single_.Stop();
    if (!schema_.empty()) (void)Psql("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    if (!base_.empty()) fs::remove_all(base_);
  }

  static std::string MakeAgentKey(unsigned short port) {
    HttpReply r = HttpCall(port, "POST", "/v1/keys", R"({"name":"agent","role":"agent","workflows":["*"]})", kAdmin);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? std::string(json::parse(r.body).at("token").as_string()) : "";
  }

  std::string schema_;
  std::string url_;
  fs::path base_;
  ServerProcess nodes_[3];
  ServerProcess single_;
};

TEST_F(ClusterConversationTest, TriggersFireAsOnOneNodeWhicheverNodeTakesEachEvent) {
  for (auto& node : nodes_) {
    // The script replays a conversation with its own times: no clock check.
    ASSERT_TRUE(node.Start(HITLGATE_BINARY, (base_ / "cluster").string(), kAdmin,
                           {"--store", url_, "--event-clock-skew", "0"}))
        << node.output();
  }
  ASSERT_TRUE(single_.Start(HITLGATE_BINARY, (base_ / "single").string(), kAdmin, {"--event-clock-skew", "0"}))
      << single_.output();
  const std::string cluster_agent = MakeAgentKey(nodes_[0].port());
  const std::string single_agent = MakeAgentKey(single_.port());
  ASSERT_FALSE(cluster_agent.empty());
  ASSERT_FALSE(single_agent.empty());

  const std::vector<ScriptEvent> script = Script();
  std::set<std::string> cluster_triggers;
  for (size_t i = 0; i < script.size(); ++i) {
    const std::string body = EventJson(script[i], static_cast<int>(i));
    HttpReply one = HttpCall(single_.port(), "POST", "/v1/events", body, single_agent);
    ASSERT_EQ(one.status, 200) << one.body;
    // Each event to the next node: no two consecutive events on one node.
    HttpReply many = HttpCall(nodes_[i % 3].port(), "POST", "/v1/events", body, cluster_agent);
    ASSERT_EQ(many.status, 200) << many.body;
    const json::value many_v = json::parse(many.body);
    const json::value one_v = json::parse(one.body);
    EXPECT_EQ(Summary(many_v), Summary(one_v))
        << "event " << i << " (" << script[i].interaction << ", " << script[i].type << ")";
    EXPECT_EQ(json::serialize(many_v.at("event_index")), json::serialize(one_v.at("event_index")))
        << "event " << i;
    for (const auto& r : many_v.at("reasons").as_array()) {
      cluster_triggers.insert(std::string(r.at("trigger").as_string()));
    }
  }
  // The script is meant to need shared state; make sure it did.
  EXPECT_TRUE(cluster_triggers.contains("message_rate_above"));
  EXPECT_TRUE(cluster_triggers.contains("sentiment_falling"));
  EXPECT_TRUE(cluster_triggers.contains("repeat_contact"));
}

}  // namespace
}  // namespace hitlgate::testing
