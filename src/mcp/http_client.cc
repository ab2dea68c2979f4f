// HttpClient over Boost.Beast coroutines; see http_client.h. The only
// translation unit of src/mcp that instantiates Beast's client templates.
#include "mcp/http_client.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <charconv>
#include <optional>

namespace hitlgate::mcp {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr size_t kMaxIdleConnections = 8;
constexpr size_t kReadChunk = 16 * 1024;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Error NetworkError(std::string_view what, const beast::error_code& ec) {
  if (ec == beast::error::timeout) {
    return Error(ErrorCode::kDeadlineExceeded, std::string(what) + ": timed out");
  }
  return Error(ErrorCode::kUnavailable, std::string(what) + ": " + ec.message());
}

}  // namespace

Result<HttpUrl> ParseHttpUrl(std::string_view url) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) {
    return InvalidArgument("expected an http:// URL, got '" + std::string(url) + "'");
  }
  std::string_view rest = url.substr(kScheme.size());
  const size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  HttpUrl out;
  if (slash != std::string_view::npos) out.path = std::string(rest.substr(slash));
  const size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos && authority.find(']', colon) == std::string_view::npos) {
    std::string_view port = authority.substr(colon + 1);
    int number = 0;
    auto [end, err] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (err != std::errc() || end != port.data() + port.size() || number <= 0 || number > 65535) {
      return InvalidArgument("bad port in '" + std::string(url) + "'");
    }
    out.port = std::string(port);
    authority = authority.substr(0, colon);
  }
  if (authority.size() >= 2 && authority.front() == '[' && authority.back() == ']') {
    authority = authority.substr(1, authority.size() - 2);
  }
  if (authority.empty()) return InvalidArgument("no host in '" + std::string(url) + "'");
  out.host = std::string(authority);
  return out;
}

std::string_view HttpResponse::Header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (n == name) return v;
  }
  return {};
}

struct HttpClient::Connection {
  explicit Connection(asio::any_io_executor executor) : stream(executor) {}
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
};

HttpClient::HttpClient(asio::any_io_executor executor, HttpUrl url, size_t body_limit)
    : executor_(executor), url_(std::move(url)), body_limit_(body_limit) {}

HttpClient::~HttpClient() = default;

void HttpClient::Shutdown() {
  for (auto& c : idle_) {
    beast::error_code ignored;
    c->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    c->stream.close();
  }
  idle_.clear();
}

asio::awaitable<Result<HttpResponse>> HttpClient::Send(HttpRequest request) {
  auto self = shared_from_this();
  std::string body;
  bool too_large = false;
  BodyFn on_body = [&](std::string_view bytes) {
    if (body.size() + bytes.size() > body_limit_) {
      too_large = true;
      return;
    }
    body.append(bytes);
  };
  bool retryable = false;
  auto response = co_await Exchange(request, nullptr, on_body, &retryable);
  if (!response && retryable) {
    body.clear();
    response = co_await Exchange(request, nullptr, on_body, nullptr);
  }
  if (response && too_large) {
    co_return ResourceExhausted("the response from " + url_.host + " is larger than " +
                                std::to_string(body_limit_) + " bytes");
  }
  if (response) response->body = std::move(body);
  co_return response;
}

asio::awaitable<Result<HttpResponse>> HttpClient::Stream(HttpRequest request, HeadFn on_head,
                                                         BodyFn on_body) {
  auto self = shared_from_this();
  bool retryable = false;
  auto response = co_await Exchange(request, on_head, on_body, &retryable);
  if (!response && retryable) response = co_await Exchange(request, on_head, on_body, nullptr);
  co_return response;
}

// One request on one connection. `retryable` (when not null) is set when the
// request failed on a reused connection before any answer came: the server
// had closed it, and the request may go once more on a fresh one. Passing
// null forces a fresh connection.
asio::awaitable<Result<HttpResponse>> HttpClient::Exchange(const HttpRequest& request,
                                                           const HeadFn& on_head,
                                                           const BodyFn& on_body, bool* retryable) {
  std::unique_ptr<Connection> conn;
  const bool reused = retryable != nullptr && !idle_.empty();
  if (reused) {
    conn = std::move(idle_.back());
    idle_.pop_back();
  } else {
    conn = std::make_unique<Connection>(executor_);
  }
  if (request.timeout.count() > 0) {
    conn->stream.expires_after(request.timeout);
  } else {
    conn->stream.expires_never();
  }
  if (!reused) {
    tcp::resolver resolver(executor_);
    auto [rec, endpoints] = co_await resolver.async_resolve(url_.host, url_.port, kTuple);
    if (rec) co_return std::unexpected(NetworkError("resolve " + url_.host, rec));
    auto [cec, endpoint] = co_await conn->stream.async_connect(endpoints, kTuple);
    if (cec)
      co_return std::unexpected(NetworkError("connect to " + url_.host + ":" + url_.port, cec));
    conn->stream.socket().set_option(tcp::no_delay(true));
  }

  http::request<http::string_body> req{http::string_to_verb(request.method), request.target, 11};
  req.set(http::field::host, url_.host + ":" + url_.port);
  req.set(http::field::user_agent, "hitlgate-mcp");
  for (const auto& [name, value] : request.headers) req.set(name, value);
  if (!request.body.empty() || req.method() == http::verb::post) req.body() = request.body;
  req.keep_alive(true);
  req.prepare_payload();
  auto [wec, written] = co_await http::async_write(conn->stream, req, kTuple);
  if (wec) {
    if (reused && retryable != nullptr) *retryable = true;
    co_return std::unexpected(NetworkError("send to " + url_.host + ":" + url_.port, wec));
  }

  http::response_parser<http::buffer_body> parser;
  parser.body_limit(boost::none);  // Send() and the SSE reader bound what they keep
  auto [hec, head_bytes] =
      co_await http::async_read_header(conn->stream, conn->buffer, parser, kTuple);
  if (hec) {
    if (reused && retryable != nullptr && head_bytes == 0) *retryable = true;
    co_return std::unexpected(NetworkError("read from " + url_.host + ":" + url_.port, hec));
  }
  HttpResponse head;
  head.status = parser.get().result_int();
  for (const auto& field : parser.get()) {
    head.headers.emplace_back(Lower(field.name_string()), std::string(field.value()));
  }
  head.content_type = std::string(head.Header("content-type"));
  if (on_head && !on_head(head)) {
    beast::error_code ignored;
    conn->stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    co_return head;
  }
  std::vector<char> chunk(kReadChunk);
  while (!parser.is_done()) {
    parser.get().body().data = chunk.data();
    parser.get().body().size = chunk.size();
    auto [rec, n] = co_await http::async_read(conn->stream, conn->buffer, parser, kTuple);
    if (rec == http::error::need_buffer) rec = {};
    const size_t got = chunk.size() - parser.get().body().size;
    if (got > 0 && on_body) on_body(std::string_view(chunk.data(), got));
    if (rec)
      co_return std::unexpected(NetworkError("read from " + url_.host + ":" + url_.port, rec));
  }
  if (parser.keep_alive() && idle_.size() < kMaxIdleConnections) {
    conn->stream.expires_never();
    idle_.push_back(std::move(conn));
  }
  co_return head;
}

}  // namespace hitlgate::mcp
