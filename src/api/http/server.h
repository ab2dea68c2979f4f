// HttpServer: HTTP/1.1 on Boost.Beast, one coroutine per connection (see
// session.h), each connection on its own strand. Handlers run on the I/O
// threads and hop to a BlockingPool for anything that blocks.
//
// Ownership: owns the io_context, its threads and every connection. The
// Router must stay unchanged while the server runs. Thread-safety: Start()
// once; Stop() from any thread, idempotent, also run by the destructor.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "api/http/router.h"
#include "api/http/tls.h"
#include "hitlgate/common/error.h"

namespace hitlgate::api {

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;    // 0 = any free port (Start() returns it)
  size_t body_limit = 1 << 20;  // bytes; over it: 413 and the connection closes
  // A request (header and body) must arrive within this, counted from its
  // first byte, or from the accept for a new connection; else the
  // connection closes. Also bounds each response write.
  std::chrono::seconds read_timeout{30};
  // How long a kept-alive connection may sit between requests.
  std::chrono::seconds idle_timeout{75};
  size_t max_connections = 10000;  // more are accepted and closed at once
  int threads = 0;                 // 0 = hardware concurrency
  size_t sse_queue_limit = 256;    // frames queued per SSE stream before it is dropped
  std::chrono::milliseconds sse_keepalive{15000};
  // Stop() lets in-flight handlers finish for this long, then abandons them.
  std::chrono::milliseconds stop_grace{2000};
  // Certificate and key: HTTPS only on this port (plain HTTP gets a 400).
  TlsOptions tls;
};

struct ServerState;  // session.h; shared by the server and its sessions

class HttpServer {
 public:
  HttpServer(ServerOptions options, std::shared_ptr<const Router> router);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the I/O threads; returns the bound port.
  // InvalidArgument for a bad address or unusable TLS files, Unavailable when it cannot listen,
  // FailedPrecondition when called twice.
  [[nodiscard]] Result<std::uint16_t> Start();
  // Stops accepting, closes every connection (SSE streams end, handlers see
  // their writers closed), waits up to stop_grace for in-flight handlers,
  // then stops the io_context and joins its threads.
  void Stop();  // never from an I/O thread (it joins them)

  // For handlers that need timers. Valid for the server's lifetime.
  asio::io_context& io() { return io_; }
  size_t open_connections() const;

 private:
  ServerOptions options_;
  std::shared_ptr<const Router> router_;
  asio::io_context io_;
  std::vector<std::thread> threads_;
  std::shared_ptr<ServerState> state_;
  std::atomic<bool> started_{false};
  std::atomic<bool> stopped_{false};
};

}  // namespace hitlgate::api
