// Measuring oversight over real HTTP (docs/measure.md), in process with the
// production wiring (gateway_harness.h): CSAT intake, the effectiveness
// figures moving with events, holds and verdicts, shadow mode on live
// traffic, a replay of a saved version against the recorded history, the
// staffing endpoint; and `hitlgate demo` played against a real `hitlgate
// serve` process with its built-in script.
#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <sys/wait.h>

#include "integration/gateway_harness.h"
#include "integration/http_client.h"
#include "integration/server_process.h"

namespace hitlgate::testing {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;

json::value Json(const HttpReply& r) {
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  EXPECT_FALSE(ec) << "not JSON (HTTP " << r.status << "): " << r.body;
  return ec ? json::value(json::object()) : v;
}

std::int64_t Int(const json::value& v) { return v.to_number<std::int64_t>(); }
double Num(const json::value& v) { return v.to_number<double>(); }
std::string Str(const json::value& v) { return std::string(v.as_string()); }

std::string ErrorMessage(const HttpReply& r) {
  json::value v = Json(r);
  const json::value* e = v.is_object() ? v.as_object().if_contains("error") : nullptr;
  if (e == nullptr || !e->is_object() || !e->as_object().contains("message")) return "";
  return Str(e->at("message"));
}

std::string CustomerMessage(const std::string& interaction, const std::string& text,
                            const std::string& channel = "chat") {
  return json::serialize(json::object{{"interaction_id", interaction},
                                      {"customer_id", "u-" + interaction},
                                      {"workflow", "retail-bot"},
                                      {"channel", channel},
                                      {"type", "customer_message"},
                                      {"text", text}});
}

// A confident refund proposal: the retail policy holds it above 110 USD, the
// candidate (retail-candidate.yaml) only above 220 USD.
std::string Refund(const std::string& interaction, double amount, const std::string& channel = "chat") {
  return json::serialize(json::object{{"interaction_id", interaction},
                                      {"customer_id", "u-" + interaction},
                                      {"workflow", "retail-bot"},
                                      {"channel", channel},
                                      {"type", "ai_proposal"},
                                      {"text", "I have refunded your order."},
                                      {"intent", "return_item"},
                                      {"confidence", 0.95},
                                      {"collected", {{"order_id", "A-1001"}}},
                                      {"action",
                                       {{"name", "refund"},
                                        {"amount", amount},
                                        {"currency", "USD"},
                                        {"params", {{"order_id", "A-1001"}}}}}});
}

class MeasureHttpTest : public ::testing::Test {
 protected:
  const HarnessKeys& keys() const { return h_.keys(); }

  json::value Submit(const std::string& event, const std::string& token = "") {
    HttpReply r = h_.Post("/v1/events", event, token.empty() ? keys().agent : token);
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r);
  }

  json::value Effectiveness(const std::string& query = "") {
    HttpReply r = h_.Get("/v1/metrics/effectiveness" + query, keys().supervisor);
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r);
  }

  // Uploads the candidate policy without activating it; its version.
  std::string UploadCandidate() {
    const std::string yaml =
        ReadTextFile(std::string(HITLGATE_SOURCE_DIR) + "/examples/policies/retail-candidate.yaml");
    HttpReply r = h_.Post("/v1/policies", yaml, keys().admin);
    EXPECT_EQ(r.status, 200) << r.body;
    return Str(Json(r).at("version"));
  }

  // Claims `task_id` as the reviewer and answers it.
  void Answer(const std::string& task_id, const std::string& verdict) {
    HttpReply claimed = h_.Post("/v1/review/tasks/" + task_id + "/claim", "", keys().reviewer);
    ASSERT_EQ(claimed.status, 200) << claimed.body;
    const std::string lease = Str(Json(claimed).at("lease").at("lease_id"));
    HttpReply answered = h_.Post("/v1/review/tasks/" + task_id + "/verdict",
                                 R"({"verdict":")" + verdict + R"(","lease_id":")" + lease +
                                     (verdict == "rejected" ? R"(","reason":"not allowed"})" : R"("})"),
                                 keys().reviewer);
    ASSERT_EQ(answered.status, 200) << answered.body;
  }

  // The count for `key` in a [{key, ...}] array of the effectiveness JSON; 0 if absent.
  static std::int64_t RowCount(const json::value& rows, const std::string& key, const char* field) {
    for (const json::value& row : rows.as_array()) {
      if (Str(row.at("key")) == key) return Int(row.at(field));
    }
    return 0;
  }

  GatewayHarness h_;
};

// The agent's own ids may hold any character: one with a quote comes back
// as the same string in valid JSON.
TEST_F(MeasureHttpTest, CsatAnswerNamesAnIdWithAQuoteInValidJson) {
  Submit(CustomerMessage(R"(c-"q")", "Where is my order?"));
  HttpReply quoted = h_.Post("/v1/interactions/c-%22q%22/csat", R"({"score":4})", keys().agent);
  ASSERT_EQ(quoted.status, 200) << quoted.body;
  EXPECT_EQ(Json(quoted).at("interaction_id").as_string(), R"(c-"q")");
}

TEST_F(MeasureHttpTest, CsatIsRecordedForTheAgentsOwnInteractionsAndBadSurveysAreRefused) {
  Submit(CustomerMessage("c-csat", "Where is my order?"));
  HttpReply ok = h_.Post("/v1/interactions/c-csat/csat", R"({"score":4,"scale":5,"source":"email"})",
                         keys().agent);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_TRUE(Json(ok).at("recorded").as_bool());

  HttpReply high = h_.Post("/v1/interactions/c-csat/csat", R"({"score":9})", keys().agent);
  EXPECT_EQ(high.status, 400) << high.body;
  EXPECT_THAT(ErrorMessage(high), HasSubstr("score"));
  HttpReply missing = h_.Post("/v1/interactions/c-csat/csat", R"({"scale":5})", keys().agent);
  EXPECT_EQ(missing.status, 400) << missing.body;
  EXPECT_THAT(ErrorMessage(missing), HasSubstr("score"));
  HttpReply unknown = h_.Post("/v1/interactions/c-csat/csat", R"({"score":4,"mood":"happy"})", keys().agent);
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_THAT(ErrorMessage(unknown), HasSubstr("mood"));
  HttpReply text = h_.Post("/v1/interactions/c-csat/csat", R"({"score":"four"})", keys().agent);
  EXPECT_EQ(text.status, 400) << text.body;
  // Another workflow's agent may not speak for this conversation.
  HttpReply other = h_.Post("/v1/interactions/c-csat/csat", R"({"score":1})", keys().other_agent);
  EXPECT_EQ(other.status, 403) << other.body;
  EXPECT_THAT(ErrorMessage(other), HasSubstr("retail-bot"));
  HttpReply nobody = h_.Post("/v1/interactions/c-nobody/csat", R"({"score":3})", keys().agent);
  EXPECT_EQ(nobody.status, 404) << nobody.body;

  // Only the accepted survey counts: one AI-resolved response, satisfied.
  json::value e = Effectiveness();
  bool found = false;
  for (const json::value& g : e.at("csat").at("groups").as_array()) {
    if (Str(g.at("group")) != "ai_resolved") {
      EXPECT_EQ(Int(g.at("responses")), 0) << g;
      continue;
    }
    found = true;
    EXPECT_EQ(Int(g.at("responses")), 1) << g;
    EXPECT_EQ(Int(g.at("satisfied").at("hits")), 1) << g;
  }
  EXPECT_TRUE(found) << e.at("csat");
}

TEST_F(MeasureHttpTest, EffectivenessFiguresMoveWithEventsHoldsAndVerdicts) {
  json::value before = Effectiveness();
  EXPECT_EQ(Int(before.at("escalation").at("events")), 0) << before;

  Submit(CustomerMessage("c-eff-1", "I want my money back for the blender."));
  Submit(Refund("c-eff-1", 40));                 // allowed
  Submit(CustomerMessage("c-eff-2", "Refund my order please.", "email"));
  json::value held = Submit(Refund("c-eff-2", 150, "email"));  // held: refunds-over-100
  ASSERT_EQ(Str(held.at("decision")), "hold") << held;

  json::value mid = Effectiveness();
  const json::value& esc = mid.at("escalation");
  EXPECT_EQ(Int(esc.at("events")), 4) << esc;
  EXPECT_EQ(Int(esc.at("escalations")), 1) << esc;
  EXPECT_NEAR(Num(esc.at("rate")), 0.25, 1e-9) << esc;
  EXPECT_EQ(RowCount(esc.at("by_channel"), "email", "escalations"), 1) << esc.at("by_channel");
  EXPECT_EQ(RowCount(esc.at("by_channel"), "chat", "escalations"), 0) << esc.at("by_channel");
  EXPECT_EQ(RowCount(esc.at("by_workflow"), "retail-bot", "events"), 4) << esc.at("by_workflow");
  std::int64_t by_trigger = 0;
  for (const json::value& row : esc.at("by_trigger").as_array()) by_trigger += Int(row.at("escalations"));
  EXPECT_GE(by_trigger, 1) << esc.at("by_trigger");
  EXPECT_EQ(Int(mid.at("resolution_seconds").at("all").at("count")), 0) << mid.at("resolution_seconds");

  // A reviewer approves the hold 90 s later: a resolution time and a verdict.
  h_.clock().Advance(std::chrono::seconds(90));
  Answer(Str(held.at("task_id")), "approved");
  json::value after = Effectiveness();
  const json::value& all = after.at("resolution_seconds").at("all");
  EXPECT_EQ(Int(all.at("count")), 1) << all;
  EXPECT_NEAR(Num(all.at("p50")), 90, 1e-6) << all;
  std::int64_t verdicts = 0;
  for (const json::value& r : after.at("reviewers").as_array()) verdicts += Int(r.at("verdicts"));
  EXPECT_EQ(verdicts, 1) << after.at("reviewers");
  EXPECT_EQ(Int(after.at("agreement_with_ai").at("hits")), 1) << after.at("agreement_with_ai");

  // The range selects: nothing was recorded before the harness's start.
  json::value empty = Effectiveness("?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z");
  EXPECT_EQ(Int(empty.at("escalation").at("events")), 0) << empty;

  HttpReply bad = h_.Get("/v1/metrics/effectiveness?from=yesterday", keys().supervisor);
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_THAT(ErrorMessage(bad), HasSubstr("from"));
  HttpReply backwards = h_.Get("/v1/metrics/effectiveness?from=2026-11-23T00:00:00Z&to=2026-11-22T00:00:00Z",
                               keys().supervisor);
  EXPECT_EQ(backwards.status, 400) << backwards.body;
  EXPECT_THAT(ErrorMessage(backwards), HasSubstr("after"));
}

TEST_F(MeasureHttpTest, ShadowModeComparesTheCandidateOnLiveTrafficWithoutEffect) {
  const std::string candidate = UploadCandidate();
  HttpReply off = h_.Get("/v1/shadow", keys().supervisor);
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_TRUE(Json(off).at("shadow").is_null()) << off.body;

  HttpReply unknown = h_.Post("/v1/shadow", R"({"version":")" + candidate + R"(","now":true})", keys().admin);
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_THAT(ErrorMessage(unknown), HasSubstr("now"));
  HttpReply missing = h_.Post("/v1/shadow", R"({"version":"sha256:0000"})", keys().admin);
  EXPECT_EQ(missing.status, 404) << missing.body;
  HttpReply started = h_.Post("/v1/shadow", R"({"version":")" + candidate + R"("})", keys().admin);
  ASSERT_EQ(started.status, 200) << started.body;
  EXPECT_EQ(Str(Json(started).at("shadow").at("version")), candidate);

  // 150 USD: the live policy holds it, the candidate would not; 40 USD: both allow.
  json::value live = Submit(Refund("c-shadow-1", 150));
  EXPECT_EQ(Str(live.at("decision")), "hold") << live;  // the shadow changes nothing
  Submit(Refund("c-shadow-2", 40));
  Submit(Refund("c-shadow-3", 300));

  HttpReply got = h_.Get("/v1/shadow", keys().auditor);
  ASSERT_EQ(got.status, 200) << got.body;
  const json::value c = Json(got).at("comparison");
  EXPECT_EQ(Int(c.at("events")), 3) << c;
  EXPECT_EQ(Int(c.at("changed")), 1) << c;
  EXPECT_EQ(Int(c.at("active").at("escalations")), 2) << c;
  EXPECT_EQ(Int(c.at("candidate").at("escalations")), 1) << c;
  bool hold_to_delivered = false;
  for (const json::value& ch : c.at("changes").as_array()) {
    if (Str(ch.at("from")) == "hold" && Int(ch.at("count")) == 1) hold_to_delivered = true;
  }
  EXPECT_TRUE(hold_to_delivered) << c.at("changes");

  HttpReply stopped = h_.Call("DELETE", "/v1/shadow", "", keys().admin);
  ASSERT_EQ(stopped.status, 200) << stopped.body;
  EXPECT_TRUE(Json(stopped).at("shadow").is_null()) << stopped.body;
}

TEST_F(MeasureHttpTest, ReplayOfASavedVersionShowsTheDecisionsThatChange) {
  Submit(CustomerMessage("c-rep-1", "Please refund my blender."));
  json::value held = Submit(Refund("c-rep-1", 150));
  ASSERT_EQ(Str(held.at("decision")), "hold") << held;
  Answer(Str(held.at("task_id")), "rejected");  // a person judged it wrong
  h_.clock().Advance(std::chrono::minutes(30));
  Submit(CustomerMessage("c-rep-2", "Refund please."));
  Submit(Refund("c-rep-2", 40));
  Submit(Refund("c-rep-3", 300));
  const std::string candidate = UploadCandidate();

  HttpReply r = h_.Post("/v1/policies/" + candidate + "/replay", "", keys().supervisor);
  ASSERT_EQ(r.status, 200) << r.body;
  json::value v = Json(r);
  EXPECT_EQ(Str(v.at("candidate_policy").at("version")), candidate);
  EXPECT_EQ(Str(v.at("active_policy").at("name")), "retail-contact-center");
  const json::value& history = v.at("history");
  EXPECT_EQ(Int(history.at("events")), 5) << history;
  EXPECT_EQ(Int(history.at("interactions")), 3) << history;
  EXPECT_FALSE(history.at("truncated").as_bool()) << history;
  EXPECT_NEAR(Num(history.at("events_per_hour")), 10, 1e-6) << history;  // 5 events over 30 min
  const json::value& c = v.at("comparison");
  EXPECT_EQ(Int(c.at("events")), 5) << c;
  EXPECT_EQ(Int(c.at("changed")), 1) << c;
  EXPECT_EQ(Int(c.at("active").at("escalations")), 2) << c;
  EXPECT_EQ(Int(c.at("candidate").at("escalations")), 1) << c;
  // The rejected 150 USD refund: the candidate would have delivered it.
  EXPECT_EQ(Int(c.at("candidate").at("judged_errors_let_through")), 1) << c;
  EXPECT_EQ(Int(c.at("active").at("judged_errors_stopped")), 1) << c;
  ASSERT_FALSE(c.at("examples").as_array().empty()) << c;
  EXPECT_THAT(json::serialize(c.at("examples")), HasSubstr("c-rep-1"));

  // The active version against itself changes nothing.
  HttpReply same = h_.Post("/v1/policies/active/replay", "{}", keys().admin);
  ASSERT_EQ(same.status, 200) << same.body;
  EXPECT_EQ(Int(Json(same).at("comparison").at("changed")), 0) << same.body;

  // The bound: the newest whole interaction only, and the answer says so.
  HttpReply bounded = h_.Post("/v1/policies/" + candidate + "/replay", R"({"max_events":1})", keys().auditor);
  ASSERT_EQ(bounded.status, 200) << bounded.body;
  json::value b = Json(bounded);
  EXPECT_TRUE(b.at("history").at("truncated").as_bool()) << b.at("history");
  EXPECT_EQ(Int(b.at("history").at("interactions")), 1) << b.at("history");
  EXPECT_EQ(Int(b.at("history").at("events")), 1) << b.at("history");  // c-rep-3

  // A range before the traffic: nothing replayed.
  HttpReply early = h_.Post("/v1/policies/" + candidate + "/replay",
                            R"({"from":"2026-11-01T00:00:00Z","to":"2026-11-02T00:00:00Z"})", keys().admin);
  ASSERT_EQ(early.status, 200) << early.body;
  EXPECT_EQ(Int(Json(early).at("comparison").at("events")), 0) << early.body;

  struct Bad {
    std::string body;
    std::string says;
  };
  for (const Bad& bad : std::vector<Bad>{{R"({"from":"last week"})", "from"},
                                         {R"({"from":"2026-11-23T10:00:00Z","to":"2026-11-23T09:00:00Z"})", "after"},
                                         {R"({"max_events":0})", "max_events"},
                                         {R"({"max_events":1000000})", "max_events"},
                                         {R"({"examples":-1})", "examples"},
                                         {R"({"window":"7d"})", "window"},
                                         {R"([1,2])", "object"}}) {
    HttpReply rejected = h_.Post("/v1/policies/" + candidate + "/replay", bad.body, keys().admin);
    EXPECT_EQ(rejected.status, 400) << bad.body << ": " << rejected.body;
    EXPECT_THAT(ErrorMessage(rejected), HasSubstr(bad.says)) << bad.body;
  }
  HttpReply none = h_.Post("/v1/policies/sha256:0000/replay", "", keys().admin);
  EXPECT_EQ(none.status, 404) << none.body;
  HttpReply reviewer = h_.Post("/v1/policies/" + candidate + "/replay", "", keys().reviewer);
  EXPECT_EQ(reviewer.status, 403) << reviewer.body;
}

TEST_F(MeasureHttpTest, StaffingFollowsErlangAndTheSimulationAgrees) {
  // The textbook example: 200 calls an hour, 180 s each, 80% within 20 s: 14 agents.
  HttpReply r = h_.Post("/v1/staffing",
                        R"({"arrivals_per_hour":200,"escalation_rate":1,"handle_seconds":180,)"
                        R"("target_level":0.8,"target_wait_seconds":20})",
                        keys().supervisor);
  ASSERT_EQ(r.status, 200) << r.body;
  json::value v = Json(r);
  EXPECT_EQ(Str(v.at("model")), "Erlang C");
  EXPECT_EQ(Int(v.at("recommended_agents")), 14) << v;
  EXPECT_NEAR(Num(v.at("offered_load")), 10, 1e-9);
  EXPECT_EQ(Int(v.at("simulated_tasks")), 50000);
  bool checked = false;
  for (const json::value& row : v.at("rows").as_array()) {
    if (Int(row.at("agents")) != 14) continue;
    checked = true;
    EXPECT_NEAR(Num(row.at("formula").at("service_level")), 0.888, 0.002) << row;
    EXPECT_NEAR(Num(row.at("simulated").at("service_level")), Num(row.at("formula").at("service_level")), 0.03)
        << row;
  }
  EXPECT_TRUE(checked) << v;

  // With patience, Erlang A: people give up, so fewer reviewers reach the level.
  HttpReply a = h_.Post("/v1/staffing",
                        R"({"arrivals_per_hour":2000,"escalation_rate":0.1,"handle_seconds":180,)"
                        R"("patience_seconds":180,"simulated_tasks":20000})",
                        keys().auditor);
  ASSERT_EQ(a.status, 200) << a.body;
  json::value av = Json(a);
  EXPECT_EQ(Str(av.at("model")), "Erlang A");
  EXPECT_EQ(Int(av.at("recommended_agents")), 11) << av;  // docs/measure.md's example
  EXPECT_GT(Num(av.at("rows").at(0).at("formula").at("abandonment")), 0) << av;

  struct Bad {
    std::string body;
    std::string says;
  };
  for (const Bad& bad : std::vector<Bad>{
           {R"({"arrivals_per_hour":100,"escalation_rate":1.5,"handle_seconds":60})", "escalation_rate"},
           {R"({"arrivals_per_hour":100,"escalation_rate":0.5})", "handle_seconds"},
           {R"({"arrivals_per_hour":-5,"escalation_rate":0.5,"handle_seconds":60})", "arrivals_per_hour"},
           {R"({"arrivals_per_hour":100,"escalation_rate":0.5,"handle_seconds":60,"target_level":80})",
            "target_level"},
           {R"({"arrivals_per_hour":100,"escalation_rate":0.5,"handle_seconds":60,"agents":3})", "agents"},
           {R"({"arrivals_per_hour":100,"escalation_rate":0.5,"handle_seconds":"60"})", "handle_seconds"},
           {R"({"arrivals_per_hour":100,"escalation_rate":0.5,"handle_seconds":60,"simulated_tasks":10})",
            "simulated_tasks"},
           {R"({"arrivals_per_hour":1e9,"escalation_rate":1,"handle_seconds":600})", "offered load"},
           {R"({"arrivals_per_hour":10000,"escalation_rate":1,"handle_seconds":600,"patience_seconds":60})",
            "with a patience"}}) {
    HttpReply rejected = h_.Post("/v1/staffing", bad.body, keys().supervisor);
    EXPECT_EQ(rejected.status, 400) << bad.body << ": " << rejected.body;
    EXPECT_THAT(ErrorMessage(rejected), HasSubstr(bad.says)) << bad.body;
  }
  HttpReply reviewer = h_.Post("/v1/staffing", R"({"arrivals_per_hour":100,"escalation_rate":0.5,"handle_seconds":60})",
                               keys().reviewer);
  EXPECT_EQ(reviewer.status, 403) << reviewer.body;
}

// `hitlgate demo` against a running `hitlgate serve`: without the shared
// data it plays its built-in script, and the gateway then holds its
// decisions, tasks and verdicts.
TEST(MeasureDemoTest, DemoWithoutDataPlaysTheBuiltInScriptThroughARunningGateway) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("hitlgate-demo-test-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "data");
  const std::string admin = "hg_a1b2c3d4e5f6_" + std::string(64, '5');
  ServerProcess server;
  ASSERT_TRUE(server.Start(HITLGATE_BINARY, (dir / "data").string(), admin)) << server.output();
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port());

  const std::string command = std::string(HITLGATE_BINARY) + " demo --url " + url + " --key " + admin +
                              " --data " + (dir / "no-such-data").string() +
                              " --rate 400 --concurrent 4 --reviewers 2 --handle-seconds 0.01 --seed 3 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buf[512];
  while (std::fgets(buf, sizeof buf, pipe) != nullptr) output += buf;
  const int status = pclose(pipe);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << output;
  EXPECT_THAT(output, HasSubstr("the built-in script")) << output;
  EXPECT_THAT(output, HasSubstr("done:")) << output;
  EXPECT_THAT(output, HasSubstr(" 0 errors")) << output;

  HttpReply e = HttpCall(server.port(), "GET", "/v1/metrics/effectiveness", "", admin);
  ASSERT_EQ(e.status, 200) << e.body;
  json::value figures = Json(e);
  EXPECT_GT(Int(figures.at("escalation").at("events")), 5) << figures;
  EXPECT_GT(Int(figures.at("escalation").at("escalations")), 0) << figures;
  EXPECT_GT(Int(figures.at("interactions")), 1) << figures;
  HttpReply tasks = HttpCall(server.port(), "GET", "/v1/review/tasks?status=answered", "", admin);
  ASSERT_EQ(tasks.status, 200) << tasks.body;
  EXPECT_THAT(tasks.body, HasSubstr("\"id\"")) << "the simulated reviewers answered nothing: " << tasks.body;
  server.Stop();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace hitlgate::testing
