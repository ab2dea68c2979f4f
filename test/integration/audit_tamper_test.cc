// A real audit log, tampered with every way an insider could, and what
// `hitlgate audit verify` (with the gateway's signed checkpoints) says about
// each copy. The log comes from driving the whole gateway over HTTP
// (gateway_harness.h, SQLite): events, holds, claims, approve / edit /
// reject verdicts with receipts, a key rotation, and Ticks that export a
// signed checkpoint every 10 records. It is exported as JSON lines; each
// case damages a copy and checks that verification fails and names the
// damaged record: first through the library the command uses
// (receipts::VerifyLogWithCheckpoints), then through the command itself.
#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "hitlgate/audit/json_lines.h"
#include "hitlgate/receipts/checkpoint.h"
#include "integration/gateway_harness.h"

namespace hitlgate::testing {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using Lines = std::vector<std::string>;

std::string Refund(const std::string& interaction, double amount) {
  return json::serialize(json::object{
      {"interaction_id", interaction}, {"customer_id", "u-" + interaction}, {"workflow", "retail-bot"},
      {"channel", "chat"}, {"type", "ai_proposal"}, {"text", "I have refunded your order."},
      {"intent", "return_item"}, {"confidence", 0.95},
      {"action", {{"name", "refund"}, {"amount", amount}, {"currency", "USD"}, {"params", {{"order_id", "A-7"}}}}}});
}

std::string Message(const std::string& interaction, const std::string& text) {
  return json::serialize(json::object{{"interaction_id", interaction}, {"customer_id", "u-" + interaction},
                                      {"workflow", "retail-bot"}, {"channel", "chat"},
                                      {"type", "customer_message"}, {"text", text}});
}

// The shared evidence: one gateway run, its exported log, checkpoints, keys.
struct Evidence {
  fs::path dir;
  Lines lines;                   // the exported log, one record per line
  std::string keys_json;         // GET /v1/receipt-keys
  std::int64_t checkpointed = 0; // the last seq the checkpoints certify
  std::int64_t verdict_seq = 0;  // a verdict record well inside the checkpointed range
};

Evidence* g_evidence = nullptr;

Evidence BuildEvidence() {
  Evidence e;
  e.dir = fs::temp_directory_path() / ("hitlgate-tamper-" + std::to_string(getpid()));
  fs::remove_all(e.dir);
  fs::create_directories(e.dir);
  HarnessOptions options;
  options.checkpoint_dir = (e.dir / "checkpoints").string();
  options.checkpoint_every_records = 10;
  GatewayHarness h(options);
  auto post = [&](const std::string& path, const std::string& body, const std::string& token) {
    HttpReply r = h.Post(path, body, token);
    if (r.status != 200) throw std::runtime_error(path + ": " + std::to_string(r.status) + " " + r.body);
    return json::parse(r.body);
  };
  auto answer = [&](const std::string& task, const std::string& fields) {
    json::value claimed = post("/v1/review/tasks/" + task + "/claim", "", h.keys().reviewer);
    const std::string lease(claimed.at("lease").at("lease_id").as_string());
    post("/v1/review/tasks/" + task + "/verdict", "{\"lease_id\":\"" + lease + "\"," + fields + "}",
         h.keys().reviewer);
  };
  for (int i = 0; i < 6; ++i) {
    const std::string c = "c-tamper-" + std::to_string(i);
    h.clock().Advance(std::chrono::seconds(7));
    post("/v1/events", Message(c, "Hi, my blender arrived broken, can I get my money back?"), h.keys().agent);
    json::value held = post("/v1/events", Refund(c, 150 + i), h.keys().agent);
    const std::string task(held.at("task_id").as_string());
    h.clock().Advance(std::chrono::seconds(30));
    if (i % 3 == 0) answer(task, R"("verdict":"approved")");
    if (i % 3 == 1) answer(task, R"("verdict":"edited","edited_action":{"name":"refund","amount":100,"currency":"USD","params":{"order_id":"A-7"}})");
    if (i % 3 == 2) answer(task, R"("verdict":"rejected","reason":"outside the return window")");
    if (i == 3) {
      h.clock().Advance(std::chrono::minutes(1));
      post("/v1/receipt-keys/rotate", "", h.keys().admin);
    }
    if (!h.gateway().Tick()) throw std::runtime_error("tick failed");
  }
  // A few records after the last checkpoint.
  post("/v1/events", Message("c-tamper-late", "thanks"), h.keys().agent);

  auto records = h.store().ReadAudit(1, 100000);
  if (!records) throw std::runtime_error("read audit");
  for (const auto& r : *records) {
    e.lines.push_back(audit::EncodeJsonLine(r));
    if (r.kind == "verdict" && e.verdict_seq == 0 && r.seq > 12) e.verdict_seq = r.seq;
  }
  e.keys_json = h.Get("/v1/receipt-keys", "").body;
  auto files = receipts::ReadCheckpointDir(options.checkpoint_dir);
  if (!files || files->empty()) throw std::runtime_error("no checkpoints were written");
  e.checkpointed = receipts::DecodeCheckpoint(files->back().text)->seq;
  std::ofstream(e.dir / "keys.json") << e.keys_json;
  return e;
}

// What the verifier said about one copy of the log.
struct Verdict {
  bool ok = false;
  std::int64_t first_bad_seq = 0;
  std::string problem;
  std::string detail;
  size_t checkpoint_problems = 0;
};

Verdict VerifyLines(const Lines& lines) {
  std::string text;
  for (const auto& l : lines) text += l + "\n";
  std::istringstream in(text);
  audit::JsonLinesRecordSource source(in);
  auto files = *receipts::ReadCheckpointDir((g_evidence->dir / "checkpoints").string());
  auto keys = *receipts::DecodePublicKeys(g_evidence->keys_json);
  receipts::LogCheck check = receipts::VerifyLogWithCheckpoints(source, files, keys, {});
  return {check.ok(), check.chain.first_bad_seq, std::string(audit::ProblemName(check.chain.problem)),
          check.chain.detail, check.checkpoints.problems.size()};
}

// `hitlgate audit verify --file ... --checkpoint-dir ... --keys ...`: exit
// status and output.
std::pair<int, std::string> RunVerifyCommand(const Lines& lines) {
  const fs::path file = g_evidence->dir / "copy.jsonl";
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    for (const auto& l : lines) out << l << "\n";
  }
  const std::string cmd = std::string(HITLGATE_BINARY) + " audit verify --file " + file.string() +
                          " --checkpoint-dir " + (g_evidence->dir / "checkpoints").string() + " --keys " +
                          (g_evidence->dir / "keys.json").string() + " 2>&1";
  std::FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  while (size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  const int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// ---- helpers that damage a copy -------------------------------------------------

json::object Rec(const std::string& line) { return json::parse(line).as_object(); }
std::string Line(const json::object& o) { return json::serialize(o); }
audit::AuditRecord Decode(const std::string& line) { return *audit::DecodeJsonLine(line); }

// Record `seq` (1-based; the export starts at seq 1) with `edit` applied.
Lines Edit(Lines lines, std::int64_t seq, const std::function<void(json::object&)>& edit) {
  json::object o = Rec(lines[seq - 1]);
  edit(o);
  lines[seq - 1] = Line(o);
  return lines;
}

// Record `seq` rewritten by `edit` and re-sealed, and (when `through_end`)
// every later record re-sealed on top of it: a chain that links perfectly.
Lines Reseal(Lines lines, std::int64_t seq, const std::function<void(audit::AuditRecord&)>& edit,
             bool through_end) {
  std::string prev = Decode(lines[seq - 1]).prev_hash;
  const size_t last = through_end ? lines.size() : static_cast<size_t>(seq);
  for (size_t i = seq - 1; i < last; ++i) {
    audit::AuditRecord r = Decode(lines[i]);
    if (static_cast<std::int64_t>(i) == seq - 1) edit(r);
    r.prev_hash = prev;
    r.hash = audit::ComputeHash(r);
    prev = r.hash;
    lines[i] = audit::EncodeJsonLine(r);
  }
  return lines;
}

struct Case {
  std::string name;
  std::function<Lines(const Lines&, std::int64_t v)> damage;  // v: the target verdict record
  std::string problem;                                        // as ProblemName
  std::function<std::int64_t(std::int64_t v)> named_seq;      // the seq it must name
};

std::int64_t Same(std::int64_t v) { return v; }
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

std::vector<Case> Cases() {
  return {
      {"PayloadByteFlipped",
       [](const Lines& l, std::int64_t v) {
         return Edit(l, v, [](json::object& o) {
           std::string p(o["payload_json"].as_string());
           p[p.find("\"kind\":\"") + 8] ^= 0x01;  // approved -> `pproved, edited -> dditdd...
           o["payload_json"] = p;
         });
       },
       "changed", Same},
      {"ActorChanged",
       [](const Lines& l, std::int64_t v) { return Edit(l, v, [](json::object& o) { o["actor"] = "k-somebody"; }); },
       "changed", Same},
      {"TimeMovedByOneMicrosecond",
       [](const Lines& l, std::int64_t v) {
         return Edit(l, v, [](json::object& o) {
           std::string at(o["at"].as_string());
           at[at.size() - 2] = at[at.size() - 2] == '0' ? '1' : '0';
           o["at"] = at;
         });
       },
       "changed", Same},
      {"HashFieldChanged",
       [](const Lines& l, std::int64_t v) {
         return Edit(l, v, [](json::object& o) {
           std::string h(o["hash"].as_string());
           h[0] = h[0] == 'a' ? 'b' : 'a';
           o["hash"] = h;
         });
       },
       "changed", Same},
      {"PrevHashChanged",
       [](const Lines& l, std::int64_t v) {
         return Edit(l, v, [](json::object& o) {
           std::string h(o["prev_hash"].as_string());
           h[10] = h[10] == 'a' ? 'b' : 'a';
           o["prev_hash"] = h;
         });
       },
       "changed", Same},
      {"SeqChanged",
       [](const Lines& l, std::int64_t v) { return Edit(l, v, [v](json::object& o) { o["seq"] = v + 100; }); },
       "changed", Same},
      {"RecordDropped",
       [](const Lines& l, std::int64_t v) {
         Lines out = l;
         out.erase(out.begin() + (v - 1));
         return out;
       },
       "removed", Same},
      {"ThreeRecordsDropped",
       [](const Lines& l, std::int64_t v) {
         Lines out = l;
         out.erase(out.begin() + (v - 1), out.begin() + (v + 2));
         return out;
       },
       "removed", Same},
      {"ForgedRecordInsertedWithAValidHash",
       [](const Lines& l, std::int64_t v) {
         audit::AuditRecord prev = Decode(l[v - 2]);
         audit::AuditRecord forged = audit::Seal(
             {"verdict", "k-intruder", prev.subject, R"({"kind":"approved"})"}, v, prev.at, prev.hash);
         Lines out = l;
         out.insert(out.begin() + (v - 1), audit::EncodeJsonLine(forged));
         return out;
       },
       // It links perfectly, but seq v is not the record the checkpoints
       // certify: "changed" at v (the chain alone would say "inserted").
       "changed", Same},
      {"CopyOfAnotherRecordInserted",
       [](const Lines& l, std::int64_t v) {
         Lines out = l;
         out.insert(out.begin() + (v - 1), l[v - 3]);
         return out;
       },
       "inserted", [](std::int64_t v) { return v - 2; }},
      {"TwoRecordsSwapped",
       [](const Lines& l, std::int64_t v) {
         Lines out = l;
         std::swap(out[v - 1], out[v]);
         return out;
       },
       "reordered", Same},
      {"RecordRewrittenAndResealedAlone",
       [](const Lines& l, std::int64_t v) {
         return Reseal(l, v, [](audit::AuditRecord& r) { r.actor = "k-somebody"; }, /*through_end=*/false);
       },
       "changed", Same},
      {"RecordRewrittenAndWholeChainRecomputedAfterACheckpoint",
       [](const Lines& l, std::int64_t v) {
         return Reseal(l, v, [](audit::AuditRecord& r) {
           r.payload_json.replace(r.payload_json.find("\"kind\":\""), 8, "\"kind\":\"x");
         }, /*through_end=*/true);
       },
       "changed", Same},
      {"TailCutBeforeTheLastCheckpoint",
       [](const Lines& l, std::int64_t v) { return Lines(l.begin(), l.begin() + v); },
       "truncated", [](std::int64_t v) { return v + 1; }},
  };
}

class AuditTamperTest : public ::testing::TestWithParam<Case> {
 public:
  static void SetUpTestSuite() {
    if (g_evidence == nullptr) g_evidence = new Evidence(BuildEvidence());
  }
};

TEST(AuditTamperEvidenceTest, UntouchedLogAndItsCheckpointsVerify) {
  AuditTamperTest::SetUpTestSuite();
  const Evidence& e = *g_evidence;
  ASSERT_GT(e.verdict_seq, 12);
  ASSERT_LT(e.verdict_seq + 3, e.checkpointed) << "the target must lie inside the checkpointed range";
  ASSERT_LT(e.checkpointed, static_cast<std::int64_t>(e.lines.size())) << "records after the last checkpoint";
  Verdict v = VerifyLines(e.lines);
  EXPECT_TRUE(v.ok) << v.problem << ": " << v.detail;
  auto [status, out] = RunVerifyCommand(e.lines);
  EXPECT_EQ(status, 0) << out;
}

TEST_P(AuditTamperTest, IsDetectedAndNamesTheRecord) {
  const Case& c = GetParam();
  const std::int64_t v = g_evidence->verdict_seq;
  const Lines damaged = c.damage(g_evidence->lines, v);
  Verdict result = VerifyLines(damaged);
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.problem, c.problem) << result.detail;
  EXPECT_EQ(result.first_bad_seq, c.named_seq(v)) << result.detail;
  auto [status, out] = RunVerifyCommand(damaged);
  EXPECT_EQ(status, 1) << out;
  EXPECT_THAT(out, ::testing::HasSubstr("first bad record seq " + std::to_string(c.named_seq(v)))) << out;
}

INSTANTIATE_TEST_SUITE_P(EveryDamage, AuditTamperTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<Case>& param) { return param.param.name; });

TEST(AuditTamperEvidenceTest, EveryByteFlipInARecordIsDetectedAtThatRecord) {
  AuditTamperTest::SetUpTestSuite();
  const std::int64_t v = g_evidence->verdict_seq;
  const std::string& line = g_evidence->lines[v - 1];
  for (size_t i = 0; i < line.size(); ++i) {
    Lines copy = g_evidence->lines;
    copy[v - 1][i] ^= 0x01;
    Verdict result = VerifyLines(copy);
    EXPECT_FALSE(result.ok) << "byte " << i << " ('" << line[i] << "')";
    // A flip that breaks the line's JSON makes it unreadable; either way the
    // verifier stops at this record.
    EXPECT_EQ(result.first_bad_seq, v) << "byte " << i << " ('" << line[i] << "'): " << result.problem
                                       << ": " << result.detail;
  }
}

TEST(AuditTamperEvidenceTest, AlteredCheckpointFileIsReportedEvenWhenTheLogIsIntact) {
  AuditTamperTest::SetUpTestSuite();
  const fs::path dir = g_evidence->dir / "checkpoints";
  auto files = *receipts::ReadCheckpointDir(dir.string());
  ASSERT_GE(files.size(), 2u);
  const fs::path target = dir / files[0].name;
  const std::string original = files[0].text;
  std::string altered = original;
  const size_t at = altered.find("\"merkle_root\":\"") + 15;
  altered[at] = altered[at] == 'a' ? 'b' : 'a';
  std::ofstream(target, std::ios::trunc) << altered;
  Verdict result = VerifyLines(g_evidence->lines);
  auto [status, out] = RunVerifyCommand(g_evidence->lines);
  std::ofstream(target, std::ios::trunc) << original;  // restore for the other tests
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.checkpoint_problems, 1u);
  EXPECT_EQ(status, 1) << out;
  EXPECT_THAT(out, ::testing::HasSubstr(files[0].name)) << out;
}

TEST(AuditTamperEvidenceTest, ProveGivesAnInclusionProofAgainstASignedCheckpoint) {
  AuditTamperTest::SetUpTestSuite();
  const fs::path file = g_evidence->dir / "log.jsonl";
  {
    std::ofstream out(file, std::ios::trunc);
    for (const auto& l : g_evidence->lines) out << l << "\n";
  }
  const std::int64_t v = g_evidence->verdict_seq;
  const std::string cmd = std::string(HITLGATE_BINARY) + " audit prove --seq " + std::to_string(v) +
                          " --file " + file.string() + " --checkpoint-dir " +
                          (g_evidence->dir / "checkpoints").string() + " --keys " +
                          (g_evidence->dir / "keys.json").string();
  std::FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  while (size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  ASSERT_EQ(pclose(p), 0) << out;
  json::object proof = json::parse(out).as_object();
  EXPECT_EQ(proof["seq"].as_int64(), v);
  EXPECT_TRUE(proof["verified"].as_bool());
  EXPECT_TRUE(proof.contains("checkpoint"));
  // Check it independently: the leaf, the path and the signed root.
  auto files = *receipts::ReadCheckpointDir((g_evidence->dir / "checkpoints").string());
  std::string root;
  for (const auto& f : files) {
    if (f.name == std::string(proof["checkpoint"].as_string())) root = receipts::DecodeCheckpoint(f.text)->merkle_root;
  }
  EXPECT_EQ(std::string(proof["root"].as_string()), root);
  std::vector<audit::MerkleHash> path;
  for (const auto& h : proof["proof"].as_array()) path.push_back(*audit::MerkleFromHex(std::string(h.as_string())));
  EXPECT_TRUE(audit::VerifyInclusion(*audit::MerkleLeaf(Decode(g_evidence->lines[v - 1]).hash), v - 1,
                                     proof["tree_size"].as_int64(), path, *audit::MerkleFromHex(root)));
}

}  // namespace
}  // namespace hitlgate::testing
