// HttpServer over loopback: routing, limits, timeouts, keep-alive, errors,
// concurrency. Servers bind port 0; nothing sleeps to synchronize.
#include "api/http/server.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <stdexcept>
#include <thread>

#include "api/http/blocking_pool.h"
#include "api/http/static_files.h"
#include "api/http/test_client.h"

namespace hitlgate::api {
namespace {

using testing::TestClient;
using testing::TestResponse;
using V = http::verb;

ServerOptions TestOptions() {
  ServerOptions o;
  o.port = 0;
  o.threads = 2;
  return o;
}

// A started server; fails the test when it cannot start.
struct Harness {
  explicit Harness(std::shared_ptr<Router> r, ServerOptions o = TestOptions())
      : router(std::move(r)), server(o, router) {
    auto p = server.Start();
    EXPECT_TRUE(p.has_value()) << (p ? "" : p.error().ToString());
    port = p.value_or(0);
  }
  std::shared_ptr<Router> router;
  HttpServer server;
  std::uint16_t port = 0;
};

std::shared_ptr<Router> EchoRouter(std::atomic<int>* calls = nullptr) {
  auto router = std::make_shared<Router>();
  router->Add(V::get, "/v1/tasks/{id}/verdict", [](Request& r) -> asio::awaitable<Response> {
    co_return Json(200, "id=" + std::string(r.Param("id")) + " q=" + std::string(r.Query("q")) +
                            " h=" + r.Header("X-Custom"));
  });
  router->Add(V::post, "/v1/echo", [calls](Request& r) -> asio::awaitable<Response> {
    if (calls != nullptr) ++*calls;
    co_return Json(200, r.body);
  });
  router->Add(V::get, "/v1/throw", [](Request&) -> asio::awaitable<Response> {
    throw std::runtime_error("boom");
    co_return Json(200, "unreachable");
  });
  return router;
}

TEST(HttpServerTest, RoutesWithParamsQueryAndHeaders) {
  Harness h(EchoRouter());
  TestClient client(h.port);
  auto r = client.Request(V::get, "/v1/tasks/t%201/verdict?q=a+b%26c", {}, {{"X-Custom", "yes"}});
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->status, 200u);
  EXPECT_EQ(r->body, "id=t 1 q=a b&c h=yes");
  EXPECT_EQ(r->Header("Content-Type"), "application/json");
  EXPECT_EQ(r->Header("Cache-Control"), "no-store");
  EXPECT_EQ(r->Header("Server"), "hitlgate");
}

TEST(HttpServerTest, UnknownPathIs404AndWrongMethodIs405) {
  Harness h(EchoRouter());
  TestClient client(h.port);
  auto missing = client.Request(V::get, "/v1/missing");
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->status, 404u);
  EXPECT_NE(missing->body.find("\"not_found\""), std::string::npos);
  auto wrong = client.Request(V::delete_, "/v1/echo");
  ASSERT_TRUE(wrong.has_value());
  EXPECT_EQ(wrong->status, 405u);
  EXPECT_EQ(wrong->Header("Allow"), "POST");
  EXPECT_EQ(wrong->Header("Content-Type"), "application/json");
}

TEST(HttpServerTest, BodyOverTheLimitIs413AndNeverReachesTheHandler) {
  std::atomic<int> calls{0};
  ServerOptions o = TestOptions();
  o.body_limit = 1024;
  Harness h(EchoRouter(&calls), o);
  TestClient client(h.port);
  auto ok = client.Request(V::post, "/v1/echo", std::string(1024, 'a'));
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->status, 200u);
  EXPECT_EQ(calls.load(), 1);

  auto big = client.Request(V::post, "/v1/echo", std::string(256 * 1024, 'b'));
  ASSERT_TRUE(big.has_value()) << big.error().ToString();
  EXPECT_EQ(big->status, 413u);
  EXPECT_NE(big->body.find("\"payload_too_large\""), std::string::npos);
  EXPECT_FALSE(big->keep_alive);
  EXPECT_EQ(calls.load(), 1);
}

TEST(HttpServerTest, ChunkedBodyOverTheLimitIs413) {
  std::atomic<int> calls{0};
  ServerOptions o = TestOptions();
  o.body_limit = 16;
  Harness h(EchoRouter(&calls), o);
  TestClient client(h.port);
  ASSERT_TRUE(
      client.Write("POST /v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "10\r\n0123456789abcdef\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n"));
  auto r = client.ReadResponse();
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->status, 413u);
  EXPECT_EQ(calls.load(), 0);
}

TEST(HttpServerTest, MalformedRequestIs400ThenClose) {
  Harness h(EchoRouter());
  TestClient client(h.port);
  ASSERT_TRUE(client.Write("THIS IS NOT HTTP\r\n\r\n"));
  auto r = client.ReadResponse();
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->status, 400u);
  EXPECT_NE(r->body.find("\"invalid_argument\""), std::string::npos);
  EXPECT_FALSE(r->keep_alive);
  EXPECT_TRUE(client.WaitForClose(std::chrono::seconds(5)));
}

TEST(HttpServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  Harness h(EchoRouter());
  TestClient client(h.port);
  auto a = client.Request(V::post, "/v1/echo", "one");
  auto b = client.Request(V::post, "/v1/echo", "two");
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_EQ(a->body, "one");
  EXPECT_EQ(b->body, "two");
  EXPECT_TRUE(b->keep_alive);
  EXPECT_EQ(client.connects(), 1u);
}

TEST(HttpServerTest, PipelinedRequestsAreAnsweredInOrder) {
  Harness h(EchoRouter());
  TestClient client(h.port);
  std::string wire;
  for (int i = 0; i < 5; ++i) {
    const std::string body = "req" + std::to_string(i);
    wire += "POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) +
            "\r\n\r\n" + body;
  }
  ASSERT_TRUE(client.Write(wire));
  for (int i = 0; i < 5; ++i) {
    auto r = client.ReadResponse();
    ASSERT_TRUE(r.has_value()) << r.error().ToString();
    EXPECT_EQ(r->body, "req" + std::to_string(i));
  }
}

TEST(HttpServerTest, ConnectionCloseIsHonored) {
  Harness h(EchoRouter());
  TestClient client(h.port);
  auto r = client.Request(V::post, "/v1/echo", "x", {{"Connection", "close"}});
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->keep_alive);
  EXPECT_TRUE(client.WaitForClose(std::chrono::seconds(5)));
}

TEST(HttpServerTest, ReadTimeoutClosesAnIdleConnection) {
  ServerOptions o = TestOptions();
  o.read_timeout = std::chrono::seconds(1);
  Harness h(EchoRouter(), o);
  TestClient client(h.port);
  ASSERT_TRUE(client.Connect());
  EXPECT_TRUE(client.WaitForClose(std::chrono::seconds(10)));
}

TEST(HttpServerTest, ReadTimeoutClosesAPartialRequest) {
  ServerOptions o = TestOptions();
  o.read_timeout = std::chrono::seconds(1);
  Harness h(EchoRouter(), o);
  TestClient client(h.port);
  ASSERT_TRUE(client.Write("POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc"));
  EXPECT_TRUE(client.WaitForClose(std::chrono::seconds(10)));
}

TEST(HttpServerTest, IdleTimeoutClosesAKeptAliveConnection) {
  ServerOptions o = TestOptions();
  o.idle_timeout = std::chrono::seconds(1);
  Harness h(EchoRouter(), o);
  TestClient client(h.port);
  auto r = client.Request(V::post, "/v1/echo", "x");
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->keep_alive);
  EXPECT_TRUE(client.WaitForClose(std::chrono::seconds(10)));
}

TEST(HttpServerTest, HandlerExceptionIs500AndTheServerKeepsServing) {
  Harness h(EchoRouter());
  TestClient client(h.port);
  auto r = client.Request(V::get, "/v1/throw");
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->status, 500u);
  EXPECT_EQ(r->body, R"({"error":{"code":"internal","message":"internal error"}})");
  auto next = client.Request(V::post, "/v1/echo", "still here");
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->body, "still here");
}

TEST(HttpServerTest, HeadGetsHeadersWithoutBody) {
  Harness h(EchoRouter());
  TestClient client(h.port);
  auto r = client.Request(V::head, "/v1/tasks/x/verdict");
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->status, 200u);
  EXPECT_EQ(r->body, "");
  EXPECT_EQ(r->Header("Content-Length"), std::to_string(std::string("id=x q= h=").size()));
  // The connection is still in sync.
  auto next = client.Request(V::post, "/v1/echo", "after head");
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->body, "after head");
}

TEST(HttpServerTest, HandlerHeadersAreSanitized) {
  auto router = std::make_shared<Router>();
  router->Add(V::get, "/h", [](Request&) -> asio::awaitable<Response> {
    Response r = Json(201, "{}");
    r.headers = {{"X-Ok", "a\r\nX-Injected: 1"},
                 {"Bad Name", "v"},
                 {"Cache-Control", "max-age=5"},
                 {"Content-Length", "999"}};
    co_return r;
  });
  Harness h(router);
  TestClient client(h.port);
  auto r = client.Request(V::get, "/h");
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->status, 201u);
  EXPECT_EQ(r->Header("X-Ok"), "aX-Injected: 1");
  EXPECT_EQ(r->Header("X-Injected"), "");
  EXPECT_EQ(r->Header("Cache-Control"), "max-age=5");
  EXPECT_EQ(r->Header("Content-Length"), "2");
}

TEST(HttpServerTest, StartReportsBadAddressAndSecondStart) {
  ServerOptions o = TestOptions();
  o.address = "not an address";
  HttpServer bad(o, std::make_shared<Router>());
  auto r = bad.Start();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);

  Harness h(EchoRouter());
  auto again = h.server.Start();
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code(), ErrorCode::kFailedPrecondition);

  ServerOptions taken = TestOptions();
  taken.port = h.port;
  HttpServer clash(taken, std::make_shared<Router>());
  // reuse_address lets a second listener bind on Linux only when the first is
  // gone; here the port is in use.
  auto busy = clash.Start();
  ASSERT_FALSE(busy.has_value());
  EXPECT_EQ(busy.error().code(), ErrorCode::kUnavailable);
}

TEST(HttpServerTest, StopClosesConnectionsAndIsIdempotent) {
  Harness h(EchoRouter());
  TestClient client(h.port);
  ASSERT_TRUE(client.Request(V::post, "/v1/echo", "x").has_value());
  h.server.Stop();
  EXPECT_TRUE(client.WaitForClose(std::chrono::seconds(5)));
  h.server.Stop();
  EXPECT_EQ(h.server.open_connections(), 0u);
}

TEST(HttpServerTest, StopAbandonsAHandlerThatNeverFinishes) {
  auto router = std::make_shared<Router>();
  std::promise<void> entered;
  router->Add(V::get, "/hang", [&entered](Request&) -> asio::awaitable<Response> {
    entered.set_value();
    asio::steady_timer forever(co_await asio::this_coro::executor, std::chrono::hours(1));
    co_await forever.async_wait(asio::use_awaitable);
    co_return Json(200, "{}");
  });
  ServerOptions o = TestOptions();
  o.stop_grace = std::chrono::milliseconds(100);
  Harness h(router, o);
  std::thread caller([&] {
    TestClient client(h.port);
    (void)client.Request(V::get, "/hang");
  });
  entered.get_future().wait();
  h.server.Stop();  // returns although the handler is still suspended
  caller.join();
}

TEST(HttpServerTest, ServesStaticFilesAsFallback) {
  namespace fs = std::filesystem;
  const fs::path root =
      fs::temp_directory_path() / ("hitlgate_http_static_" + std::to_string(::getpid()));
  fs::create_directories(root);
  std::ofstream(root / "index.html") << "<html></html>";
  std::ofstream(root / "app.js") << "js";
  auto router = EchoRouter();
  auto files = std::make_shared<StaticFiles>(root.string());
  router->SetFallback(
      [files](Request& r) -> asio::awaitable<Response> { co_return files->Serve(r); });
  Harness h(router);
  TestClient client(h.port);
  auto js = client.Request(V::get, "/app.js");
  ASSERT_TRUE(js.has_value());
  EXPECT_EQ(js->body, "js");
  EXPECT_EQ(js->Header("Content-Type"), "text/javascript; charset=utf-8");
  auto spa = client.Request(V::get, "/tasks/42");
  ASSERT_TRUE(spa.has_value());
  EXPECT_EQ(spa->body, "<html></html>");
  auto traversal = client.Request(V::get, "/%2e%2e/%2e%2e/etc/passwd");
  ASSERT_TRUE(traversal.has_value());
  EXPECT_EQ(traversal->status, 404u);
  fs::remove_all(root);
}

TEST(HttpServerTest, ConcurrentClientsAreAllAnswered) {
  BlockingPool pool(8);
  auto router = std::make_shared<Router>();
  router->Add(V::post, "/v1/work/{n}", [&pool](Request& r) -> asio::awaitable<Response> {
    const int n = std::stoi(std::string(r.Param("n")));
    // Half the requests hop to the blocking pool and back.
    if (n % 2 == 0) {
      const int doubled = co_await pool.Run([n] { return n * 2; });
      co_return Json(200, std::to_string(doubled));
    }
    co_return Json(200, std::to_string(n * 2));
  });
  ServerOptions o = TestOptions();
  o.threads = 4;
  Harness h(router, o);
  constexpr int kThreads = 32;
  constexpr int kRequests = 50;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      TestClient client(h.port);
      for (int i = 0; i < kRequests; ++i) {
        const int n = t * kRequests + i;
        // Every fourth request on a fresh connection, to exercise accept too.
        if (i % 4 == 0) client.Close();
        auto r = client.Request(V::post, "/v1/work/" + std::to_string(n), "body");
        if (r && r->status == 200 && r->body == std::to_string(n * 2)) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kThreads * kRequests);
}

}  // namespace
}  // namespace hitlgate::api
