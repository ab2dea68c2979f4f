// Approval receipts over the real HTTP API (gateway_harness.h): a held
// refund is edited by a reviewer, and the receipt the waiting agent gets
// verifies against the edited action, never the AI's original one, with the
// library and with the `hitlgate receipt verify` command an executing system
// would run. Also: the public key history, rotation, and receipts found
// again in the audit log when no cache has them.
#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "hitlgate/receipts/receipt.h"
#include "integration/gateway_harness.h"
#include "integration/http_client.h"

namespace hitlgate::testing {
namespace {

namespace json = boost::json;
using ::testing::HasSubstr;

std::string Str(const json::value& v) { return std::string(v.as_string()); }

json::value Parse(const HttpReply& r) {
  boost::system::error_code ec;
  json::value v = json::parse(r.body, ec);
  EXPECT_FALSE(ec) << "not JSON (HTTP " << r.status << "): " << r.body;
  return ec ? json::value(json::object()) : v;
}

std::string RefundAction(double amount) {
  return json::serialize(json::object{{"name", "refund"},
                                      {"amount", amount},
                                      {"currency", "USD"},
                                      {"params", {{"order_id", "A-1001"}}}});
}

std::string Refund(const std::string& interaction, double amount) {
  json::object e{{"interaction_id", interaction},
                 {"customer_id", "u-" + interaction},
                 {"workflow", "retail-bot"},
                 {"channel", "chat"},
                 {"type", "ai_proposal"},
                 {"text", "I have refunded your order."},
                 {"intent", "return_item"},
                 {"confidence", 0.95},
                 {"action", json::parse(RefundAction(amount))}};
  return json::serialize(e);
}

// Runs `hitlgate receipt verify` and returns its exit status.
int RunVerifyCommand(const std::string& receipt, const std::string& action, const std::string& keys) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("hitlgate-receipt-cli-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto write = [&](const char* name, const std::string& text) {
    std::ofstream((dir / name).string(), std::ios::binary) << text;
    return (dir / name).string();
  };
  const std::string cmd = std::string(HITLGATE_BINARY) + " receipt verify --receipt " +
                          write("receipt.json", receipt) + " --action " + write("action.json", action) +
                          " --keys " + write("keys.json", keys) + " > /dev/null 2>&1";
  const int status = std::system(cmd.c_str());
  std::filesystem::remove_all(dir);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class ReceiptHttpTest : public ::testing::Test {
 protected:
  const HarnessKeys& keys() const { return h_.keys(); }

  std::string HeldTask(const std::string& interaction, double amount) {
    HttpReply r = h_.Post("/v1/events", Refund(interaction, amount), keys().agent);
    EXPECT_EQ(r.status, 200) << r.body;
    json::value d = Parse(r);
    EXPECT_EQ(Str(d.at("decision")), "hold") << r.body;
    return d.as_object().contains("task_id") ? Str(d.at("task_id")) : "";
  }

  // Claims `task_id` as the billing reviewer and answers it with `verdict_body`
  // (the lease id is added).
  void Answer(const std::string& task_id, const std::string& verdict_fields) {
    HttpReply claimed = h_.Post("/v1/review/tasks/" + task_id + "/claim", "", keys().reviewer);
    ASSERT_EQ(claimed.status, 200) << claimed.body;
    const std::string lease = Str(Parse(claimed).at("lease").at("lease_id"));
    HttpReply answered = h_.Post("/v1/review/tasks/" + task_id + "/verdict",
                                 "{\"lease_id\":\"" + lease + "\"," + verdict_fields + "}", keys().reviewer);
    ASSERT_EQ(answered.status, 200) << answered.body;
  }

  json::value AgentView(const std::string& task_id) {
    HttpReply r = h_.Get("/v1/tasks/" + task_id, keys().agent);
    EXPECT_EQ(r.status, 200) << r.body;
    return Parse(r);
  }

  std::vector<receipts::PublicKeyInfo> PublishedKeys(std::string* text = nullptr) {
    HttpReply r = h_.Get("/v1/receipt-keys", "");  // no key: public
    EXPECT_EQ(r.status, 200) << r.body;
    if (text != nullptr) *text = r.body;
    auto keys = receipts::DecodePublicKeys(r.body);
    EXPECT_TRUE(keys.has_value()) << r.body;
    return keys.value_or(std::vector<receipts::PublicKeyInfo>{});
  }

  GatewayHarness h_;
};

TEST_F(ReceiptHttpTest, EditedRefundsReceiptVerifiesAgainstTheEditedActionNotTheOriginal) {
  const std::string task_id = HeldTask("c-receipt-edit", 150);
  Answer(task_id, R"("verdict":"edited","edited_action":)" + RefundAction(100));

  json::value view = AgentView(task_id);
  ASSERT_TRUE(view.as_object().contains("receipt")) << view;
  const std::string receipt = json::serialize(view.at("receipt"));
  const std::string delivered = json::serialize(view.at("final").at("action"));
  EXPECT_EQ(Str(view.at("receipt").at("task_id")), task_id);
  EXPECT_EQ(Str(view.at("receipt").at("verdict")), "edited");
  EXPECT_EQ(Str(view.at("receipt").at("interaction_id")), "c-receipt-edit");

  std::string keys_text;
  const auto published = PublishedKeys(&keys_text);
  ASSERT_EQ(published.size(), 1u);
  auto edited = receipts::VerifyReceiptJson(receipt, delivered, published);
  EXPECT_TRUE(edited.ok()) << edited.detail;
  EXPECT_TRUE(receipts::VerifyReceiptJson(receipt, RefundAction(100), published).ok());
  auto original = receipts::VerifyReceiptJson(receipt, RefundAction(150), published);
  EXPECT_EQ(original.problem, receipts::ReceiptProblem::kActionChanged) << original.detail;

  // The executing system's command: 0 for the edited action, 1 for the AI's.
  EXPECT_EQ(RunVerifyCommand(receipt, delivered, keys_text), 0);
  EXPECT_EQ(RunVerifyCommand(json::serialize(view), RefundAction(100), keys_text), 0)
      << "the whole task view is accepted too";
  EXPECT_EQ(RunVerifyCommand(receipt, RefundAction(150), keys_text), 1);
}

TEST_F(ReceiptHttpTest, VerifyCommandExitCodesForForgedUnknownAndUnreadableInput) {
  const std::string task_id = HeldTask("c-receipt-cli", 150);
  Answer(task_id, R"("verdict":"approved")");
  json::value view = AgentView(task_id);
  ASSERT_TRUE(view.as_object().contains("receipt")) << view;
  std::string keys_text;
  PublishedKeys(&keys_text);
  const std::string receipt = json::serialize(view.at("receipt"));
  EXPECT_EQ(RunVerifyCommand(receipt, RefundAction(150), keys_text), 0);

  json::value forged = view.at("receipt");
  forged.as_object()["reviewer"] = "k-somebody-else";
  EXPECT_EQ(RunVerifyCommand(json::serialize(forged), RefundAction(150), keys_text), 1);

  receipts::MemoryKeyStore other_store;
  auto other_random = crypto::MakeSeededRandomForTest(12345);
  auto other = *receipts::SigningKeys::Open(other_store, *other_random, h_.clock().Now());
  EXPECT_EQ(RunVerifyCommand(receipt, RefundAction(150), receipts::EncodePublicKeys(other->PublicKeys())), 1)
      << "a receipt from a key the executor does not know";

  EXPECT_EQ(RunVerifyCommand("{not json", RefundAction(150), keys_text), 2);
  EXPECT_EQ(RunVerifyCommand(receipt, RefundAction(150), "[]"), 2);
  EXPECT_EQ(RunVerifyCommand(receipt, "[1]", keys_text), 2);
}

TEST_F(ReceiptHttpTest, RejectedVerdictHasNoReceipt) {
  const std::string task_id = HeldTask("c-receipt-reject", 150);
  Answer(task_id, R"("verdict":"rejected","reason":"not eligible","customer_message":"Sorry.")");
  EXPECT_FALSE(AgentView(task_id).as_object().contains("receipt"));
}

TEST_F(ReceiptHttpTest, RotatedKeyIsPublishedAndOldReceiptsStillVerify) {
  const std::string first = HeldTask("c-receipt-rot1", 150);
  Answer(first, R"("verdict":"approved")");
  const std::string old_receipt = json::serialize(AgentView(first).at("receipt"));

  EXPECT_EQ(h_.Post("/v1/receipt-keys/rotate", "", keys().reviewer).status, 403);
  h_.clock().Advance(std::chrono::hours(1));
  HttpReply rotated = h_.Post("/v1/receipt-keys/rotate", "", keys().admin);
  ASSERT_EQ(rotated.status, 200) << rotated.body;

  const auto published = PublishedKeys();
  ASSERT_EQ(published.size(), 2u);
  EXPECT_TRUE(published[0].not_after.has_value());
  EXPECT_FALSE(published[1].not_after.has_value());
  EXPECT_TRUE(receipts::VerifyReceiptJson(old_receipt, RefundAction(150), published).ok());

  const std::string second = HeldTask("c-receipt-rot2", 150);
  Answer(second, R"("verdict":"approved")");
  json::value view = AgentView(second);
  EXPECT_EQ(Str(view.at("receipt").at("key_id")), published[1].key_id);
  EXPECT_TRUE(receipts::VerifyReceiptJson(json::serialize(view.at("receipt")), RefundAction(150), published).ok());
}

TEST_F(ReceiptHttpTest, ReceiptIsFoundAgainInTheAuditLogAndInTheWebhookPayload) {
  HttpReply hook = h_.Call("PUT", "/v1/webhooks/retail-bot",
                           R"({"url":"http://127.0.0.1:9/h","secret":"0123456789abcdef"})", keys().admin);
  ASSERT_EQ(hook.status, 200) << hook.body;
  const std::string task_id = HeldTask("c-receipt-audit", 150);
  // Other records around it, so the search has something to skip.
  for (int i = 0; i < 20; ++i) HeldTask("c-receipt-noise-" + std::to_string(i), 150);
  h_.clock().Advance(std::chrono::minutes(1));
  Answer(task_id, R"("verdict":"approved")");
  h_.clock().Advance(std::chrono::minutes(1));
  for (int i = 0; i < 20; ++i) HeldTask("c-receipt-after-" + std::to_string(i), 150);

  const std::string cached = json::serialize(AgentView(task_id).at("receipt"));
  h_.gateway().receipts().ClearCacheForTest();
  json::value again = AgentView(task_id);
  ASSERT_TRUE(again.as_object().contains("receipt")) << again;
  EXPECT_EQ(json::serialize(again.at("receipt")), cached);

  auto deliveries = h_.store().NextDeliveries(h_.clock().Now(), 10, std::chrono::seconds(30));
  ASSERT_TRUE(deliveries.has_value());
  ASSERT_EQ(deliveries->size(), 1u);
  json::value payload = json::parse((*deliveries)[0].payload_json);
  EXPECT_EQ(json::serialize(payload.at("receipt")), cached);

  // And in the audit log, in the verdict's transaction.
  HttpReply audit = h_.Get("/v1/audit?from_seq=1&limit=10000", keys().auditor);
  EXPECT_THAT(audit.body, HasSubstr("\"kind\":\"approval_receipt\",\"actor\":\"system\",\"subject\":\"" + task_id));
}

}  // namespace
}  // namespace hitlgate::testing
