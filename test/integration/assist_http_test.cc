// Agent assist inside a running gateway: `hitlgate assist train` writes a
// model, `serve --assist-model --assist-knowledge` loads it with the
// procedures and articles, and a reviewer reads a held task's next step and
// articles over HTTP. Admins upload knowledge versions (stored, audited) and
// activate older ones; a refused document, an unknown version or another
// role changes nothing. Without the flags the endpoint says assist is off.
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "integration/http_client.h"
#include "integration/server_process.h"

namespace hitlgate::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
const std::string kAdmin = "hg_a1b2c3d4e5f6_" + std::string(64, '7');

constexpr const char* kPolicy = R"(policy: assist
queues:
  general: {skills: [], sla_seconds: 300}
defaults:
  oversight: hootl
  queue: general
rules:
  - name: refunds-reviewed
    when: {action: offer-refund}
    decision: hold
  - name: passwords-reviewed
    when: {action: make-password}
    decision: hold
)";

constexpr const char* kKnowledge = R"({"format": "hitlgate-assist/1",
  "procedures": [
    {"id": "refund", "flow": "billing", "title": "Refund a purchase", "steps": [
      {"action": "pull-up-account", "label": "Pull up account"},
      {"action": "validate-purchase", "label": "Validate purchase"},
      {"action": "offer-refund", "label": "Offer refund"}]},
    {"id": "password", "flow": "access", "title": "Recover a password", "steps": [
      {"action": "pull-up-account", "label": "Pull up account"},
      {"action": "enter-details", "label": "Enter details"},
      {"action": "make-password", "label": "Make password"}]}],
  "articles": [
    {"id": "refund-guide", "title": "Refunds", "procedure": "refund",
     "body": "Validate the purchase with the order id, then refund the jacket or other item to the card."},
    {"id": "password-guide", "title": "Passwords", "procedure": "password",
     "body": "Ask for the email and security answer, then make a new password the customer can log in with."}]})";

void Write(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

int RunCommand(const std::string& command, std::string* output) {
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return -1;
  char buf[512];
  while (std::fgets(buf, sizeof buf, p) != nullptr) *output += buf;
  return ::pclose(p);
}

// Conversations that follow their procedure: a context before each step,
// in the shared contexts format.
std::string Contexts() {
  std::string out;
  for (int i = 0; i < 40; ++i) {
    const bool refund = i % 2 == 0;
    const std::vector<std::string> steps = refund
        ? std::vector<std::string>{"pull-up-account", "validate-purchase", "offer-refund"}
        : std::vector<std::string>{"pull-up-account", "enter-details", "make-password"};
    std::string text = refund ? "i want my money back for the jacket i bought" : "i forgot my password and cannot log in";
    for (size_t s = 0; s < steps.size(); ++s) {
      std::string targets;
      for (size_t t = s; t < steps.size(); ++t) targets += std::string(targets.empty() ? "" : ", ") + "[\\\"" + steps[t] + "\\\", []]";
      out += R"({"convo_id": )" + std::to_string(i) + R"(, "turn_id": )" + std::to_string(s) +
             R"(, "input": "Context: )" + text + R"(", "target_data": "[)" + targets + "]\"}\n";
      text += " thanks, one moment";
    }
  }
  return out;
}

// The data folder's audit log, exported to a file (in one pipe with stderr,
// the export's closing message could land inside a record).
std::vector<json::object> AuditRecords(const fs::path& data) {
  const fs::path file = data.string() + "-audit.jsonl";
  std::string out;
  EXPECT_EQ(RunCommand(std::string(HITLGATE_BINARY) + " audit export --data " + data.string() + " -o " + file.string(),
                       &out),
            0)
      << out;
  std::vector<json::object> records;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) records.push_back(json::parse(line).as_object());
  return records;
}

class AssistHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("hitlgate-assist-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    Write(dir_ / "knowledge.json", kKnowledge);
    Write(dir_ / "contexts.jsonl", Contexts());
    Write(dir_ / "policy.yaml", kPolicy);
    std::string out;
    const int rc = RunCommand(std::string(HITLGATE_BINARY) + " assist train --contexts " +
                                  (dir_ / "contexts.jsonl").string() + " --procedures " +
                                  (dir_ / "knowledge.json").string() + " --out " + (dir_ / "model").string(),
                              &out);
    ASSERT_EQ(rc, 0) << out;
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  static std::vector<std::string> AssistArgs() {
    return {"--policy", (dir_ / "policy.yaml").string(), "--assist-model", (dir_ / "model").string(),
            "--assist-knowledge", (dir_ / "knowledge.json").string()};
  }
  static fs::path dir_;
};

fs::path AssistHttpTest::dir_;

std::string Token(unsigned short port, const std::string& body) {
  HttpReply key = HttpCall(port, "POST", "/v1/keys", body, kAdmin);
  EXPECT_EQ(key.status, 200) << key.body;
  return key.status == 200 ? std::string(json::parse(key.body).at("token").as_string()) : "";
}

json::object Post(unsigned short port, const std::string& agent, const std::string& body) {
  HttpReply r = HttpCall(port, "POST", "/v1/events", body, agent);
  EXPECT_EQ(r.status, 200) << r.body;
  return r.status == 200 ? json::parse(r.body).as_object() : json::object();
}

// A password conversation: the account is pulled up (allowed), then the AI
// proposes a new password, which the policy holds for a person.
std::string HeldPasswordTask(unsigned short port, const std::string& agent) {
  Post(port, agent, R"({"interaction_id":"p-1","customer_id":"u-1","workflow":"shop","type":"customer_message",
      "text":"hi, i forgot my password and cannot log in"})");
  json::object pulled = Post(port, agent, R"({"interaction_id":"p-1","customer_id":"u-1","workflow":"shop",
      "type":"ai_proposal","text":"sure, one moment","action":{"name":"pull-up-account"}})");
  EXPECT_EQ(pulled.at("decision").as_string(), "allow");
  json::object held = Post(port, agent, R"({"interaction_id":"p-1","customer_id":"u-1","workflow":"shop",
      "type":"ai_proposal","text":"here is a new password","action":{"name":"make-password"}})");
  EXPECT_EQ(held.at("decision").as_string(), "hold");
  return held.contains("task_id") ? std::string(held.at("task_id").as_string()) : "";
}

TEST_F(AssistHttpTest, ReviewerSeesTheProcedureTheNextStepAndArticles) {
  ServerProcess server;
  ASSERT_TRUE(server.Start(HITLGATE_BINARY, (dir_ / "data-read").string(), kAdmin, AssistArgs())) << server.output();
  const unsigned short port = server.port();
  const std::string agent = Token(port, R"({"name":"bot","role":"agent","workflows":["*"]})");
  const std::string reviewer = Token(port, R"({"name":"Ana","role":"reviewer"})");
  const std::string task = HeldPasswordTask(port, agent);
  ASSERT_FALSE(task.empty());

  HttpReply r = HttpCall(port, "GET", "/v1/review/tasks/" + task + "/assist", "", reviewer);
  ASSERT_EQ(r.status, 200) << r.body;
  json::object a = json::parse(r.body).as_object();
  // The held make-password proposal is not done; the allowed pull-up is.
  ASSERT_EQ(a.at("done_actions").as_array().size(), 1u);
  EXPECT_EQ(a.at("done_actions").at(0).as_string(), "pull-up-account");
  const json::object& procedure = a.at("procedure").as_object();
  EXPECT_EQ(procedure.at("id").as_string(), "password");
  const json::array& steps = procedure.at("steps").as_array();
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_TRUE(steps[0].at("done").as_bool());
  EXPECT_FALSE(steps[1].at("done").as_bool());
  EXPECT_TRUE(steps[1].at("next").as_bool());
  const json::object& best = a.at("suggestions").at(0).as_object();
  EXPECT_EQ(best.at("action").as_string(), "enter-details");
  EXPECT_EQ(best.at("procedure").as_string(), "password");
  EXPECT_EQ(best.at("step").as_int64(), 1);
  EXPECT_NE(std::string(best.at("evidence").as_string()).find("step 2 of 3 of 'Recover a password'"), std::string::npos);
  EXPECT_FALSE(a.at("dont_know").as_bool());
  const json::object& article = a.at("articles").at(0).as_object();
  EXPECT_EQ(article.at("id").as_string(), "password-guide");
  const std::string snippet(article.at("snippet").as_string());
  std::vector<std::string> marked;
  for (const json::value& m : article.at("marks").as_array()) {
    marked.push_back(snippet.substr(m.at(0).as_int64(), m.at(1).as_int64() - m.at(0).as_int64()));
  }
  EXPECT_NE(std::find(marked.begin(), marked.end(), "password"), marked.end()) << snippet;
  const json::array& words = article.at("matched_words").as_array();
  EXPECT_NE(std::find(words.begin(), words.end(), json::value("password")), words.end());

  // The person marks the second suggestion wrong and uses the first: two
  // audit records. Bad feedback is refused with the field named.
  const std::string feedback = "/v1/review/tasks/" + task + "/assist/feedback";
  HttpReply wrong = HttpCall(port, "POST", feedback, R"({"action":"make-password","judgement":"wrong"})", reviewer);
  EXPECT_EQ(wrong.status, 200) << wrong.body;
  HttpReply used = HttpCall(port, "POST", feedback, R"({"action":"enter-details","judgement":"used"})", reviewer);
  EXPECT_EQ(used.status, 200) << used.body;
  EXPECT_GT(json::parse(used.body).at("audit_seq").as_int64(), json::parse(wrong.body).at("audit_seq").as_int64());
  HttpReply bad = HttpCall(port, "POST", feedback, R"({"action":"enter-details","judgement":"great"})", reviewer);
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("field 'judgement': expected used or wrong, got 'great'"), std::string::npos) << bad.body;
  EXPECT_EQ(HttpCall(port, "POST", feedback, R"({"judgement":"used"})", reviewer).status, 400);
  EXPECT_EQ(HttpCall(port, "POST", feedback, R"({"action":"x","judgement":"used","extra":1})", reviewer).status, 400);
  EXPECT_EQ(HttpCall(port, "POST", feedback, R"({"action":"x","judgement":"used"})", agent).status, 403);
  EXPECT_EQ(HttpCall(port, "POST", "/v1/review/tasks/t-nope/assist/feedback", R"({"action":"x","judgement":"used"})",
                     reviewer).status,
            404);

  HttpReply agent_read = HttpCall(port, "GET", "/v1/review/tasks/" + task + "/assist", "", agent);
  EXPECT_EQ(agent_read.status, 403) << agent_read.body;
  HttpReply missing = HttpCall(port, "GET", "/v1/review/tasks/t-nope/assist", "", reviewer);
  EXPECT_EQ(missing.status, 404) << missing.body;

  // The reviewer's verdict takes the suggested action.
  HttpReply claimed = HttpCall(port, "POST", "/v1/review/tasks/" + task + "/claim", "", reviewer);
  ASSERT_EQ(claimed.status, 200) << claimed.body;
  const std::string lease(json::parse(claimed.body).at("lease").at("lease_id").as_string());
  HttpReply verdict = HttpCall(port, "POST", "/v1/review/tasks/" + task + "/verdict",
                               R"({"verdict":"edited","lease_id":")" + lease +
                                   R"(","edited_action":{"name":"enter-details"},"reason":"details first"})",
                               reviewer);
  ASSERT_EQ(verdict.status, 200) << verdict.body;
  EXPECT_EQ(server.Stop(), 0);

  // The feedback export carries what the person did with the suggestions.
  std::string exported;
  ASSERT_EQ(RunCommand(std::string(HITLGATE_BINARY) + " feedback export --data " + (dir_ / "data-read").string() +
                           " -o " + (dir_ / "feedback.jsonl").string(),
                       &exported),
            0)
      << exported;
  std::ifstream feedback_file(dir_ / "feedback.jsonl");
  std::string line;
  ASSERT_TRUE(std::getline(feedback_file, line));
  const json::object example = json::parse(line).as_object();
  EXPECT_EQ(example.at("task_id").as_string(), task);
  EXPECT_EQ(json::serialize(example.at("assist")), R"({"used":["enter-details"],"wrong":["make-password"]})");

  // Exactly the two accepted judgements are in the audit log.
  std::vector<json::object> judgements;
  for (json::object& record : AuditRecords(dir_ / "data-read")) {
    if (record.at("kind") == "assist_feedback") judgements.push_back(std::move(record));
  }
  ASSERT_EQ(judgements.size(), 2u);
  EXPECT_EQ(judgements[0].at("subject").as_string(), task);
  EXPECT_EQ(judgements[0].at("payload_json").as_string(), R"({"action":"make-password","judgement":"wrong"})");
  EXPECT_EQ(judgements[1].at("payload_json").as_string(), R"({"action":"enter-details","judgement":"used"})");
}

constexpr const char* kBoots = R"({"format": "hitlgate-assist/1",
  "articles": [{"id": "boots", "title": "Boots", "body": "Our boots are waterproof."}]})";

json::object GetObject(unsigned short port, const std::string& path, const std::string& key) {
  HttpReply r = HttpCall(port, "GET", path, "", key);
  EXPECT_EQ(r.status, 200) << path << ": " << r.body;
  return r.status == 200 ? json::parse(r.body).as_object() : json::object();
}

std::vector<std::string> AuditKindsStartingWith(const fs::path& data, const std::string& prefix) {
  std::vector<std::string> kinds;
  for (const json::object& record : AuditRecords(data)) {
    const std::string kind(record.at("kind").as_string());
    if (kind.starts_with(prefix)) kinds.push_back(kind);
  }
  return kinds;
}

TEST_F(AssistHttpTest, UploadsAreStoredVersionsThatAdminsActivateAndRestartsKeep) {
  const fs::path data = dir_ / "data-versions";
  std::string first_id;
  std::string boots_id;
  {
    ServerProcess server;
    ASSERT_TRUE(server.Start(HITLGATE_BINARY, data.string(), kAdmin, AssistArgs())) << server.output();
    const unsigned short port = server.port();
    const std::string reviewer = Token(port, R"({"name":"Ana","role":"reviewer"})");
    json::object first = GetObject(port, "/v1/assist/knowledge", reviewer);
    first_id = std::string(first.at("id").as_string());
    EXPECT_TRUE(first_id.starts_with("sha256:")) << first;
    EXPECT_EQ(first.at("procedures").as_int64(), 2);
    EXPECT_EQ(first.at("articles").as_int64(), 2);
    EXPECT_EQ(first.at("uploaded_by").as_string(), "serve --assist-knowledge");
    EXPECT_TRUE(first.at("active").as_bool());

    HttpReply put = HttpCall(port, "PUT", "/v1/assist/knowledge", kBoots, kAdmin);
    ASSERT_EQ(put.status, 200) << put.body;
    json::object boots = json::parse(put.body).as_object();
    boots_id = std::string(boots.at("id").as_string());
    EXPECT_NE(boots_id, first_id);
    EXPECT_EQ(boots.at("procedures").as_int64(), 0);
    EXPECT_EQ(boots.at("articles").as_int64(), 1);
    EXPECT_TRUE(boots.at("active").as_bool());
    EXPECT_EQ(GetObject(port, "/v1/assist/knowledge", reviewer).at("id").as_string(), boots_id);
    // The served document again is the same version: nothing is written.
    HttpReply again = HttpCall(port, "PUT", "/v1/assist/knowledge", kBoots, kAdmin);
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(json::parse(again.body).at("id").as_string(), boots_id);

    json::array versions = GetObject(port, "/v1/assist/knowledge/versions", reviewer).at("versions").as_array();
    ASSERT_EQ(versions.size(), 2u);
    EXPECT_EQ(versions[0].at("id").as_string(), boots_id) << "newest first";
    EXPECT_TRUE(versions[0].at("active").as_bool());
    EXPECT_FALSE(versions[1].at("active").as_bool());

    // Rolling back: the first version is served again, articles included.
    HttpReply back = HttpCall(port, "POST", "/v1/assist/knowledge/versions/" + first_id + "/activate", "", kAdmin);
    ASSERT_EQ(back.status, 200) << back.body;
    EXPECT_TRUE(json::parse(back.body).at("active").as_bool());
    json::object served = GetObject(port, "/v1/assist/knowledge", reviewer);
    EXPECT_EQ(served.at("id").as_string(), first_id);
    EXPECT_EQ(served.at("activated_by").as_string(), kAdmin.substr(3, 12)) << served;
    EXPECT_EQ(server.Stop(), 0);
  }
  EXPECT_EQ(AuditKindsStartingWith(data, "knowledge_"),
            (std::vector<std::string>{"knowledge_uploaded", "knowledge_activated", "knowledge_uploaded",
                                      "knowledge_activated", "knowledge_activated"}))
      << "the start's file, the boots upload, the rollback; uploading the served version again writes nothing";
  {
    // Without the file the store's active version is served.
    ServerProcess server;
    ASSERT_TRUE(server.Start(HITLGATE_BINARY, data.string(), kAdmin,
                             {"--policy", (dir_ / "policy.yaml").string(), "--assist-model", (dir_ / "model").string()}))
        << server.output();
    EXPECT_EQ(GetObject(server.port(), "/v1/assist/knowledge", kAdmin).at("id").as_string(), first_id);
    EXPECT_NE(server.output().find("knowledge " + first_id + " from the store"), std::string::npos) << server.output();
    EXPECT_EQ(server.Stop(), 0);
  }
  {
    // The file that is active already adds nothing.
    ServerProcess server;
    ASSERT_TRUE(server.Start(HITLGATE_BINARY, data.string(), kAdmin, AssistArgs())) << server.output();
    EXPECT_NE(server.output().find("is the active knowledge version " + first_id + " already"), std::string::npos)
        << server.output();
    EXPECT_EQ(GetObject(server.port(), "/v1/assist/knowledge/versions", kAdmin).at("versions").as_array().size(), 2u);
    EXPECT_EQ(server.Stop(), 0);
  }
  {
    // A file that differs from the active version becomes the active version.
    Write(dir_ / "boots.json", kBoots);
    ServerProcess server;
    ASSERT_TRUE(server.Start(HITLGATE_BINARY, data.string(), kAdmin,
                             {"--policy", (dir_ / "policy.yaml").string(), "--assist-model", (dir_ / "model").string(),
                              "--assist-knowledge", (dir_ / "boots.json").string()}))
        << server.output();
    EXPECT_NE(server.output().find("differs from the active knowledge version (" + first_id + ")"), std::string::npos)
        << server.output();
    EXPECT_EQ(GetObject(server.port(), "/v1/assist/knowledge", kAdmin).at("id").as_string(), boots_id);
    EXPECT_EQ(server.Stop(), 0);
  }
}

// Two nodes of a cluster on one PostgreSQL schema: a version an admin
// activates through one is served by the other from its next tick (each
// kept its own until restarted before). Runs under the postgres label (a
// second discovery of this binary, test/integration/CMakeLists.txt); skipped
// without HITLGATE_TEST_PG_URL.
TEST_F(AssistHttpTest, KnowledgeActivatedOnOneNodeIsServedByTheOther) {
  const char* pg = std::getenv("HITLGATE_TEST_PG_URL");
  if (pg == nullptr || *pg == '\0') GTEST_SKIP() << "HITLGATE_TEST_PG_URL is not set (scripts/pg.sh start)";
  const std::string schema = "assist_" + std::to_string(::getpid());
  std::string out;
  ASSERT_EQ(RunCommand("psql -q -v ON_ERROR_STOP=1 '" + std::string(pg) + "' -c 'CREATE SCHEMA " + schema + "' 2>&1", &out), 0)
      << out;
  const std::string url = std::string(pg) + (std::string(pg).find('?') == std::string::npos ? "?" : "&") +
                          "options=-c%20search_path%3D" + schema;
  std::vector<std::string> args = AssistArgs();
  args.insert(args.end(), {"--store", url});
  {
    ServerProcess first, second;
    ASSERT_TRUE(first.Start(HITLGATE_BINARY, (dir_ / "data-cluster").string(), kAdmin, args)) << first.output();
    ASSERT_TRUE(second.Start(HITLGATE_BINARY, (dir_ / "data-cluster").string(), kAdmin, args)) << second.output();
    const std::string started(GetObject(second.port(), "/v1/assist/knowledge", kAdmin).at("id").as_string());
    HttpReply put = HttpCall(first.port(), "PUT", "/v1/assist/knowledge", kBoots, kAdmin);
    ASSERT_EQ(put.status, 200) << put.body;
    const std::string boots(json::parse(put.body).at("id").as_string());
    ASSERT_NE(boots, started);
    std::string served = started;
    for (int i = 0; i < 50 && served != boots; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      served = std::string(GetObject(second.port(), "/v1/assist/knowledge", kAdmin).at("id").as_string());
    }
    EXPECT_EQ(served, boots) << "the other node still serves the version it started with 5 s later";
    EXPECT_EQ(first.Stop(), 0);
    EXPECT_EQ(second.Stop(), 0);
  }
  (void)RunCommand("psql -q '" + std::string(pg) + "' -c 'DROP SCHEMA " + schema + " CASCADE' 2>&1", &out);
}

TEST_F(AssistHttpTest, BadUploadsUnknownVersionsAndOtherRolesChangeNothing) {
  ServerProcess server;
  ASSERT_TRUE(server.Start(HITLGATE_BINARY, (dir_ / "data-bad").string(), kAdmin, AssistArgs())) << server.output();
  const unsigned short port = server.port();
  const std::string reviewer = Token(port, R"({"name":"Ana","role":"reviewer"})");
  const std::string supervisor = Token(port, R"({"name":"Sam","role":"supervisor"})");
  const std::string agent = Token(port, R"({"name":"bot","role":"agent","workflows":["*"]})");
  const std::string served = HttpCall(port, "GET", "/v1/assist/knowledge", "", reviewer).body;
  const std::string versions = HttpCall(port, "GET", "/v1/assist/knowledge/versions", "", reviewer).body;
  const std::string first_id(json::parse(served).at("id").as_string());
  auto unchanged = [&](const std::string& what) {
    EXPECT_EQ(HttpCall(port, "GET", "/v1/assist/knowledge", "", reviewer).body, served) << what;
    EXPECT_EQ(HttpCall(port, "GET", "/v1/assist/knowledge/versions", "", reviewer).body, versions) << what;
  };

  HttpReply not_json = HttpCall(port, "PUT", "/v1/assist/knowledge", R"({"format": "hitlgate-assist/1", )", kAdmin);
  EXPECT_EQ(not_json.status, 400) << not_json.body;
  unchanged("not JSON");
  HttpReply no_action = HttpCall(port, "PUT", "/v1/assist/knowledge",
                                 R"({"format": "hitlgate-assist/1", "procedures": [{"id": "x", "steps": [{}]}]})", kAdmin);
  EXPECT_EQ(no_action.status, 400) << no_action.body;
  EXPECT_NE(no_action.body.find("procedures[0].steps[0]: action is missing"), std::string::npos) << no_action.body;
  unchanged("a step without an action");
  HttpReply wrong_format = HttpCall(port, "PUT", "/v1/assist/knowledge", R"({"format": "other/2", "articles": []})", kAdmin);
  EXPECT_EQ(wrong_format.status, 400) << wrong_format.body;
  EXPECT_NE(wrong_format.body.find("format"), std::string::npos) << wrong_format.body;
  unchanged("another format");

  HttpReply unknown = HttpCall(port, "POST", "/v1/assist/knowledge/versions/sha256:nope/activate", "", kAdmin);
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_NE(unknown.body.find("no knowledge version sha256:nope"), std::string::npos) << unknown.body;
  unchanged("an unknown version");

  for (const auto& [role, key] : {std::pair{"reviewer", reviewer}, std::pair{"supervisor", supervisor}}) {
    HttpReply put = HttpCall(port, "PUT", "/v1/assist/knowledge", kBoots, key);
    EXPECT_EQ(put.status, 403) << role << ": " << put.body;
    EXPECT_NE(put.body.find("only admins"), std::string::npos) << put.body;
    HttpReply activate = HttpCall(port, "POST", "/v1/assist/knowledge/versions/" + first_id + "/activate", "", key);
    EXPECT_EQ(activate.status, 403) << role << ": " << activate.body;
    unchanged(std::string(role) + " uploading and activating");
  }
  EXPECT_EQ(HttpCall(port, "GET", "/v1/assist/knowledge/versions", "", agent).status, 403);
  EXPECT_EQ(server.Stop(), 0);
  EXPECT_EQ(AuditKindsStartingWith(dir_ / "data-bad", "knowledge_"),
            (std::vector<std::string>{"knowledge_uploaded", "knowledge_activated"}))
      << "only the start's own upload";
}

TEST_F(AssistHttpTest, WithoutTheFlagsAssistIsOffAndOneFlagAloneStopsServe) {
  ServerProcess off;
  ASSERT_TRUE(off.Start(HITLGATE_BINARY, (dir_ / "data-off").string(), kAdmin, {"--policy", (dir_ / "policy.yaml").string()}))
      << off.output();
  const std::string agent = Token(off.port(), R"({"name":"bot","role":"agent","workflows":["*"]})");
  const std::string reviewer = Token(off.port(), R"({"name":"Ana","role":"reviewer"})");
  const std::string task = HeldPasswordTask(off.port(), agent);
  HttpReply r = HttpCall(off.port(), "GET", "/v1/review/tasks/" + task + "/assist", "", reviewer);
  EXPECT_EQ(r.status, 412) << r.body;
  EXPECT_NE(r.body.find("agent assist is off"), std::string::npos) << r.body;
  EXPECT_EQ(off.Stop(), 0);

  // A model with no knowledge in the store nor a file, and a file without a model.
  std::string out;
  int rc = RunCommand("HITLGATE_ADMIN_KEY=" + kAdmin + " " + HITLGATE_BINARY + " serve --port 0 --data " +
                          (dir_ / "data-half").string() + " --assist-model " + (dir_ / "model").string(),
                      &out);
  EXPECT_NE(rc, 0);
  EXPECT_NE(out.find("no version is stored; give --assist-knowledge FILE"), std::string::npos) << out;
  out.clear();
  rc = RunCommand("HITLGATE_ADMIN_KEY=" + kAdmin + " " + HITLGATE_BINARY + " serve --port 0 --data " +
                      (dir_ / "data-half").string() + " --assist-knowledge " + (dir_ / "knowledge.json").string(),
                  &out);
  EXPECT_NE(rc, 0);
  EXPECT_NE(out.find("--assist-knowledge needs --assist-model"), std::string::npos) << out;
}

}  // namespace
}  // namespace hitlgate::testing
