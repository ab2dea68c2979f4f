// Session: one HTTP/1.1 connection served by one coroutine, as in Beast's
// awaitable server example: read a request (with a body limit and a read
// timeout), route it, write the response, repeat while keep-alive. Requests
// are answered strictly in order, one at a time, so pipelined requests are
// safe and at most one response is ever queued per connection; SSE streams
// have their own bounded queue (SseWriter). Beast lives only in session.cc.
//
// Internal to api/http. ServerState is shared (shared_ptr) by the server and
// every session, so it outlives the last coroutine frame even when the
// io_context destroys abandoned frames. Thread-safety: ServerState's
// members are atomics or guarded by `mu`.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "api/http/router.h"
#include "api/http/server.h"
#include "hitlgate/common/thread_annotations.h"

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace hitlgate::api {

class Connection;  // session.cc

struct ServerState {
  ServerOptions options;
  std::shared_ptr<const Router> router;
  std::atomic<bool> stopping{false};
  // Sessions running, plus SSE handler coroutines still running after theirs.
  std::atomic<size_t> connections{0};
  std::shared_ptr<asio::ip::tcp::acceptor> acceptor;  // set by Start(), then constant
  std::shared_ptr<asio::ssl::context> tls;             // null: plain HTTP; set by Start()

  std::mutex mu;
  std::condition_variable all_closed;  // signalled when `connections` hits 0
  std::unordered_map<std::uint64_t, std::weak_ptr<Connection>> live HITLGATE_GUARDED_BY(mu);
  std::uint64_t next_id HITLGATE_GUARDED_BY(mu) = 1;
};

// Serves `socket` until the client leaves, a timeout, an error or shutdown.
// The caller has already counted it in state->connections; the session
// uncounts it when it ends. Never throws.
asio::awaitable<void> RunSession(asio::ip::tcp::socket socket, std::shared_ptr<ServerState> state);

// Closes every live connection (on its strand). Thread-safe.
void CloseAllSessions(ServerState& state);

}  // namespace hitlgate::api
