// HttpClient over Boost.Beast, synchronous; see http_client.h.
#include "api/client/http_client.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <charconv>

namespace hitlgate::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct HttpClient::Impl {
  std::string host;
  std::string port;
  std::string token;
  std::chrono::seconds timeout;
  asio::io_context io;
  tcp::socket socket{io};
  beast::flat_buffer buffer;

  Result<void> Connect() {
    if (socket.is_open()) return {};
    beast::error_code ec;
    tcp::resolver resolver(io);
    auto endpoints = resolver.resolve(host, port, ec);
    if (ec) return Unavailable("resolve " + host + ": " + ec.message());
    asio::connect(socket, endpoints, ec);
    if (ec) return Unavailable("connect to " + host + ":" + port + ": " + ec.message());
    // Socket timeouts for the blocking reads and writes below.
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeout.count());
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    socket.set_option(tcp::no_delay(true), ec);
    return {};
  }

  void Close() {
    beast::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
    buffer.consume(buffer.size());
  }

  Result<HttpReply> Once(http::verb verb, std::string_view target, std::string_view body) {
    HITLGATE_RETURN_IF_ERROR(Connect());
    http::request<http::string_body> req{verb, std::string(target), 11};
    req.set(http::field::host, host);
    req.set(http::field::user_agent, "hitlgate-demo");
    if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
    if (!body.empty() || verb == http::verb::post) {
      req.set(http::field::content_type, "application/json");
      req.body() = std::string(body);
    }
    req.keep_alive(true);
    req.prepare_payload();
    beast::error_code ec;
    http::write(socket, req, ec);
    if (ec) {
      Close();
      return Unavailable("write: " + ec.message());
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(64u << 20);
    http::read(socket, buffer, parser, ec);
    if (ec) {
      Close();
      return Unavailable("read: " + ec.message());
    }
    auto res = parser.release();
    HttpReply reply{res.result_int(), std::move(res.body())};
    if (!res.keep_alive()) Close();
    return reply;
  }
};

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpClient::~HttpClient() {
  if (impl_) impl_->Close();
}

Result<std::unique_ptr<HttpClient>> HttpClient::Create(std::string_view base_url, std::string bearer_token,
                                                       std::chrono::seconds timeout) {
  constexpr std::string_view kScheme = "http://";
  if (!base_url.starts_with(kScheme)) return InvalidArgument("url: expected http://host:port, got '" + std::string(base_url) + "'");
  std::string_view rest = base_url.substr(kScheme.size());
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  const size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos || rest.find('/') != std::string_view::npos) {
    return InvalidArgument("url: expected http://host:port, got '" + std::string(base_url) + "'");
  }
  int port = 0;
  auto [end, err] = std::from_chars(rest.data() + colon + 1, rest.data() + rest.size(), port);
  if (err != std::errc() || end != rest.data() + rest.size() || port <= 0 || port > 65535) {
    return InvalidArgument("url: bad port in '" + std::string(base_url) + "'");
  }
  auto impl = std::make_unique<Impl>();
  impl->host = std::string(rest.substr(0, colon));
  impl->port = std::to_string(port);
  impl->token = std::move(bearer_token);
  impl->timeout = timeout;
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(impl)));
}

Result<HttpReply> HttpClient::Send(std::string_view method, std::string_view target, std::string_view body) {
  http::verb verb = http::string_to_verb(method);
  if (verb == http::verb::unknown) return InvalidArgument("unknown method " + std::string(method));
  auto reply = impl_->Once(verb, target, body);
  if (!reply && reply.error().code() == ErrorCode::kUnavailable) {
    // A kept-alive connection the server closed in between: one fresh try.
    impl_->Close();
    reply = impl_->Once(verb, target, body);
  }
  return reply;
}

}  // namespace hitlgate::api
