// Router matching, without a server: dispatch runs on a local io_context.
#include "api/http/router.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

namespace hitlgate::api {
namespace {

Response Dispatch(const Router& router, http::verb method, std::string target,
                  Request* seen = nullptr) {
  asio::io_context io;
  Request request;
  request.method = method;
  ParseTarget(target, &request);
  auto future = asio::co_spawn(io, router.Dispatch(request), asio::use_future);
  io.run();
  if (seen != nullptr) *seen = request;
  return future.get();
}

Handler Echo(std::string name) {
  return [name](Request& r) -> asio::awaitable<Response> {
    std::string body = name;
    for (const auto& [k, v] : r.path_params) body += " " + k + "=" + v;
    co_return Json(200, body);
  };
}

TEST(RouterTest, MatchesExactAndParamSegments) {
  Router router;
  router.Add(http::verb::get, "/v1/tasks/{id}", Echo("get"));
  router.Add(http::verb::post, "/v1/tasks/{id}/verdict", Echo("verdict"));
  router.Add(http::verb::get, "/v1/tasks/{id}/events/{seq}", Echo("event"));
  EXPECT_EQ(Dispatch(router, http::verb::get, "/v1/tasks/t1").body, "get id=t1");
  EXPECT_EQ(Dispatch(router, http::verb::post, "/v1/tasks/t1/verdict?x=1").body, "verdict id=t1");
  EXPECT_EQ(Dispatch(router, http::verb::get, "/v1/tasks/a/events/7").body, "event id=a seq=7");
  // Trailing and doubled slashes do not matter.
  EXPECT_EQ(Dispatch(router, http::verb::get, "//v1/tasks/t2/").body, "get id=t2");
}

TEST(RouterTest, ParamsArePercentDecodedPerSegment) {
  Router router;
  router.Add(http::verb::get, "/v1/tasks/{id}", Echo("get"));
  Request seen;
  EXPECT_EQ(Dispatch(router, http::verb::get, "/v1/tasks/a%2Fb%20c", &seen).body, "get id=a/b c");
  EXPECT_EQ(seen.Param("id"), "a/b c");
  EXPECT_EQ(seen.Param("other"), "");
}

TEST(RouterTest, UnknownPathIs404) {
  Router router;
  router.Add(http::verb::get, "/v1/tasks/{id}", Echo("get"));
  const Response r = Dispatch(router, http::verb::get, "/v1/nope");
  EXPECT_EQ(r.status, 404u);
  EXPECT_NE(r.body.find("\"not_found\""), std::string::npos);
  EXPECT_EQ(Dispatch(router, http::verb::get, "/v1/tasks").status, 404u);
  EXPECT_EQ(Dispatch(router, http::verb::get, "/v1/tasks/x/y").status, 404u);
}

TEST(RouterTest, WrongMethodIs405WithAllow) {
  Router router;
  router.Add(http::verb::get, "/v1/tasks/{id}", Echo("get"));
  router.Add(http::verb::delete_, "/v1/tasks/{id}", Echo("delete"));
  router.Add(http::verb::get, "/v1/tasks/{other}", Echo("shadowed"));
  const Response r = Dispatch(router, http::verb::put, "/v1/tasks/t1");
  EXPECT_EQ(r.status, 405u);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "Allow");
  EXPECT_EQ(r.headers[0].second, "GET, DELETE");
}

TEST(RouterTest, FirstMatchWinsAndHeadUsesGet) {
  Router router;
  router.Add(http::verb::get, "/v1/tasks/next", Echo("next"));
  router.Add(http::verb::get, "/v1/tasks/{id}", Echo("get"));
  EXPECT_EQ(Dispatch(router, http::verb::get, "/v1/tasks/next").body, "next");
  EXPECT_EQ(Dispatch(router, http::verb::head, "/v1/tasks/x").body, "get id=x");
}

TEST(RouterTest, FallbackServesUnmatchedGets) {
  Router router;
  router.Add(http::verb::get, "/v1/tasks/{id}", Echo("get"));
  router.SetFallback(Echo("fallback"));
  EXPECT_EQ(Dispatch(router, http::verb::get, "/reviews/42").body, "fallback");
  EXPECT_EQ(Dispatch(router, http::verb::post, "/reviews/42").status, 404u);
}

}  // namespace
}  // namespace hitlgate::api
