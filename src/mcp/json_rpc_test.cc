#include "mcp/json_rpc.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "testing/result_matchers.h"

namespace hitlgate::mcp {
namespace {

using ::hitlgate::testing::IsErrorWith;
using ::testing::HasSubstr;

TEST(JsonRpcTest, RequestKeepsItsIdAsJsonText) {
  auto m = ParseMessage(R"({"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"x"}})");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->kind, MessageKind::kRequest);
  EXPECT_EQ(m->id, "7");
  EXPECT_EQ(m->method, "tools/call");
  ASSERT_NE(Params(*m), nullptr);

  auto s = ParseMessage(R"({"jsonrpc":"2.0","id":"a-1","method":"ping"})");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->id, "\"a-1\"");
}

TEST(JsonRpcTest, ADuplicateKeyIsRefusedNamingIt) {
  // A server keeping the first "name" and the gate the last would run another tool than the one decided.
  auto m = ParseMessage(R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"read","name":"delete"}})");
  EXPECT_THAT(m, IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("duplicate key 'params.name'")));
}

TEST(JsonRpcTest, NotificationHasNoId) {
  auto m = ParseMessage(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->kind, MessageKind::kNotification);
  EXPECT_TRUE(m->id.empty());
}

TEST(JsonRpcTest, ResponseNeedsExactlyOneOfResultAndError) {
  auto ok = ParseMessage(R"({"jsonrpc":"2.0","id":1,"result":{"tools":[]}})");
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->kind, MessageKind::kResponse);
  ASSERT_NE(ResultObject(*ok), nullptr);

  auto both =
      ParseMessage(R"({"jsonrpc":"2.0","id":1,"result":{},"error":{"code":1,"message":"x"}})");
  ASSERT_TRUE(both.has_value());
  EXPECT_EQ(both->kind, MessageKind::kInvalid);
  EXPECT_EQ(both->id, "1");  // still answerable
}

TEST(JsonRpcTest, TextThatIsNotJsonIsAParseError) {
  EXPECT_THAT(ParseMessage("{\"jsonrpc\":\"2.0\",\"id\":1,"),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("not JSON")));
  EXPECT_THAT(ParseMessage("hello"),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("not JSON")));
}

TEST(JsonRpcTest, WrongShapesAreInvalidWithAReason) {
  struct Case {
    const char* text;
    const char* problem;
  };
  const Case cases[] = {
      {R"([{"jsonrpc":"2.0","method":"ping","id":1}])", "batches"},
      {R"("just a string")", "must be an object"},
      {R"({"id":1,"method":"ping"})", "\"jsonrpc\" must be \"2.0\""},
      {R"({"jsonrpc":"1.0","id":1,"method":"ping"})", "\"jsonrpc\" must be \"2.0\""},
      {R"({"jsonrpc":"2.0","id":{"a":1},"method":"ping"})", "\"id\" must be a string or a number"},
      {R"({"jsonrpc":"2.0","id":null,"method":"ping"})", "\"id\" must be a string or a number"},
      {R"({"jsonrpc":"2.0","id":1,"method":""})", "\"method\" must be a non-empty string"},
      {R"({"jsonrpc":"2.0","id":1,"method":"ping","params":[1]})", "\"params\" must be an object"},
      {R"({"jsonrpc":"2.0","result":{}})", "needs a \"method\""},
  };
  for (const Case& c : cases) {
    auto m = ParseMessage(c.text);
    ASSERT_TRUE(m.has_value()) << c.text;
    EXPECT_EQ(m->kind, MessageKind::kInvalid) << c.text;
    EXPECT_THAT(m->problem, HasSubstr(c.problem)) << c.text;
  }
}

TEST(JsonRpcTest, ErrorResponseEchoesTheIdOrNull) {
  EXPECT_EQ(ErrorResponse("\"x\"", kInvalidRequest, "bad"),
            R"({"jsonrpc":"2.0","id":"x","error":{"code":-32600,"message":"bad"}})");
  EXPECT_EQ(ErrorResponse({}, kParseError, "not JSON"),
            R"({"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"not JSON"}})");
}

TEST(JsonRpcTest, ToolResultIsAToolErrorWhenAsked) {
  auto m = ParseMessage(ToolResultResponse("3", "rejected: no", true));
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->kind, MessageKind::kResponse);
  const auto& result = *ResultObject(*m);
  EXPECT_TRUE(result.at("isError").as_bool());
  EXPECT_EQ(result.at("content").as_array().at(0).as_object().at("text").as_string(),
            "rejected: no");
  EXPECT_FALSE(result.contains("structuredContent"));

  auto s = ParseMessage(ToolResultResponse("3", "ok", false, R"({"status":"pending"})"));
  EXPECT_EQ(ResultObject(*s)->at("structuredContent").as_object().at("status").as_string(),
            "pending");
}

TEST(JsonRpcTest, ProgressNotificationCarriesTheClientsToken) {
  auto m = ParseMessage(ProgressNotification("\"tok\"", 5, 50, "waiting"));
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->kind, MessageKind::kNotification);
  EXPECT_EQ(m->method, "notifications/progress");
  EXPECT_EQ(Params(*m)->at("progressToken").as_string(), "tok");
  EXPECT_EQ(Params(*m)->at("progress").as_double(), 5);
  EXPECT_EQ(Params(*m)->at("total").as_double(), 50);
}

}  // namespace
}  // namespace hitlgate::mcp
