// HttpClient: an asynchronous HTTP/1.1 client (Boost.Beast) for one host,
// used for the gateway's API and for downstream MCP servers reached by URL.
// Keeps idle keep-alive connections for reuse and opens more when all are
// busy (a long-poll holds one). A request on a reused connection that the
// server had closed in between is sent once more on a fresh one. Beast stays
// in http_client.cc.
//
// Threading: one io_context thread; not thread-safe. Lifetime: hold it by
// shared_ptr; pending requests keep it alive.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hitlgate/common/error.h"

namespace hitlgate::mcp {

// http://host[:port][/path]. InvalidArgument otherwise (https is refused:
// TLS is not supported yet).
struct HttpUrl {
  std::string host;
  std::string port = "80";
  std::string path = "/";
};
[[nodiscard]] Result<HttpUrl> ParseHttpUrl(std::string_view url);

struct HttpRequest {
  std::string method = "GET";  // GET, POST, DELETE
  std::string target = "/";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // For the whole exchange (connect, write, read); zero: no limit (streams).
  std::chrono::milliseconds timeout{0};
};

struct HttpResponse {
  unsigned status = 0;
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;                                          // empty for streamed bodies

  // The first header of that (lower-case) name, or empty.
  std::string_view Header(std::string_view name) const;
};

class HttpClient : public std::enable_shared_from_this<HttpClient> {
 public:
  // `body_limit`: larger bodies fail the request with ResourceExhausted.
  HttpClient(boost::asio::any_io_executor executor, HttpUrl url, size_t body_limit);
  ~HttpClient();

  // The whole response. Unavailable when the connection fails,
  // DeadlineExceeded after the timeout.
  boost::asio::awaitable<Result<HttpResponse>> Send(HttpRequest request);

  // Calls `on_head` when the response's head arrived (it may return false to
  // stop reading), then `on_body` with the body's bytes as they arrive.
  // Returns the head when the body ended.
  using HeadFn = std::function<bool(const HttpResponse&)>;
  using BodyFn = std::function<void(std::string_view)>;
  boost::asio::awaitable<Result<HttpResponse>> Stream(HttpRequest request, HeadFn on_head,
                                                      BodyFn on_body);

  // Closes idle connections.
  void Shutdown();

  const HttpUrl& url() const { return url_; }

 private:
  struct Connection;
  boost::asio::awaitable<Result<HttpResponse>> Exchange(const HttpRequest& request,
                                                        const HeadFn& on_head,
                                                        const BodyFn& on_body, bool* retryable);

  boost::asio::any_io_executor executor_;
  HttpUrl url_;
  size_t body_limit_;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace hitlgate::mcp
