// HttpTransport over Boost.Beast (request parsing) and Asio (responses are
// written as plain bytes: fixed-length JSON or a chunked SSE stream).
#include "mcp/http_transport.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdio>
#include <deque>
#include <unordered_map>

#include "mcp/async_queue.h"
#include "mcp/child_process_channel.h"
#include "mcp/http_server_channel.h"
#include "mcp/json_rpc.h"
#include "mcp/proxy_session.h"

namespace hitlgate::mcp {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr auto kKeepAliveIdle = std::chrono::minutes(5);
constexpr auto kStreamPing = std::chrono::seconds(25);
constexpr auto kSweepEvery = std::chrono::seconds(60);
constexpr size_t kMaxBacklog = 256;

using SteadyTime = std::chrono::steady_clock::time_point;

struct Outgoing {
  std::string text;
  bool is_response = false;
};
using OutQueue = AsyncQueue<Outgoing>;

// One MCP session of one client: its proxy, and where its messages go.
struct HttpSession final : ClientSink {
  std::string id;
  std::string server;
  std::shared_ptr<ProxySession> proxy;
  std::shared_ptr<ServerChannel> channel;
  std::unordered_map<std::string, std::shared_ptr<OutQueue>> requests;  // open POSTs by request id
  std::shared_ptr<OutQueue> listener;                                   // the GET stream
  std::deque<std::string> backlog;  // messages for a GET stream not yet open
  SteadyTime last_used{};

  void ToClient(std::string text, std::string_view request_id, bool is_response) override {
    if (!request_id.empty()) {
      auto it = requests.find(std::string(request_id));
      if (it != requests.end()) {
        it->second->Push(Outgoing{std::move(text), is_response});
        if (is_response) requests.erase(it);
        return;
      }
      if (is_response) return;  // its POST is gone: nobody is waiting
    }
    if (listener != nullptr) {
      listener->Push(Outgoing{std::move(text), false});
    } else if (!requests.empty()) {
      // No GET stream: an open POST stream may carry it (the spec allows related messages there).
      requests.begin()->second->Push(Outgoing{std::move(text), false});
    } else {
      backlog.push_back(std::move(text));
      if (backlog.size() > kMaxBacklog) backlog.pop_front();
    }
  }

  void SessionEnded(std::string_view) override {}  // later requests are answered with errors

  void Abandon(std::string_view request_id) override {
    auto it = requests.find(std::string(request_id));
    if (it == requests.end()) return;
    it->second->Close();  // its POST ends; the client stopped waiting for it anyway
    requests.erase(it);
  }

  void End() {
    if (proxy != nullptr) proxy->Close();
    for (auto& [rid, queue] : requests) queue->Close();
    requests.clear();
    if (listener != nullptr) listener->Close();
  }
};

std::string_view Reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 202:
      return "Accepted";
    case 400:
      return "Bad Request";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 409:
      return "Conflict";
    case 413:
      return "Content Too Large";
    default:
      return "Error";
  }
}

std::string Response(int status, std::string_view content_type, std::string_view body,
                     std::string_view extra = {}) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + std::string(Reason(status)) +
                    "\r\nServer: hitlgate-mcp\r\n";
  if (!content_type.empty()) out += "Content-Type: " + std::string(content_type) + "\r\n";
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  out += extra;
  out += "\r\n";
  out += body;
  return out;
}

std::string JsonError(int status, std::string_view id, int code, std::string_view message,
                      std::string_view extra = {}) {
  return Response(status, "application/json", ErrorResponse(id, code, message), extra);
}

std::string SseHead(std::string_view extra) {
  return "HTTP/1.1 200 OK\r\nServer: hitlgate-mcp\r\nContent-Type: text/event-stream\r\n"
         "Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n" +
         std::string(extra) + "\r\n";
}

std::string Chunk(std::string_view data) {
  char size[20];
  const int n = std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  std::string out(size, static_cast<size_t>(n));
  out.append(data);
  out += "\r\n";
  return out;
}

std::string SseEvent(std::string_view message) {
  std::string out = "event: message\n";
  size_t start = 0;
  while (start <= message.size()) {
    const size_t end = message.find('\n', start);
    out += "data: ";
    out.append(message.substr(
        start, end == std::string_view::npos ? std::string_view::npos : end - start));
    out += '\n';
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  out += '\n';
  return Chunk(out);
}

// Browsers send Origin; a page from elsewhere must not drive local tools.
bool OriginAllowed(std::string_view origin) {
  if (origin.empty()) return true;
  const size_t scheme = origin.find("://");
  if (scheme == std::string_view::npos) return false;
  std::string_view host = origin.substr(scheme + 3);
  if (host.starts_with("[::1]")) return true;
  host = host.substr(0, host.find(':'));
  return host == "localhost" || host == "127.0.0.1";
}

}  // namespace

struct HttpTransport::State : std::enable_shared_from_this<State> {
  State(asio::io_context& io_context, const McpConfig& mcp_config, const ServerConfig* fallback,
        std::shared_ptr<GatewayApi> gateway_api, const Clock& wall_clock,
        crypto::RandomSource& random_source)
      : io(io_context),
        config(mcp_config),
        default_server(fallback),
        gateway(std::move(gateway_api)),
        clock(wall_clock),
        random(random_source),
        acceptor(io_context),
        sweep(io_context) {}

  asio::io_context& io;
  const McpConfig& config;
  const ServerConfig* default_server;
  std::shared_ptr<GatewayApi> gateway;
  const Clock& clock;
  crypto::RandomSource& random;
  tcp::acceptor acceptor;
  asio::steady_timer sweep;
  std::unordered_map<std::string, std::shared_ptr<HttpSession>> sessions;
  bool shut_down = false;

  asio::awaitable<void> Accept(std::shared_ptr<State> self);
  asio::awaitable<void> Sweep(std::shared_ptr<State> self);
  asio::awaitable<void> Serve(std::shared_ptr<State> self, tcp::socket socket);
  asio::awaitable<bool> Handle(beast::tcp_stream& stream,
                               http::request<http::string_body>& request);
  asio::awaitable<bool> Post(beast::tcp_stream& stream, http::request<http::string_body>& request,
                             const ServerConfig& server);
  asio::awaitable<bool> Get(beast::tcp_stream& stream, HttpSession& session);
  std::shared_ptr<HttpSession> NewSession(const ServerConfig& server);
  const ServerConfig* Route(std::string_view target) const;
};

HttpTransport::HttpTransport(asio::io_context& io, const McpConfig& config,
                             const ServerConfig* default_server,
                             std::shared_ptr<GatewayApi> gateway, const Clock& clock,
                             crypto::RandomSource& random)
    : state_(
          std::make_shared<State>(io, config, default_server, std::move(gateway), clock, random)) {}

HttpTransport::~HttpTransport() { Shutdown(); }

Result<unsigned short> HttpTransport::Listen(const std::string& address, unsigned short port) {
  boost::system::error_code ec;
  const auto ip = asio::ip::make_address(address, ec);
  if (ec) return InvalidArgument("listen address '" + address + "': " + ec.message());
  const tcp::endpoint endpoint(ip, port);
  auto& acceptor = state_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return Unavailable("listen on " + address + ":" + std::to_string(port) + ": " + ec.message());
  asio::co_spawn(state_->io, state_->Accept(state_), asio::detached);
  asio::co_spawn(state_->io, state_->Sweep(state_), asio::detached);
  return acceptor.local_endpoint().port();
}

void HttpTransport::Shutdown() {
  if (state_->shut_down) return;
  state_->shut_down = true;
  boost::system::error_code ignored;
  state_->acceptor.close(ignored);
  state_->sweep.cancel();
  for (auto& [id, session] : state_->sessions) session->End();
}

bool HttpTransport::Finished() const {
  for (const auto& [id, session] : state_->sessions) {
    if (session->channel != nullptr && !session->channel->Finished()) return false;
    if (!session->proxy->quiet()) return false;  // results still on their way to the gateway
  }
  return true;
}

asio::awaitable<void> HttpTransport::State::Accept(std::shared_ptr<State> self) {
  while (!shut_down) {
    auto [ec, socket] = co_await acceptor.async_accept(kTuple);
    if (ec) {
      if (shut_down || ec == asio::error::operation_aborted) break;
      continue;  // e.g. too many open files: keep serving the connections we have
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    asio::co_spawn(io, Serve(self, std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> HttpTransport::State::Sweep(std::shared_ptr<State> /*self*/) {
  while (!shut_down) {
    sweep.expires_after(kSweepEvery);
    co_await sweep.async_wait(kTuple);
    const SteadyTime now = std::chrono::steady_clock::now();
    std::erase_if(sessions, [&](auto& entry) {
      HttpSession& s = *entry.second;
      const bool busy = !s.requests.empty() || s.listener != nullptr;
      const bool idle = !busy && now - s.last_used > config.session_idle;
      const bool gone = !busy && s.proxy->server_closed();
      if (!idle && !gone) return false;
      s.End();
      return true;
    });
  }
}

const ServerConfig* HttpTransport::State::Route(std::string_view target) const {
  std::string_view path = target.substr(0, target.find('?'));
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  if (path == "/mcp") return default_server;
  if (!path.starts_with("/mcp/")) return nullptr;
  return config.FindServer(path.substr(5));
}

std::shared_ptr<HttpSession> HttpTransport::State::NewSession(const ServerConfig& server) {
  auto session = std::make_shared<HttpSession>();
  session->id = random.Hex(16);
  session->server = server.name;
  session->proxy = std::make_shared<ProxySession>(io.get_executor(), config, server, gateway, clock,
                                                  session->id, session.get());
  if (server.url.empty()) {
    session->channel =
        std::make_shared<ChildProcessChannel>(io.get_executor(), server, config.max_message_bytes);
  } else {
    session->channel =
        std::make_shared<HttpServerChannel>(io.get_executor(), server, config.max_message_bytes);
  }
  sessions[session->id] = session;
  session->proxy->Start(session->channel);
  return session;
}

asio::awaitable<void> HttpTransport::State::Serve(std::shared_ptr<State> /*self*/,
                                                  tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(32 * 1024);
    parser.body_limit(config.max_message_bytes);
    stream.expires_after(kKeepAliveIdle);
    auto [ec, n] = co_await http::async_read(stream, buffer, parser, kTuple);
    if (ec == http::error::body_limit) {
      const std::string answer = JsonError(413, {}, kMessageTooLarge,
                                           "hitlgate mcp: the message is over the limit of " +
                                               std::to_string(config.max_message_bytes) +
                                               " bytes (max_message_bytes); it was not forwarded",
                                           "Connection: close\r\n");
      stream.expires_after(std::chrono::seconds(5));
      co_await asio::async_write(stream, asio::buffer(answer), kTuple);
      break;
    }
    if (ec) break;
    stream.expires_never();
    auto& request = parser.get();
    const bool keep_alive = request.keep_alive();
    const bool go_on = co_await Handle(stream, request);
    if (!go_on || !keep_alive) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<bool> HttpTransport::State::Handle(beast::tcp_stream& stream,
                                                   http::request<http::string_body>& request) {
  auto write = [&](const std::string& bytes) -> asio::awaitable<bool> {
    auto [ec, n] = co_await asio::async_write(stream, asio::buffer(bytes), kTuple);
    co_return !ec;
  };
  const ServerConfig* server = Route(request.target());
  if (server == nullptr) {
    co_return co_await write(
        Response(404, "text/plain", "no MCP server at this path; use /mcp/<server name>\n"));
  }
  if (!OriginAllowed(request[http::field::origin])) {
    co_return co_await write(
        Response(403, "text/plain", "requests from this Origin are refused\n"));
  }
  if (shut_down)
    co_return co_await write(
        JsonError(503, {}, kServerUnavailable, "hitlgate mcp is shutting down"));
  switch (request.method()) {
    case http::verb::post:
      co_return co_await Post(stream, request, *server);
    case http::verb::get:
    case http::verb::delete_: {
      const std::string sid(request["mcp-session-id"]);
      auto it = sessions.find(sid);
      if (sid.empty())
        co_return co_await write(Response(400, "text/plain", "Mcp-Session-Id header required\n"));
      if (it == sessions.end() || it->second->server != server->name) {
        co_return co_await write(Response(404, "text/plain", "unknown session\n"));
      }
      std::shared_ptr<HttpSession> session = it->second;
      if (request.method() == http::verb::delete_) {
        session->End();
        sessions.erase(it);
        co_return co_await write(Response(200, "", ""));
      }
      if (request[http::field::accept].find("text/event-stream") == std::string_view::npos) {
        co_return co_await write(
            Response(406, "text/plain", "Accept must include text/event-stream\n"));
      }
      if (session->listener != nullptr) {
        co_return co_await write(
            Response(409, "text/plain", "this session has an event stream already\n"));
      }
      co_return co_await Get(stream, *session);
    }
    default:
      co_return co_await write(
          Response(405, "text/plain", "use POST, GET or DELETE\n", "Allow: GET, POST, DELETE\r\n"));
  }
}

asio::awaitable<bool> HttpTransport::State::Post(beast::tcp_stream& stream,
                                                 http::request<http::string_body>& request,
                                                 const ServerConfig& server) {
  auto write = [&](const std::string& bytes) -> asio::awaitable<bool> {
    auto [ec, n] = co_await asio::async_write(stream, asio::buffer(bytes), kTuple);
    co_return !ec;
  };
  auto parsed = ParseMessage(request.body());
  if (!parsed) {
    co_return co_await write(
        JsonError(400, {}, kParseError, "hitlgate mcp: " + parsed.error().message()));
  }
  Message message = std::move(*parsed);
  if (message.kind == MessageKind::kInvalid) {
    co_return co_await write(
        JsonError(400, message.id, kInvalidRequest,
                  "hitlgate mcp: not a JSON-RPC 2.0 message: " + message.problem));
  }
  std::shared_ptr<HttpSession> session;
  if (message.kind == MessageKind::kRequest && message.method == "initialize") {
    session = NewSession(server);
  } else {
    const std::string sid(request["mcp-session-id"]);
    if (sid.empty()) {
      co_return co_await write(
          JsonError(400, message.id, kInvalidRequest,
                    "hitlgate mcp: Mcp-Session-Id header required (initialize first)"));
    }
    auto it = sessions.find(sid);
    if (it == sessions.end() || it->second->server != server.name) {
      co_return co_await write(JsonError(404, message.id, kInvalidRequest,
                                         "hitlgate mcp: unknown session; initialize a new one"));
    }
    session = it->second;
  }
  session->last_used = std::chrono::steady_clock::now();
  const std::string extra = "Mcp-Session-Id: " + session->id + "\r\n";
  if (message.kind != MessageKind::kRequest) {
    session->proxy->FromClient(std::move(message), std::move(request.body()));
    co_return co_await write(Response(202, "", "", extra));
  }
  const std::string id = message.id;
  if (session->requests.contains(id)) {
    co_return co_await write(
        JsonError(400, id, kInvalidRequest, "hitlgate mcp: request id " + id + " is in use"));
  }
  auto queue = std::make_shared<OutQueue>(io.get_executor());
  session->requests[id] = queue;
  session->proxy->FromClient(std::move(message), std::move(request.body()));

  auto first = co_await queue->Pop();
  if (!first) {
    co_return co_await write(
        JsonError(503, id, kServerUnavailable, "hitlgate mcp: the session ended"));
  }
  if (first->is_response)
    co_return co_await write(Response(200, "application/json", first->text, extra));
  // Something comes before the response (progress): stream them all.
  bool ok = co_await write(SseHead(extra)) && co_await write(SseEvent(first->text));
  while (ok) {
    auto next = co_await queue->Pop();
    if (!next) break;
    ok = co_await write(SseEvent(next->text));
    if (next->is_response) break;
  }
  if (auto it = session->requests.find(id); it != session->requests.end() && it->second == queue) {
    session->requests.erase(it);
  }
  co_return ok&& co_await write("0\r\n\r\n");
}

asio::awaitable<bool> HttpTransport::State::Get(beast::tcp_stream& stream,
                                                HttpSession& session_ref) {
  auto write = [&](const std::string& bytes) -> asio::awaitable<bool> {
    auto [ec, n] = co_await asio::async_write(stream, asio::buffer(bytes), kTuple);
    co_return !ec;
  };
  std::shared_ptr<HttpSession> session = sessions.at(session_ref.id);
  auto queue = std::make_shared<OutQueue>(io.get_executor());
  session->listener = queue;
  bool ok = co_await write(SseHead("Mcp-Session-Id: " + session->id + "\r\n"));
  while (ok && !session->backlog.empty()) {
    std::string text = std::move(session->backlog.front());
    session->backlog.pop_front();
    ok = co_await write(SseEvent(text));
  }
  while (ok) {
    auto next =
        co_await queue->Pop(std::chrono::duration_cast<std::chrono::milliseconds>(kStreamPing));
    if (!next) {
      if (queue->closed()) break;
      ok = co_await write(Chunk(": keep-alive\n\n"));  // finds clients that went away
      continue;
    }
    ok = co_await write(SseEvent(next->text));
  }
  if (session->listener == queue) session->listener.reset();
  if (ok) co_await write("0\r\n\r\n");
  co_return false;  // an event stream's connection is not reused
}

}  // namespace hitlgate::mcp
