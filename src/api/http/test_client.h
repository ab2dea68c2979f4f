// TestClient and SseClient: small synchronous HTTP/1.1 clients for tests
// that talk to a real HttpServer over loopback. Every call has a timeout,
// so a broken server fails a test instead of hanging it. Beast stays in
// test_client.cc.
//
// Ownership: each client owns its own io_context and connection.
// Thread-safety: one thread per client; use one client per thread.
#pragma once

#include <boost/beast/http/verb.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hitlgate/common/error.h"

namespace hitlgate::api::testing {

namespace http = boost::beast::http;

using Headers = std::vector<std::pair<std::string, std::string>>;

struct TestResponse {
  unsigned status = 0;
  Headers headers;  // names lower-cased
  std::string body;
  bool keep_alive = false;  // the server will keep the connection open
  // First value of the header (name matched case-insensitively); "" if none.
  std::string Header(std::string_view name) const;
};

struct SseEvent {
  std::string event;  // "" when the frame named none
  std::string data;   // "data:" lines joined with '\n'
  std::string id;
};

class TestClient {
 public:
  explicit TestClient(std::uint16_t port, std::string host = "127.0.0.1");
  ~TestClient();
  TestClient(const TestClient&) = delete;
  TestClient& operator=(const TestClient&) = delete;

  // Sends one request and reads its response on this client's connection,
  // opened on first use and reused while both sides keep it alive.
  // Unavailable when the connection fails, DeadlineExceeded on timeout.
  Result<TestResponse> Request(http::verb method, std::string_view target,
                               std::string_view body = {}, const Headers& headers = {});
  // Writes raw bytes (malformed or pipelined requests).
  Result<void> Write(std::string_view bytes);
  // Reads the next response from the connection.
  Result<TestResponse> ReadResponse(bool head = false);
  // True when the server closes the connection within `timeout`; bytes it
  // sends first are discarded.
  bool WaitForClose(std::chrono::milliseconds timeout);
  // Opens the connection now (normally done by the first request).
  Result<void> Connect();
  void Close();
  // Connections opened so far (1 after any number of kept-alive requests).
  size_t connects() const;

  void set_timeout(std::chrono::milliseconds timeout) { timeout_ = timeout; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::chrono::milliseconds timeout_{10000};
};

class SseClient {
 public:
  explicit SseClient(std::uint16_t port, std::string host = "127.0.0.1");
  ~SseClient();
  SseClient(const SseClient&) = delete;
  SseClient& operator=(const SseClient&) = delete;

  // Sends GET `target` and reads the response header. For a non-stream
  // answer (an error) the body is read too.
  Result<TestResponse> Open(std::string_view target, const Headers& headers = {},
                            std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // Reads until `n` events arrived (comment lines do not count), the stream
  // ended, or `timeout` passed; returns the events read, in order.
  std::vector<SseEvent> ReadEvents(size_t n, std::chrono::milliseconds timeout);
  // Comment lines (keep-alives) seen so far.
  size_t comments() const;
  // True once the server ended the stream or closed the connection.
  bool ended() const;
  void Close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hitlgate::api::testing
