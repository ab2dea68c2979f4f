// HttpTransport: `hitlgate mcp --listen`: the proxy as a Streamable HTTP MCP
// endpoint (MCP 2025-03-26 / 2025-06-18). Each configured server is served at
// /mcp/<name> (and at /mcp when there is one default server). Per path:
//   POST    one JSON-RPC message. `initialize` opens a session (a new
//           downstream: a child process or a session with the URL) and the
//           answer names it in Mcp-Session-Id; every later request must send
//           it (400 without, 404 for an unknown one). Notifications and
//           responses get 202. A request gets its response as JSON, or as an
//           SSE stream when other messages (progress) come first.
//   GET     an SSE stream of the session's messages that belong to no
//           request (the server's own requests and notifications).
//   DELETE  ends the session.
// Requests with an Origin header from anywhere but localhost are refused
// (403), against DNS rebinding; bodies over max_message_bytes get 413.
// Sessions idle for session_idle are closed.
//
// Threading: one io_context thread; not thread-safe. `config`, `clock` and
// `random` must outlive it.
#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>

#include "hitlgate/common/clock.h"
#include "hitlgate/common/error.h"
#include "hitlgate/crypto/random.h"
#include "mcp/config.h"
#include "mcp/gateway_api.h"

namespace hitlgate::mcp {

class HttpTransport {
 public:
  // `default_server` (may be null) is also served at /mcp.
  HttpTransport(boost::asio::io_context& io, const McpConfig& config,
                const ServerConfig* default_server, std::shared_ptr<GatewayApi> gateway,
                const Clock& clock, crypto::RandomSource& random);
  ~HttpTransport();

  // Binds and starts accepting. Returns the port (useful with port 0).
  [[nodiscard]] Result<unsigned short> Listen(const std::string& address, unsigned short port);

  // Stops accepting and ends every session; Finished() tells when their
  // downstreams are done and their results recorded.
  void Shutdown();
  bool Finished() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace hitlgate::mcp
