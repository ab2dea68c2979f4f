#include "api/http/server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cctype>

#include "hitlgate/codec/json.h"

namespace hitlgate::api {

namespace beast = boost::beast;
using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

struct HttpServer::State {
  ServerOptions options;
  std::shared_ptr<const Router> router;
  std::atomic<size_t>* connections;
  std::unique_ptr<tcp::acceptor> acceptor;
};

namespace {

Request ToRequest(const http::request<http::string_body>& req, std::string remote) {
  Request r;
  r.method = req.method();
  ParseTarget(std::string_view(req.target().data(), req.target().size()), &r);
  for (const auto& field : req) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  r.body = req.body();
  r.remote_address = std::move(remote);
  return r;
}

http::response<http::string_body> ToBeast(Response&& resp, unsigned version, bool keep_alive) {
  http::response<http::string_body> res{static_cast<http::status>(resp.status), version};
  res.set(http::field::server, "hitlgate");
  res.set(http::field::content_type, resp.content_type);
  bool cache_set = false;
  for (auto& [k, v] : resp.headers) {
    if (beast::iequals(k, "cache-control")) cache_set = true;
    res.set(k, v);
  }
  if (!cache_set) res.set(http::field::cache_control, "no-store");
  res.keep_alive(keep_alive);
  res.body() = std::move(resp.body);
  res.prepare_payload();
  return res;
}

// An error the session answers itself (bad request, too large) before closing.
Response SessionError(unsigned status, std::string_view code, std::string_view message) {
  std::string body = "{\"error\":{\"code\":\"";
  body += code;
  body += "\",\"message\":";
  codec::AppendJsonString(message, &body);
  body += "}}";
  return Json(status, std::move(body));
}

asio::awaitable<void> StreamSse(beast::tcp_stream& stream, const http::request<http::string_body>& req,
                                Response& resp, const ServerOptions& options) {
  auto executor = co_await asio::this_coro::executor;
  http::response<http::empty_body> head{http::status::ok, req.version()};
  head.set(http::field::server, "hitlgate");
  head.set(http::field::content_type, "text/event-stream");
  head.set(http::field::cache_control, "no-store");
  head.chunked(true);
  http::response_serializer<http::empty_body> sr{head};
  stream.expires_never();
  auto [hec, hn] = co_await http::async_write_header(stream, sr, kTuple);
  if (hec) co_return;
  auto writer = std::make_shared<SseWriter>(executor, options.sse_queue_limit);
  // The handler subscribes and waits for the stream to close.
  asio::co_spawn(executor, resp.sse(writer), asio::detached);
  while (writer->open()) {
    std::deque<std::string> frames = co_await writer->NextFrames(options.sse_keepalive);
    std::string chunk;
    for (auto& f : frames) chunk += f;
    if (chunk.empty()) chunk = ": keep-alive\n\n";  // also detects a client that left
    stream.expires_after(std::chrono::seconds(30));
    auto [wec, wn] = co_await asio::async_write(stream, http::make_chunk(asio::buffer(chunk)), kTuple);
    if (wec) break;
  }
  writer->Close();
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
}

asio::awaitable<void> Session(tcp::socket socket, std::shared_ptr<HttpServer::State> state) {
  struct Counted {
    std::atomic<size_t>* n;
    ~Counted() { --*n; }
  } counted{state->connections};
  beast::error_code ec;
  std::string remote = socket.remote_endpoint(ec).address().to_string();
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  const ServerOptions& options = state->options;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.body_limit(options.body_limit);
    parser.header_limit(32 * 1024);
    stream.expires_after(options.read_timeout);
    auto [rec, rn] = co_await http::async_read(stream, buffer, parser, kTuple);
    if (rec == http::error::end_of_stream || rec == beast::error::timeout ||
        rec == asio::error::connection_reset || rec == asio::error::eof) {
      break;
    }
    if (rec) {
      Response err = rec == http::error::body_limit
                         ? SessionError(413, "resource_exhausted",
                                        "request body over the limit of " +
                                            std::to_string(options.body_limit) + " bytes")
                         : SessionError(400, "invalid_argument", "malformed HTTP request: " + rec.message());
      auto res = ToBeast(std::move(err), 11, false);
      stream.expires_after(std::chrono::seconds(5));
      co_await http::async_write(stream, res, kTuple);
      break;
    }
    http::request<http::string_body> req = parser.release();
    Request request = ToRequest(req, remote);
    Response response;
    try {
      response = co_await state->router->Dispatch(request);
    } catch (const std::exception& e) {
      // The last net: a handler bug answers 500, never takes the process down.
      response = SessionError(500, "internal", std::string("internal error: ") + e.what());
    }
    if (response.sse) {
      co_await StreamSse(stream, req, response, options);
      co_return;
    }
    const bool keep_alive = req.keep_alive();
    auto res = ToBeast(std::move(response), req.version(), keep_alive);
    stream.expires_after(options.read_timeout);
    auto [wec, wn] = co_await http::async_write(stream, res, kTuple);
    if (wec || !keep_alive) break;
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
}

asio::awaitable<void> Accept(std::shared_ptr<HttpServer::State> state, asio::io_context& io) {
  for (;;) {
    auto [ec, socket] = co_await state->acceptor->async_accept(asio::make_strand(io), kTuple);
    if (ec == asio::error::operation_aborted || !state->acceptor->is_open()) co_return;
    if (ec) continue;
    if (state->connections->load() >= state->options.max_connections) {
      beast::error_code ignored;
      socket.close(ignored);  // over the limit: refuse rather than starve everyone
      continue;
    }
    ++*state->connections;
    auto executor = socket.get_executor();
    asio::co_spawn(executor, Session(std::move(socket), state), asio::detached);
  }
}

}  // namespace

HttpServer::HttpServer(ServerOptions options, std::shared_ptr<const Router> router)
    : options_(std::move(options)), router_(std::move(router)) {}

HttpServer::~HttpServer() { Stop(); }

Result<std::uint16_t> HttpServer::Start() {
  beast::error_code ec;
  auto address = asio::ip::make_address(options_.address, ec);
  if (ec) return InvalidArgument("bad listen address '" + options_.address + "': " + ec.message());
  state_ = std::make_shared<State>();
  state_->options = options_;
  state_->router = router_;
  state_->connections = &connections_;
  state_->acceptor = std::make_unique<tcp::acceptor>(io_);
  tcp::endpoint endpoint(address, options_.port);
  auto& acc = *state_->acceptor;
  acc.open(endpoint.protocol(), ec);
  if (!ec) acc.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acc.bind(endpoint, ec);
  if (!ec) acc.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Unavailable("cannot listen on " + options_.address + ":" + std::to_string(options_.port) +
                       ": " + ec.message());
  }
  const std::uint16_t port = acc.local_endpoint().port();
  asio::co_spawn(io_, Accept(state_, io_), asio::detached);
  int n = options_.threads > 0 ? options_.threads
                               : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 0; i < n; ++i) threads_.emplace_back([this] { io_.run(); });
  return port;
}

void HttpServer::Stop() {
  if (stopped_.exchange(true) || !state_) return;
  asio::post(io_, [state = state_] {
    beast::error_code ec;
    state->acceptor->close(ec);
  });
  io_.stop();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

}  // namespace hitlgate::api
