// HTTPS on HttpServer: modern protocol versions only, plain HTTP refused
// with an explanation, SSE and long-polls over TLS, and mutual TLS for
// agents. Certificates are made at test time (tls_test_certs.h).
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

#include "api/http/server.h"
#include "api/http/test_client.h"
#include "api/http/tls_test_certs.h"
#include "api/http/tls_test_client.h"

namespace hitlgate::api {
namespace {

using testing::TlsClientOptions;
using testing::TlsRequest;
using testing::TlsVersion;
using V = http::verb;

const testing::TestPki& Pki() {
  static const testing::TestPki pki =
      testing::MakeTestPki("/tmp/hitlgate-tls-test-" + std::to_string(::getpid()));
  return pki;
}

std::shared_ptr<Router> TestRouter() {
  auto router = std::make_shared<Router>();
  router->Add(V::post, "/v1/echo", [](Request& r) -> asio::awaitable<Response> {
    co_return Json(200, r.body);
  });
  // A long-poll: answers after waiting on a timer.
  router->Add(V::get, "/v1/poll", [](Request&) -> asio::awaitable<Response> {
    asio::steady_timer wait(co_await asio::this_coro::executor, std::chrono::milliseconds(50));
    co_await wait.async_wait(asio::use_awaitable);
    co_return Json(200, R"({"changed":true})");
  });
  router->Add(V::get, "/v1/stream", [](Request&) -> asio::awaitable<Response> {
    Response r;
    r.sse = [](std::shared_ptr<SseWriter> w) -> asio::awaitable<void> {
      w->Send("hello", "over-tls");
      co_await w->WaitClosed();
    };
    co_return r;
  });
  return router;
}

ServerOptions TlsServerOptions(bool require_client_cert = false) {
  ServerOptions o;
  o.port = 0;
  o.threads = 2;
  o.tls.cert_file = Pki().server_cert;
  o.tls.key_file = Pki().server_key;
  if (require_client_cert) o.tls.client_ca_file = Pki().ca_cert;
  return o;
}

struct TlsHarness {
  explicit TlsHarness(ServerOptions o) : server(std::move(o), TestRouter()) {
    auto p = server.Start();
    EXPECT_TRUE(p.has_value()) << (p ? "" : p.error().ToString());
    port = p.value_or(0);
  }
  HttpServer server;
  std::uint16_t port = 0;
};

TlsClientOptions Client() {
  TlsClientOptions c;
  c.ca_file = Pki().ca_cert;
  return c;
}

TEST(TlsServerTest, HttpsRequestSucceedsAndPrefersTls13) {
  TlsHarness h(TlsServerOptions());
  testing::TlsSessionInfo info;
  auto r = TlsRequest(Client(), h.port, V::post, "/v1/echo", R"({"a":1})", {}, &info);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->status, 200u);
  EXPECT_EQ(r->body, R"({"a":1})");
  EXPECT_EQ(info.version, "TLSv1.3");
}

TEST(TlsServerTest, Tls12IsAcceptedWithAnEcdheAeadSuite) {
  TlsHarness h(TlsServerOptions());
  TlsClientOptions c = Client();
  c.max_version = TlsVersion::k1_2;
  testing::TlsSessionInfo info;
  auto r = TlsRequest(c, h.port, V::post, "/v1/echo", "x", {}, &info);
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(info.version, "TLSv1.2");
  EXPECT_EQ(info.cipher.rfind("ECDHE-", 0), 0u) << info.cipher;
  EXPECT_NE(info.cipher.find("GCM"), std::string::npos) << info.cipher;
}

TEST(TlsServerTest, Tls11IsRefused) {
  TlsHarness h(TlsServerOptions());
  TlsClientOptions c = Client();
  c.min_version = TlsVersion::k1_1;
  c.max_version = TlsVersion::k1_1;
  auto r = TlsRequest(c, h.port, V::post, "/v1/echo", "x");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("handshake"), std::string::npos) << r.error().ToString();
}

TEST(TlsServerTest, PlainHttpToTheTlsPortGetsA400ThatSaysWhy) {
  TlsHarness h(TlsServerOptions());
  testing::TestClient plain(h.port);
  auto r = plain.Request(V::post, "/v1/echo", "x");
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->status, 400u);
  EXPECT_NE(r->body.find("HTTPS"), std::string::npos) << r->body;
  EXPECT_FALSE(r->keep_alive);
  // The server still serves HTTPS afterwards.
  EXPECT_TRUE(TlsRequest(Client(), h.port, V::post, "/v1/echo", "x").has_value());
}

TEST(TlsServerTest, LongPollAndSseWorkOverTls) {
  TlsHarness h(TlsServerOptions());
  auto poll = TlsRequest(Client(), h.port, V::get, "/v1/poll");
  ASSERT_TRUE(poll.has_value()) << poll.error().ToString();
  EXPECT_EQ(poll->body, R"({"changed":true})");

  auto sse = testing::TlsReadUntil(Client(), h.port, "/v1/stream", {}, "data: over-tls");
  ASSERT_TRUE(sse.has_value()) << sse.error().ToString();
  EXPECT_NE(sse->find("text/event-stream"), std::string::npos);
  EXPECT_NE(sse->find("event: hello"), std::string::npos);
}

TEST(TlsServerTest, ClientCertificateIsRequiredWhenACaIsConfigured) {
  TlsHarness h(TlsServerOptions(/*require_client_cert=*/true));
  // None.
  EXPECT_FALSE(TlsRequest(Client(), h.port, V::post, "/v1/echo", "x").has_value());
  // One from a CA the server does not trust.
  TlsClientOptions rogue = Client();
  rogue.cert_file = Pki().rogue_client_cert;
  rogue.key_file = Pki().rogue_client_key;
  EXPECT_FALSE(TlsRequest(rogue, h.port, V::post, "/v1/echo", "x").has_value());
  // One from the configured CA, over TLS 1.3 and 1.2.
  TlsClientOptions good = Client();
  good.cert_file = Pki().client_cert;
  good.key_file = Pki().client_key;
  auto r = TlsRequest(good, h.port, V::post, "/v1/echo", "ok");
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_EQ(r->body, "ok");
  good.max_version = TlsVersion::k1_2;
  EXPECT_TRUE(TlsRequest(good, h.port, V::post, "/v1/echo", "ok").has_value());
}

TEST(TlsServerTest, UnusableFilesStopTheStartWithTheFileNamed) {
  ServerOptions missing = TlsServerOptions();
  missing.tls.key_file = "/nonexistent/server.key";
  HttpServer a(missing, TestRouter());
  auto ra = a.Start();
  ASSERT_FALSE(ra.has_value());
  EXPECT_EQ(ra.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(ra.error().message().find("/nonexistent/server.key"), std::string::npos);

  ServerOptions mismatched = TlsServerOptions();
  mismatched.tls.key_file = Pki().client_key;  // not the server certificate's key
  HttpServer b(mismatched, TestRouter());
  auto rb = b.Start();
  ASSERT_FALSE(rb.has_value());
  EXPECT_NE(rb.error().message().find("mismatch"), std::string::npos)
      << rb.error().ToString();
}

}  // namespace
}  // namespace hitlgate::api
