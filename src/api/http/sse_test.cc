// Server-sent events end to end: ordering, stream end, client hang-up,
// slow subscribers, keep-alives and shutdown.
#include <gtest/gtest.h>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <future>
#include <thread>

#include "api/http/notifier.h"
#include "api/http/server.h"
#include "api/http/test_client.h"

namespace hitlgate::api {
namespace {

using testing::SseClient;
using testing::SseEvent;
using V = http::verb;

ServerOptions TestOptions() {
  ServerOptions o;
  o.port = 0;
  o.threads = 2;
  return o;
}

struct Harness {
  explicit Harness(std::shared_ptr<Router> r, ServerOptions o = TestOptions())
      : router(std::move(r)), server(o, router) {
    auto p = server.Start();
    EXPECT_TRUE(p.has_value());
    port = p.value_or(0);
  }
  std::shared_ptr<Router> router;
  HttpServer server;
  std::uint16_t port = 0;
};

// A route whose SSE coroutine is `fn`.
std::shared_ptr<Router> StreamRouter(
    std::function<asio::awaitable<void>(std::shared_ptr<SseWriter>)> fn) {
  auto router = std::make_shared<Router>();
  router->Add(V::get, "/v1/stream", [fn](Request&) -> asio::awaitable<Response> {
    Response r;
    r.sse = fn;
    r.headers.emplace_back("X-Stream", "1");
    co_return r;
  });
  router->Add(V::get, "/v1/denied", [](Request&) -> asio::awaitable<Response> {
    co_return JsonError(Error(ErrorCode::kUnauthenticated, "no key"));
  });
  return router;
}

TEST(SseTest, EventsArriveInOrderAndTheStreamEnds) {
  Harness h(StreamRouter([](std::shared_ptr<SseWriter> w) -> asio::awaitable<void> {
    for (int i = 0; i < 100; ++i)
      w->Send("tick", "{\"n\":" + std::to_string(i) + "}", std::to_string(i));
    w->Send("multi", "line one\nline two");
    co_return;  // the stream ends once the queue is drained
  }));
  SseClient client(h.port);
  auto head = client.Open("/v1/stream");
  ASSERT_TRUE(head.has_value()) << head.error().ToString();
  EXPECT_EQ(head->status, 200u);
  EXPECT_EQ(head->Header("Content-Type"), "text/event-stream");
  EXPECT_EQ(head->Header("Cache-Control"), "no-store");
  EXPECT_EQ(head->Header("X-Stream"), "1");
  EXPECT_EQ(head->Header("Server"), "hitlgate");
  const std::vector<SseEvent> events = client.ReadEvents(101, std::chrono::seconds(10));
  ASSERT_EQ(events.size(), 101u);
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(events[i].event, "tick");
    EXPECT_EQ(events[i].id, std::to_string(i));
    EXPECT_EQ(events[i].data, "{\"n\":" + std::to_string(i) + "}");
  }
  EXPECT_EQ(events[100].data, "line one\nline two");
  EXPECT_TRUE(client.ReadEvents(1, std::chrono::seconds(10)).empty());
  EXPECT_TRUE(client.ended());
}

TEST(SseTest, HandlerSeesTheClientLeave) {
  auto closed = std::make_shared<std::promise<void>>();
  Harness h(StreamRouter([closed](std::shared_ptr<SseWriter> w) -> asio::awaitable<void> {
    w->Send("hello", "{}");
    co_await w->WaitClosed();
    EXPECT_FALSE(w->Send("late", "{}"));
    closed->set_value();
  }));
  SseClient client(h.port);
  ASSERT_TRUE(client.Open("/v1/stream").has_value());
  ASSERT_EQ(client.ReadEvents(1, std::chrono::seconds(10)).size(), 1u);
  client.Close();
  EXPECT_EQ(closed->get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
}

TEST(SseTest, SlowSubscriberIsDroppedWithoutBlockingThePublisher) {
  Notifier notifier;
  auto subscribed = std::make_shared<std::promise<void>>();
  auto finished = std::make_shared<std::promise<bool>>();
  ServerOptions o = TestOptions();
  o.sse_queue_limit = 8;
  Harness h(StreamRouter([&notifier, subscribed,
                          finished](std::shared_ptr<SseWriter> w) -> asio::awaitable<void> {
              const auto token = notifier.Subscribe(
                  [w](std::string_view topic, std::string_view, std::string_view data) { w->Send(topic, data); });
              subscribed->set_value();
              co_await w->WaitClosed();
              notifier.Unsubscribe(token);
              finished->set_value(w->overflowed());
            }),
            o);
  SseClient client(h.port);  // never reads the body
  ASSERT_TRUE(client.Open("/v1/stream").has_value());
  subscribed->get_future().wait();

  // Publish far more than the socket buffers and the queue hold; every call
  // returns at once, and the subscriber is dropped.
  const std::string payload(4096, 'x');
  auto finished_future = finished->get_future();
  int published = 0;
  while (finished_future.wait_for(std::chrono::seconds(0)) != std::future_status::ready &&
         published < 1000000) {
    notifier.Publish("task.created", "retail-bot", payload);
    ++published;
  }
  ASSERT_EQ(finished_future.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_TRUE(finished_future.get());
  EXPECT_LT(published, 1000000);
  EXPECT_EQ(notifier.subscriber_count(), 0u);
  // The client finds the stream closed after what was already sent.
  client.ReadEvents(1000000, std::chrono::seconds(20));
  EXPECT_TRUE(client.ended());
}

TEST(SseTest, KeepAliveCommentsFlowWhileIdle) {
  ServerOptions o = TestOptions();
  o.sse_keepalive = std::chrono::milliseconds(50);
  Harness h(StreamRouter([](std::shared_ptr<SseWriter> w) -> asio::awaitable<void> {
              co_await w->WaitClosed();
            }),
            o);
  SseClient client(h.port);
  ASSERT_TRUE(client.Open("/v1/stream").has_value());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (client.comments() < 2 && std::chrono::steady_clock::now() < deadline) {
    EXPECT_TRUE(client.ReadEvents(1, std::chrono::milliseconds(200)).empty());
  }
  EXPECT_GE(client.comments(), 2u);
}

TEST(SseTest, ErrorAnswerInsteadOfAStream) {
  Harness h(StreamRouter([](std::shared_ptr<SseWriter>) -> asio::awaitable<void> { co_return; }));
  SseClient client(h.port);
  auto head = client.Open("/v1/denied");
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->status, 401u);
  EXPECT_NE(head->body.find("\"unauthenticated\""), std::string::npos);
}

TEST(SseTest, HandlerExceptionEndsTheStream) {
  Harness h(StreamRouter([](std::shared_ptr<SseWriter> w) -> asio::awaitable<void> {
    w->Send("first", "1");
    throw std::runtime_error("stream bug");
    co_return;
  }));
  SseClient client(h.port);
  ASSERT_TRUE(client.Open("/v1/stream").has_value());
  EXPECT_EQ(client.ReadEvents(5, std::chrono::seconds(10)).size(), 1u);
  EXPECT_TRUE(client.ended());
}

TEST(SseTest, StopEndsOpenStreams) {
  auto closed = std::make_shared<std::promise<void>>();
  auto opened = std::make_shared<std::promise<void>>();
  Harness h(StreamRouter([closed, opened](std::shared_ptr<SseWriter> w) -> asio::awaitable<void> {
    opened->set_value();
    co_await w->WaitClosed();
    closed->set_value();
  }));
  SseClient client(h.port);
  ASSERT_TRUE(client.Open("/v1/stream").has_value());
  opened->get_future().wait();
  h.server.Stop();
  EXPECT_EQ(closed->get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
  client.ReadEvents(1, std::chrono::seconds(10));
  EXPECT_TRUE(client.ended());
}

}  // namespace
}  // namespace hitlgate::api
