// HttpServer: HTTP/1.1 on Boost.Beast with one coroutine per connection (as
// in Beast's awaitable server example), each on its own strand. Per request:
// a header and body limit (413 over it), a read timeout, keep-alive; SSE
// responses stream until the client leaves. Handlers run on the I/O threads
// and hop to a BlockingPool for anything that blocks.
//
// Thread-safe: Start() once, Stop() from any thread (idempotent).
#pragma once

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "api/http/router.h"
#include "hitlgate/common/error.h"

namespace hitlgate::api {

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 = any free port
  size_t body_limit = 1 << 20;
  std::chrono::seconds read_timeout{30};
  size_t max_connections = 10000;
  int threads = 0;  // 0 = hardware concurrency
  size_t sse_queue_limit = 256;
  std::chrono::milliseconds sse_keepalive{15000};
};

class HttpServer {
 public:
  HttpServer(ServerOptions options, std::shared_ptr<const Router> router);
  ~HttpServer();

  // Binds, listens and starts the I/O threads. Returns the bound port.
  // Unavailable when the address cannot be bound.
  [[nodiscard]] Result<std::uint16_t> Start();
  void Stop();
  asio::io_context& io() { return io_; }
  size_t open_connections() const { return connections_.load(); }

  struct State;  // shared with sessions

 private:
  ServerOptions options_;
  std::shared_ptr<const Router> router_;
  asio::io_context io_;
  std::vector<std::thread> threads_;
  std::shared_ptr<State> state_;
  std::atomic<size_t> connections_{0};
  std::atomic<bool> stopped_{false};
};

}  // namespace hitlgate::api
