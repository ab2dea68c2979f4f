// Session: the per-connection coroutine and everything that instantiates
// Beast's HTTP templates. Kept in this one translation unit on purpose: the
// templates are slow to compile, and nothing else needs them.
#include "api/http/session.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "api/http/request_framing.h"

namespace hitlgate::api {

namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
// After an error answer, how long and how much we read and discard before
// closing: closing with unread input makes the kernel send a reset, which
// can destroy the answer before the client reads it.
constexpr std::chrono::seconds kLingerTime{2};
constexpr size_t kLingerBytes = 16u << 20;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

using BeastRequest = http::request<http::string_body>;
using BeastResponse = http::response<http::string_body>;
using SseFunction = std::function<asio::awaitable<void>(std::shared_ptr<SseWriter>)>;

// Header values come from handlers; CR or LF would let them inject headers.
std::string CleanHeaderValue(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c != '\r' && c != '\n' && c != '\0') out += c;
  }
  return out;
}

bool ValidHeaderName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 32 || u >= 127 || c == ':') return false;
  }
  return true;
}

template <typename Message>
void SetHeaders(const std::string& content_type,
                const std::vector<std::pair<std::string, std::string>>& extra, Message* m) {
  m->set(http::field::server, "hitlgate");
  m->set(http::field::content_type, CleanHeaderValue(content_type));
  bool has_cache_control = false;
  for (const auto& [name, value] : extra) {
    if (!ValidHeaderName(name)) continue;
    if (beast::iequals(name, "cache-control")) has_cache_control = true;
    // Framing is ours to decide; never take it from a handler.
    if (beast::iequals(name, "content-length") || beast::iequals(name, "transfer-encoding") ||
        beast::iequals(name, "connection")) {
      continue;
    }
    if (beast::iequals(name, "content-type") || beast::iequals(name, "server")) {
      m->set(name, CleanHeaderValue(value));
    } else {
      m->insert(name, CleanHeaderValue(value));
    }
  }
  // API answers are per-caller and change under the caller's feet.
  if (!has_cache_control) m->set(http::field::cache_control, "no-store");
}

BeastResponse ToBeast(Response&& resp, unsigned version, bool keep_alive, bool head) {
  BeastResponse res;
  res.version(version);
  res.result(resp.status >= 100 && resp.status <= 999 ? resp.status : 500);
  SetHeaders(resp.content_type, resp.headers, &res);
  res.keep_alive(keep_alive);
  const auto cls = http::to_status_class(res.result());
  if (cls == http::status_class::informational || res.result() == http::status::no_content ||
      res.result() == http::status::not_modified) {
    resp.body.clear();  // these never carry a body; Beast rejects one
  }
  if (head) {
    // HEAD: the length GET would have, and no body.
    res.content_length(resp.body.size());
  } else {
    res.body() = std::move(resp.body);
    res.prepare_payload();
  }
  return res;
}

Response ErrorResponse(unsigned status, std::string_view code, std::string_view message) {
  return Json(status, JsonErrorBody(code, message));
}

// Runs the router; exceptions stop here and become a 500 (the coroutine
// root the guide asks for), so a handler bug never takes the process down.
asio::awaitable<Response> SafeDispatch(const Router& router, Request& request) {
  try {
    auto call = router.Dispatch(request);
    co_return co_await std::move(call);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hitlgate: handler for %s failed: %s\n", request.path.c_str(), e.what());
  } catch (...) {
    std::fprintf(stderr, "hitlgate: handler for %s failed: unknown exception\n",
                 request.path.c_str());
  }
  co_return ErrorResponse(500, "internal", "internal error");
}

// Runs a handler's SSE coroutine (owning the function object, whose
// captures the coroutine may use) and ends the stream when it returns.
//
// It counts in `state->connections` while it runs, so Stop() gives it the
// grace period to see its writer closed and clean up (unsubscribe) instead
// of the io_context destroying it mid-way once the connection is gone.
// The count is taken before the spawn and given back by the token's
// destructor, which runs even if the coroutine never started.
class CountToken {
 public:
  explicit CountToken(std::shared_ptr<ServerState> state) : state_(std::move(state)) {
    ++state_->connections;
  }
  ~CountToken() {
    std::lock_guard lock(state_->mu);
    if (--state_->connections == 0) state_->all_closed.notify_all();
  }
  CountToken(const CountToken&) = delete;
  CountToken& operator=(const CountToken&) = delete;

 private:
  std::shared_ptr<ServerState> state_;
};

asio::awaitable<void> RunSseHandler(SseFunction fn, std::shared_ptr<SseWriter> writer,
                                    [[maybe_unused]] std::unique_ptr<CountToken> count) {
  try {
    auto call = fn(writer);
    co_await std::move(call);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hitlgate: SSE handler failed: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "hitlgate: SSE handler failed: unknown exception\n");
  }
  writer->Finish();
}

bool IsHttpParseError(const beast::error_code& ec) {
  return &ec.category() == &beast::error_code(http::error::bad_target).category();
}

}  // namespace

// One connection. Owned by its session coroutine (and, during an SSE
// stream, the hang-up watcher); every member is touched only on the
// connection's strand. Stream is beast::tcp_stream for plain HTTP or
// beast::ssl_stream<beast::tcp_stream> for HTTPS; everything else is shared.
class Connection {
 public:
  virtual ~Connection() = default;
  // Thread-safe: closes the connection on its strand (server shutdown).
  virtual void Shutdown() = 0;
};

using TlsStream = beast::ssl_stream<beast::tcp_stream>;

template <typename Stream>
class StreamConnection final : public Connection,
                               public std::enable_shared_from_this<StreamConnection<Stream>> {
 public:
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

  // `buffer` holds bytes already read (the TLS detection's).
  StreamConnection(Stream stream, beast::flat_buffer buffer, std::shared_ptr<ServerState> state)
      : stream_(std::move(stream)), buffer_(std::move(buffer)), state_(std::move(state)) {
    beast::error_code ec;
    auto endpoint = Lowest().socket().remote_endpoint(ec);
    if (!ec) remote_ = endpoint.address().to_string();
  }

  asio::awaitable<void> Run();

  void Shutdown() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
      if (self->sse_) self->sse_->Close();
      self->CloseSocket();
    });
  }

 private:
  beast::tcp_stream& Lowest() { return beast::get_lowest_layer(stream_); }
  // TLS only: the handshake, under the read timeout. False: drop the client.
  asio::awaitable<bool> Handshake();
  // Reads one request into `parser`. Returns the read error, if any.
  asio::awaitable<beast::error_code> ReadRequest(http::request_parser<http::string_body>& parser);
  asio::awaitable<bool> Write(BeastResponse& res);
  asio::awaitable<void> AnswerReadError(const beast::error_code& ec);
  asio::awaitable<void> LingeringClose();
  asio::awaitable<void> StreamSse(Response& response, unsigned version);
  static asio::awaitable<void> WatchHangup(std::shared_ptr<StreamConnection> self,
                                           std::shared_ptr<SseWriter> writer);

  void CloseSocket() {
    beast::error_code ec;
    Lowest().socket().shutdown(tcp::socket::shutdown_both, ec);
    Lowest().close();
  }

  Stream stream_;
  beast::flat_buffer buffer_;
  std::shared_ptr<ServerState> state_;
  std::string remote_;
  std::shared_ptr<SseWriter> sse_;  // while streaming, so Shutdown can end it
};

template <typename Stream>
asio::awaitable<bool> StreamConnection<Stream>::Handshake() {
  if constexpr (kTls) {
    Lowest().expires_after(state_->options.read_timeout);
    auto [ec, used] = co_await stream_.async_handshake(asio::ssl::stream_base::server,
                                                       buffer_.data(), kTuple);
    if (ec) co_return false;  // wrong version, no or bad client certificate, timeout
    buffer_.consume(used);
  }
  co_return true;
}

template <typename Stream>
asio::awaitable<beast::error_code> StreamConnection<Stream>::ReadRequest(
    http::request_parser<http::string_body>& parser) {
  // One deadline for the whole request, header and body: a client trickling
  // bytes (slowloris) cannot hold the connection past it.
  Lowest().expires_after(state_->options.read_timeout);
  auto [ec, n] = co_await http::async_read_header(stream_, buffer_, parser, kTuple);
  if (ec || parser.is_done()) co_return ec;
  // Clients that ask (curl does for large bodies) wait for this before
  // sending the body; without it they stall for a second.
  if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
    auto [wec, wn] = co_await asio::async_write(stream_, asio::buffer(kContinue), kTuple);
    if (wec) co_return wec;
  }
  auto [bec, bn] = co_await http::async_read(stream_, buffer_, parser, kTuple);
  co_return bec;
}

template <typename Stream>
asio::awaitable<bool> StreamConnection<Stream>::Write(BeastResponse& res) {
  Lowest().expires_after(state_->options.read_timeout);
  auto [ec, n] = co_await http::async_write(stream_, res, kTuple);
  co_return !ec;
}

template <typename Stream>
asio::awaitable<void> StreamConnection<Stream>::AnswerReadError(const beast::error_code& ec) {
  Response answer;
  if (ec == http::error::body_limit) {
    answer = ErrorResponse(
        413, "payload_too_large",
        "request body over the limit of " + std::to_string(state_->options.body_limit) + " bytes");
  } else if (ec == http::error::header_limit) {
    answer = ErrorResponse(431, "invalid_argument", "request header fields too large");
  } else if (IsHttpParseError(ec) && ec != http::error::partial_message) {
    answer = ErrorResponse(400, "invalid_argument", "malformed HTTP request: " + ec.message());
  } else {
    co_return;  // the client left, timed out or the socket failed: nobody to answer
  }
  BeastResponse res = ToBeast(std::move(answer), 11, /*keep_alive=*/false, /*head=*/false);
  if (co_await Write(res)) co_await LingeringClose();
}

template <typename Stream>
asio::awaitable<void> StreamConnection<Stream>::LingeringClose() {
  beast::error_code ec;
  Lowest().socket().shutdown(tcp::socket::shutdown_send, ec);
  Lowest().expires_after(kLingerTime);
  std::vector<char> sink(16 * 1024);
  size_t total = 0;
  while (total < kLingerBytes) {
    auto [rec, n] = co_await stream_.async_read_some(asio::buffer(sink), kTuple);
    if (rec) break;
    total += n;
  }
}

template <typename Stream>
asio::awaitable<void> StreamConnection<Stream>::Run() {
  const ServerOptions& options = state_->options;
  auto handshake = Handshake();
  if (!co_await std::move(handshake)) {
    CloseSocket();
    co_return;
  }
  bool first = true;
  while (!state_->stopping.load()) {
    if (!first && buffer_.size() == 0) {
      // Between requests a kept-alive client may idle for longer than it may
      // take to send a request; once its next request starts, the read
      // timeout applies again.
      Lowest().expires_after(options.idle_timeout);
      auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(4096), kTuple);
      if (ec) break;
      buffer_.commit(n);
    }
    first = false;

    http::request_parser<http::string_body> parser;
    LimitRequestParser(options.body_limit, parser);
    auto read = ReadRequest(parser);
    const beast::error_code ec = co_await std::move(read);
    if (ec) {
      auto answer = AnswerReadError(ec);
      co_await std::move(answer);
      break;
    }
    BeastRequest req = parser.release();
    const unsigned version = req.version();
    const bool keep_alive = req.keep_alive();
    const bool head = req.method() == http::verb::head;
    Request request = ToRequest(req, remote_);

    auto dispatch = SafeDispatch(*state_->router, request);
    Response response = co_await std::move(dispatch);
    if (response.sse && response.status < 300 && !head) {
      auto stream = StreamSse(response, version);
      co_await std::move(stream);
      break;  // an event stream ends the connection
    }
    const bool again = keep_alive && !state_->stopping.load();
    BeastResponse res = ToBeast(std::move(response), version, again, head);
    if (!co_await Write(res) || !again) break;
  }
  CloseSocket();
}

template <typename Stream>
asio::awaitable<void> StreamConnection<Stream>::StreamSse(Response& response, unsigned version) {
  const ServerOptions& options = state_->options;
  auto executor = co_await asio::this_coro::executor;  // the connection's strand

  http::response<http::empty_body> head{http::status::ok, version};
  SetHeaders("text/event-stream", response.headers, &head);
  head.set("X-Accel-Buffering", "no");  // reverse proxies must not buffer the stream
  head.chunked(true);
  http::response_serializer<http::empty_body> serializer{head};
  Lowest().expires_after(options.read_timeout);
  auto [hec, hn] = co_await http::async_write_header(stream_, serializer, kTuple);
  if (hec) co_return;

  auto writer = std::make_shared<SseWriter>(executor, options.sse_queue_limit);
  sse_ = writer;
  // An overflowing queue means the client stopped reading; closing the
  // socket aborts the write it is stuck in.
  writer->SetOnClose([weak = this->weak_from_this()] {
    if (auto self = weak.lock()) self->CloseSocket();
  });
  if (state_->stopping.load()) writer->Close();
  asio::co_spawn(
      executor,
      RunSseHandler(std::move(response.sse), writer, std::make_unique<CountToken>(state_)),
      asio::detached);
  asio::co_spawn(executor, WatchHangup(this->shared_from_this(), writer), asio::detached);

  bool aborted = false;
  for (;;) {
    auto next = writer->Next(options.sse_keepalive);
    SseWriter::Batch batch = co_await std::move(next);
    if (batch.end) {
      aborted = batch.aborted;
      break;
    }
    // No events for a while: a comment line keeps proxies from timing the
    // stream out, and finds clients that vanished without a FIN.
    if (batch.bytes.empty()) batch.bytes = ": keep-alive\n\n";
    auto chunk = http::make_chunk(asio::buffer(batch.bytes));
    Lowest().expires_after(options.read_timeout);
    auto [wec, wn] = co_await asio::async_write(stream_, chunk, kTuple);
    if (wec) {
      aborted = true;
      break;
    }
  }
  if (aborted) {
    writer->Close();  // tells a still-running handler that the client is gone
  } else {
    auto last = http::make_chunk_last();
    Lowest().expires_after(options.read_timeout);
    co_await asio::async_write(stream_, last, kTuple);
  }
  sse_.reset();
}

template <typename Stream>
asio::awaitable<void> StreamConnection<Stream>::WatchHangup(std::shared_ptr<StreamConnection> self,
                                              std::shared_ptr<SseWriter> writer) {
  // An SSE client sends nothing after its request, so a completed read means
  // it hung up (or we closed the socket). Bytes it does send are ignored.
  std::vector<char> sink(512);
  for (;;) {
    auto [ec, n] = co_await self->Lowest().socket().async_read_some(asio::buffer(sink), kTuple);
    if (ec) break;
  }
  writer->Close();
}

namespace {

// Plain HTTP sent to the HTTPS port gets one plain answer saying so (as
// nginx does) instead of a handshake failure the client cannot explain.
asio::awaitable<void> RefusePlainHttp(beast::tcp_stream& stream) {
  BeastResponse res = ToBeast(
      ErrorResponse(400, "invalid_argument", "this port speaks HTTPS; plain HTTP is refused"), 11,
      /*keep_alive=*/false, /*head=*/false);
  co_await http::async_write(stream, res, kTuple);
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  stream.close();
}

template <typename Stream>
asio::awaitable<void> Serve(std::shared_ptr<StreamConnection<Stream>> connection) {
  try {
    auto run = connection->Run();
    co_await std::move(run);
  } catch (const std::exception& e) {
    // Only allocation failures can get here; drop this connection, not the server.
    std::fprintf(stderr, "hitlgate: connection failed: %s\n", e.what());
  }
}

}  // namespace

asio::awaitable<void> RunSession(tcp::socket socket, std::shared_ptr<ServerState> state) {
  // Unregisters and uncounts even when the io_context destroys this frame
  // without resuming it (shutdown with a handler still running).
  struct Registration {
    ServerState* state;
    std::uint64_t id = 0;  // 0 until registered in state->live
    ~Registration() {
      std::lock_guard lock(state->mu);
      if (id != 0) state->live.erase(id);
      if (--state->connections == 0) state->all_closed.notify_all();
    }
  } registration{state.get()};
  auto enroll = [&](const std::shared_ptr<Connection>& connection) {
    std::lock_guard lock(state->mu);
    registration.id = state->next_id++;
    state->live.emplace(registration.id, connection);
  };

  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  if (!state->tls) {
    auto connection = std::make_shared<StreamConnection<beast::tcp_stream>>(
        std::move(stream), std::move(buffer), state);
    enroll(connection);
    co_await Serve(std::move(connection));
    co_return;
  }
  // Looks at the first bytes: a TLS ClientHello or something else.
  stream.expires_after(state->options.read_timeout);
  auto [ec, is_tls] = co_await beast::async_detect_ssl(stream, buffer, kTuple);
  if (ec) co_return;
  if (!is_tls) {
    co_await RefusePlainHttp(stream);
    co_return;
  }
  auto connection = std::make_shared<StreamConnection<TlsStream>>(
      TlsStream(std::move(stream), *state->tls), std::move(buffer), state);
  enroll(connection);
  co_await Serve(std::move(connection));
}

void CloseAllSessions(ServerState& state) {
  std::vector<std::shared_ptr<Connection>> connections;
  {
    std::lock_guard lock(state.mu);
    for (auto& [id, weak] : state.live) {
      if (auto c = weak.lock()) connections.push_back(std::move(c));
    }
  }
  for (auto& c : connections) c->Shutdown();
}

}  // namespace hitlgate::api
