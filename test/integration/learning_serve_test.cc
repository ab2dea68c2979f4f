// The learning loop inside a running gateway: `hitlgate train` writes a
// fastText model, `hitlgate serve --triage-model --calibration` loads it and a
// calibration map, and decisions over HTTP show the triaged intent, the
// out-of-scope signal and the calibrated confidence at work. Bad model or map
// files stop `serve` with a message that names the file.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "integration/http_client.h"
#include "integration/server_process.h"

namespace hitlgate::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
const std::string kAdmin = "hg_a1b2c3d4e5f6_" + std::string(64, '7');

constexpr const char* kPolicy = R"(policy: learning-loop
queues:
  general: {skills: [], sla_seconds: 300}
defaults:
  oversight: hootl
  queue: general
rules:
  - name: off-topic-to-a-person
    when: {out_of_scope: true}
    decision: handoff
  - name: refunds-reviewed
    when: {action: refund}
    decision: hold
  - name: unsure-after-calibration
    when: {confidence_below: {threshold: 0.8, source: calibrated}}
    decision: hold
)";

void Write(const fs::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
}

// Runs a command, returns its exit status and (in *output) stdout + stderr.
int RunCommand(const std::string& command, std::string* output) {
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return -1;
  char buf[512];
  while (std::fgets(buf, sizeof buf, p) != nullptr) *output += buf;
  return ::pclose(p);
}

class LearningServeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("hitlgate-learning-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::string csv = "text,label\n";
    const char* card[] = {"where is my card", "my card has not arrived", "card still not here",
                          "when will my new card come", "i am waiting for my card"};
    const char* refund[] = {"i want a refund", "give me my money back", "refund my order please",
                            "how do i get a refund", "money back for this purchase"};
    const char* oos[] = {"what is the weather tomorrow", "tell me a joke", "who won the football match",
                         "play some music", "how tall is mount everest"};
    for (int round = 0; round < 12; ++round) {
      for (const char* t : card) csv += std::string(t) + ",card_arrival\n";
      for (const char* t : refund) csv += std::string(t) + ",refund\n";
      for (const char* t : oos) csv += std::string(t) + ",oos\n";
    }
    Write(dir_ / "toy.csv", csv);
    std::string out;
    const int rc = RunCommand(std::string(HITLGATE_BINARY) + " train --data " + (dir_ / "toy.csv").string() +
                           " --out " + (dir_ / "triage.bin").string() + " --buckets 5000 --dim 16",
                       &out);
    ASSERT_EQ(rc, 0) << out;
    Write(dir_ / "policy.yaml", kPolicy);
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  static std::vector<std::string> ServeArgs() {
    return {"--policy", (dir_ / "policy.yaml").string(), "--triage-model", (dir_ / "triage.bin").string()};
  }

  static fs::path dir_;
};

fs::path LearningServeTest::dir_;

json::object Decide(unsigned short port, const std::string& agent, const std::string& body) {
  HttpReply r = HttpCall(port, "POST", "/v1/events", body, agent);
  EXPECT_EQ(r.status, 200) << r.body;
  return r.status == 200 ? json::parse(r.body).as_object() : json::object();
}

std::string Token(unsigned short port, const std::string& body) {
  HttpReply key = HttpCall(port, "POST", "/v1/keys", body, kAdmin);
  EXPECT_EQ(key.status, 200) << key.body;
  return key.status == 200 ? std::string(json::parse(key.body).at("token").as_string()) : "";
}

std::string RefundAt95(int n) {
  const std::string id = "refund-" + std::to_string(n);
  return R"({"interaction_id":")" + id + R"(","customer_id":"c-)" + id +
         R"(","workflow":"shop","type":"ai_proposal","text":"I have refunded you.","intent":"refund",
      "confidence":0.95,"action":{"name":"refund","amount":20,"currency":"EUR"}})";
}

bool Fired(const json::object& decision, std::string_view rule) {
  for (const json::value& r : decision.at("reasons").as_array()) {
    if (r.at("rule").as_string() == rule) return true;
  }
  return false;
}

TEST_F(LearningServeTest, TriageDecidesIntentAndOutOfScope) {
  ServerProcess server;
  ASSERT_TRUE(server.Start(HITLGATE_BINARY, (dir_ / "data-triage").string(), kAdmin, ServeArgs()))
      << server.output();
  const std::string agent = Token(server.port(), R"({"name":"bot","role":"agent","workflows":["*"]})");

  json::object in_scope = Decide(server.port(), agent, R"({"interaction_id":"l-1","customer_id":"c-1",
      "workflow":"shop","type":"customer_message","text":"My card has still not arrived"})");
  ASSERT_TRUE(in_scope.contains("signals"));
  EXPECT_EQ(in_scope.at("signals").at("triage_intent").as_string(), "card_arrival");
  EXPECT_EQ(in_scope.at("signals").at("out_of_scope").as_bool(), false);
  EXPECT_EQ(in_scope.at("decision").as_string(), "allow");

  json::object off_topic = Decide(server.port(), agent, R"({"interaction_id":"l-2","customer_id":"c-2",
      "workflow":"shop","type":"customer_message","text":"tell me a joke"})");
  ASSERT_TRUE(off_topic.contains("signals"));
  EXPECT_EQ(off_topic.at("signals").at("out_of_scope").as_bool(), true);
  EXPECT_EQ(off_topic.at("decision").as_string(), "handoff");
  EXPECT_TRUE(off_topic.contains("task_id"));
  EXPECT_EQ(server.Stop(), 0);
}

// The loop closes: reviewers reject most refunds the AI proposed at 0.95;
// `feedback export` and `calibrate` turn their verdicts into a map; after a
// restart with it, the next refund at 0.95 is held as unsure.
TEST_F(LearningServeTest, VerdictsBecomeACalibrationMapThatPoliciesUse) {
  const fs::path data = dir_ / "data-loop";
  {
    ServerProcess server;
    ASSERT_TRUE(server.Start(HITLGATE_BINARY, data.string(), kAdmin, ServeArgs())) << server.output();
    const std::string agent = Token(server.port(), R"({"name":"bot","role":"agent","workflows":["*"]})");
    const std::string reviewer = Token(server.port(), R"({"name":"rev","role":"reviewer"})");
    for (int i = 0; i < 40; ++i) {
      json::object d = Decide(server.port(), agent, RefundAt95(i));
      ASSERT_EQ(d.at("decision").as_string(), "hold");
      EXPECT_FALSE(d.at("signals").as_object().contains("calibrated_confidence"));
      EXPECT_FALSE(Fired(d, "unsure-after-calibration"));
    }
    for (int i = 0; i < 40; ++i) {
      HttpReply claim = HttpCall(server.port(), "POST", "/v1/review/next", "{}", reviewer);
      ASSERT_EQ(claim.status, 200) << claim.body;
      json::value task = json::parse(claim.body);
      const std::string lease(task.at("lease").at("lease_id").as_string());
      const std::string verdict = i % 10 < 3 ? R"({"verdict":"approved","lease_id":")" + lease + "\"}"
                                             : R"({"verdict":"rejected","reason":"wrong amount","lease_id":")" +
                                                   lease + "\"}";
      HttpReply v = HttpCall(server.port(), "POST",
                             "/v1/review/tasks/" + std::string(task.at("id").as_string()) + "/verdict", verdict,
                             reviewer);
      ASSERT_EQ(v.status, 200) << v.body;
    }
    EXPECT_EQ(server.Stop(), 0);
  }
  std::string out;
  ASSERT_EQ(RunCommand(std::string(HITLGATE_BINARY) + " feedback export --data " + data.string() + " -o " +
                           (dir_ / "feedback.jsonl").string(),
                       &out),
            0)
      << out;
  ASSERT_EQ(RunCommand(std::string(HITLGATE_BINARY) + " calibrate --feedback " + (dir_ / "feedback.jsonl").string() +
                           " --min-samples 20 --out " + (dir_ / "map.json").string(),
                       &out),
            0)
      << out;

  std::vector<std::string> args = ServeArgs();
  args.insert(args.end(), {"--calibration", (dir_ / "map.json").string()});
  ServerProcess server;
  ASSERT_TRUE(server.Start(HITLGATE_BINARY, data.string(), kAdmin, args)) << server.output();
  const std::string agent = Token(server.port(), R"({"name":"bot2","role":"agent","workflows":["*"]})");
  json::object d = Decide(server.port(), agent, RefundAt95(100));
  ASSERT_TRUE(d.at("signals").as_object().contains("calibrated_confidence")) << json::serialize(d);
  EXPECT_LT(d.at("signals").at("calibrated_confidence").to_number<double>(), 0.6);
  EXPECT_TRUE(Fired(d, "unsure-after-calibration")) << json::serialize(d);
  EXPECT_EQ(server.Stop(), 0);
}

TEST_F(LearningServeTest, DecideOfflineTriagesLikeServe) {
  Write(dir_ / "events.jsonl",
        R"({"interaction_id":"o-1","workflow":"shop","type":"customer_message","text":"tell me a joke"})"
        "\n"
        R"({"interaction_id":"o-2","workflow":"shop","type":"customer_message","text":"where is my card"})"
        "\n");
  std::string out;
  ASSERT_EQ(RunCommand(std::string(HITLGATE_BINARY) + " decide --policy " + (dir_ / "policy.yaml").string() +
                           " --triage-model " + (dir_ / "triage.bin").string() + " --input " +
                           (dir_ / "events.jsonl").string(),
                       &out),
            0)
      << out;
  const size_t newline = out.find('\n');
  ASSERT_NE(newline, std::string::npos) << out;
  json::object first = json::parse(out.substr(0, newline)).as_object();
  json::object second = json::parse(out.substr(newline + 1)).as_object();
  EXPECT_EQ(first.at("decision").as_string(), "handoff");
  EXPECT_TRUE(first.at("signals").at("out_of_scope").as_bool());
  EXPECT_EQ(second.at("signals").at("triage_intent").as_string(), "card_arrival");
}

// A candidate without the off-topic rule, replayed with the triage model,
// changes the off-topic message's handoff; without the model the replay
// could not see that message as out of scope at all.
TEST_F(LearningServeTest, ReplayTriagesLikeServe) {
  std::string candidate = kPolicy;
  const size_t rule = candidate.find("  - name: off-topic-to-a-person");
  const size_t next = candidate.find("  - name:", rule + 1);
  candidate.erase(rule, next - rule);
  candidate.replace(candidate.find("policy: learning-loop"), 21, "policy: without-off-topic");
  Write(dir_ / "candidate.yaml", candidate);
  Write(dir_ / "history.jsonl",
        R"({"interaction_id":"r-1","workflow":"shop","type":"customer_message","text":"tell me a joke","at":"2026-11-22T10:00:00Z"})"
        "\n"
        R"({"interaction_id":"r-2","workflow":"shop","type":"customer_message","text":"where is my card","at":"2026-11-22T10:00:01Z"})"
        "\n");
  const std::string base = std::string(HITLGATE_BINARY) + " replay --json --policy " +
                           (dir_ / "candidate.yaml").string() + " --active " + (dir_ / "policy.yaml").string() +
                           " --events " + (dir_ / "history.jsonl").string();
  std::string with, without;
  ASSERT_EQ(RunCommand(base + " --triage-model " + (dir_ / "triage.bin").string() + " 2>/dev/null", &with), 0)
      << with;
  ASSERT_EQ(RunCommand(base + " 2>/dev/null", &without), 0) << without;
  const json::value w = json::parse(with).at("comparison");
  EXPECT_EQ(w.at("changed").to_number<int>(), 1) << with;
  EXPECT_EQ(w.at("changes").at(0).at("from").as_string(), "handoff");
  EXPECT_EQ(w.at("changes").at(0).at("to").as_string(), "allow");
  EXPECT_EQ(json::parse(without).at("comparison").at("changed").to_number<int>(), 0) << without;
}

// Earned autonomy's thresholds come from serve's flags: with a 60% HOTL
// target after 5 cases, five approved refunds propose HOTL (5 of 5 agreed
// has a one-sided 95% Wilson lower bound of 65%; the default 30 cases and
// 90% would not).
TEST_F(LearningServeTest, AutonomyThresholdsComeFromServesFlags) {
  std::vector<std::string> args = ServeArgs();
  args.insert(args.end(), {"--autonomy-window", "20", "--autonomy-min-cases", "5", "--autonomy-hotl-target",
                           "0.6", "--autonomy-audit-hotl", "0.5"});
  ServerProcess server;
  ASSERT_TRUE(server.Start(HITLGATE_BINARY, (dir_ / "data-autonomy").string(), kAdmin, args)) << server.output();
  const std::string agent = Token(server.port(), R"({"name":"bot","role":"agent","workflows":["*"]})");
  const std::string reviewer = Token(server.port(), R"({"name":"rev","role":"reviewer"})");
  const std::string supervisor = Token(server.port(), R"({"name":"sup","role":"supervisor"})");
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(Decide(server.port(), agent, RefundAt95(200 + i)).at("decision").as_string(), "hold");
    HttpReply claim = HttpCall(server.port(), "POST", "/v1/review/next", "{}", reviewer);
    ASSERT_EQ(claim.status, 200) << claim.body;
    json::value task = json::parse(claim.body);
    HttpReply v = HttpCall(server.port(), "POST",
                           "/v1/review/tasks/" + std::string(task.at("id").as_string()) + "/verdict",
                           R"({"verdict":"approved","lease_id":")" +
                               std::string(task.at("lease").at("lease_id").as_string()) + "\"}",
                           reviewer);
    ASSERT_EQ(v.status, 200) << v.body;
  }
  json::value autonomy;
  bool pending = false;
  for (int i = 0; i < 50 && !pending; ++i) {  // the server's tick follows the audit log once a second
    HttpReply r = HttpCall(server.port(), "GET", "/v1/autonomy", "", supervisor);
    ASSERT_EQ(r.status, 200) << r.body;
    autonomy = json::parse(r.body);
    for (const json::value& l : autonomy.at("levels").as_array()) {
      pending |= l.at("subject").as_string() == "action:refund" && l.as_object().contains("pending");
    }
    if (!pending) ::usleep(100000);
  }
  EXPECT_TRUE(pending) << json::serialize(autonomy);
  EXPECT_EQ(autonomy.at("config").at("window").to_number<int>(), 20);
  EXPECT_EQ(autonomy.at("config").at("min_cases").to_number<int>(), 5);
  EXPECT_DOUBLE_EQ(autonomy.at("config").at("hotl_target").to_number<double>(), 0.6);
  EXPECT_DOUBLE_EQ(autonomy.at("config").at("audit_rate_hotl").to_number<double>(), 0.5);
  EXPECT_EQ(server.Stop(), 0);

  // Thresholds that make no sense stop serve with a message.
  std::string out;
  EXPECT_NE(RunCommand(std::string(HITLGATE_BINARY) + " serve --port 0 --data " + (dir_ / "data-bad2").string() +
                           " --autonomy-window 10 --autonomy-min-cases 30",
                       &out),
            0);
  EXPECT_NE(out.find("--autonomy-min-cases 30 is more than --autonomy-window 10"), std::string::npos) << out;
}

TEST_F(LearningServeTest, AnUnreadableModelOrMapStopsServeWithTheFileNamed) {
  Write(dir_ / "garbage.bin", "not a fastText model");
  Write(dir_ / "bad-map.json", R"({"format":"something-else"})");
  const std::string base = std::string(HITLGATE_BINARY) + " serve --port 0 --data " + (dir_ / "data-bad").string();
  std::string out;
  EXPECT_NE(RunCommand(base + " --triage-model " + (dir_ / "garbage.bin").string(), &out), 0);
  EXPECT_NE(out.find("garbage.bin"), std::string::npos) << out;
  out.clear();
  EXPECT_NE(RunCommand(base + " --triage-model " + (dir_ / "missing.bin").string(), &out), 0);
  EXPECT_NE(out.find("missing.bin"), std::string::npos) << out;
  out.clear();
  EXPECT_NE(RunCommand(base + " --calibration " + (dir_ / "bad-map.json").string(), &out), 0);
  EXPECT_NE(out.find("bad-map.json"), std::string::npos) << out;
  EXPECT_NE(out.find("unknown format"), std::string::npos) << out;
}

// The default `train` wrote a bundle directory; bad paths are refused at once,
// with the file named, and nothing already there is overwritten.
TEST_F(LearningServeTest, TrainAndEvalRefuseBadModelPathsWithTheFileNamed) {
  EXPECT_TRUE(fs::is_directory(dir_ / "triage.bin"));
  EXPECT_TRUE(fs::exists(dir_ / "triage.bin" / "manifest.json"));
  Write(dir_ / "old-model.bin", "an older single-file model");
  const std::string bin(HITLGATE_BINARY);
  std::string out;
  EXPECT_NE(RunCommand(bin + " train --data " + (dir_ / "toy.csv").string() + " --out " +
                           (dir_ / "old-model.bin").string(), &out), 0);
  EXPECT_NE(out.find("old-model.bin is a file"), std::string::npos) << out;
  EXPECT_EQ(out.find("step"), std::string::npos) << "refused before training: " << out;
  std::ifstream kept(dir_ / "old-model.bin");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(kept), {}), "an older single-file model");

  fs::create_directories(dir_ / "not-a-bundle");
  out.clear();
  EXPECT_NE(RunCommand(bin + " eval --model " + (dir_ / "not-a-bundle").string() + " --data " +
                           (dir_ / "toy.csv").string(), &out), 0);
  EXPECT_NE(out.find("not-a-bundle is a directory without manifest.json"), std::string::npos) << out;
  Write(dir_ / "no-label.csv", "text,label\nwhere is my card\n");
  out.clear();
  EXPECT_NE(RunCommand(bin + " eval --model " + (dir_ / "triage.bin").string() + " --data " +
                           (dir_ / "no-label.csv").string(), &out), 0);
  EXPECT_NE(out.find("no-label.csv:2: expected text,label"), std::string::npos) << out;
}

}  // namespace
}  // namespace hitlgate::testing
