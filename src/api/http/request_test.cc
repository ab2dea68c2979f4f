// Request parsing and the Error-to-HTTP mapping.
#include "api/http/request.h"

#include <gtest/gtest.h>

#include "api/http/response.h"

namespace hitlgate::api {
namespace {

TEST(RequestTest, ParseTargetDecodesPathAndQuery) {
  Request r;
  ParseTarget("/v1/a%20b/c+d?x=1&name=J%C3%BCrgen+M&flag&=v&&empty=", &r);
  EXPECT_EQ(r.target, "/v1/a%20b/c+d?x=1&name=J%C3%BCrgen+M&flag&=v&&empty=");
  EXPECT_EQ(r.path, "/v1/a b/c+d");  // '+' is only a space in the query
  EXPECT_EQ(r.Query("x"), "1");
  EXPECT_EQ(r.Query("name"), "J\xC3\xBCrgen M");
  EXPECT_EQ(r.Query("flag"), "");
  EXPECT_EQ(r.Query("empty"), "");
  EXPECT_EQ(r.Query("absent"), "");
  ASSERT_EQ(r.query.size(), 5u);
  EXPECT_EQ(r.query[3].first, "");
  EXPECT_EQ(r.query[3].second, "v");
}

TEST(RequestTest, MalformedEscapesAreKeptLiterally) {
  EXPECT_EQ(PercentDecode("100%", false), "100%");
  EXPECT_EQ(PercentDecode("%zz%4", false), "%zz%4");
  EXPECT_EQ(PercentDecode("%41%62", false), "Ab");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
}

TEST(RequestTest, HeaderLookupIgnoresCase) {
  Request r;
  r.headers = {{"authorization", "Bearer x"}, {"x-multi", "1"}, {"x-multi", "2"}};
  EXPECT_EQ(r.Header("Authorization"), "Bearer x");
  EXPECT_EQ(r.Header("AUTHORIZATION"), "Bearer x");
  EXPECT_EQ(r.Header("x-multi"), "1");
  EXPECT_EQ(r.Header("missing"), "");
}

TEST(ResponseTest, JsonErrorMapsEveryCode) {
  const std::vector<std::pair<ErrorCode, unsigned>> cases = {
      {ErrorCode::kInvalidArgument, 400},    {ErrorCode::kUnauthenticated, 401},
      {ErrorCode::kPermissionDenied, 403},   {ErrorCode::kNotFound, 404},
      {ErrorCode::kAlreadyExists, 409},      {ErrorCode::kAborted, 409},
      {ErrorCode::kFailedPrecondition, 412}, {ErrorCode::kResourceExhausted, 429},
      {ErrorCode::kUnavailable, 503},        {ErrorCode::kDeadlineExceeded, 504},
      {ErrorCode::kDataLoss, 500},           {ErrorCode::kInternal, 500},
  };
  for (const auto& [code, status] : cases) {
    const Response r = JsonError(Error(code, "m"));
    EXPECT_EQ(r.status, status) << ErrorCodeName(code);
    EXPECT_EQ(r.content_type, "application/json");
    EXPECT_EQ(r.body, "{\"error\":{\"code\":\"" + std::string(ErrorCodeName(code)) +
                          "\",\"message\":\"m\"}}");
  }
}

TEST(ResponseTest, JsonErrorEscapesTheMessage) {
  const Response r = JsonError(Error(ErrorCode::kInvalidArgument, "field \"x\"\n"));
  EXPECT_EQ(r.body, R"({"error":{"code":"invalid_argument","message":"field \"x\"\n"}})");
}

TEST(ResponseTest, UnauthenticatedAsksForBearer) {
  const Response r = JsonError(Error(ErrorCode::kUnauthenticated, "no key"));
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "WWW-Authenticate");
}

}  // namespace
}  // namespace hitlgate::api
