// HttpServer: the listener and the thread pool around the sessions.
#include "api/http/server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdio>
#include <exception>

#include "api/http/session.h"
#include "api/http/tls.h"

namespace hitlgate::api {
namespace {

using tcp = asio::ip::tcp;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// Accepts on the acceptor's strand; each connection gets a strand of its own.
asio::awaitable<void> AcceptLoop(std::shared_ptr<ServerState> state,
                                 std::shared_ptr<tcp::acceptor> acceptor, asio::io_context& io) {
  asio::steady_timer backoff(acceptor->get_executor());
  for (;;) {
    auto strand = asio::make_strand(io);
    auto [ec, socket] = co_await acceptor->async_accept(strand, kTuple);
    if (state->stopping.load() || !acceptor->is_open() || ec == asio::error::operation_aborted)
      co_return;
    if (ec) {
      // Out of descriptors and the like: pause rather than spin on the error.
      backoff.expires_after(std::chrono::milliseconds(50));
      co_await backoff.async_wait(kTuple);
      continue;
    }
    if (state->connections.load() >= state->options.max_connections) {
      // Refusing one client beats starving all of them.
      boost::system::error_code ignored;
      socket.close(ignored);
      continue;
    }
    ++state->connections;
    auto executor = socket.get_executor();
    asio::co_spawn(executor, RunSession(std::move(socket), state), asio::detached);
  }
}

}  // namespace

HttpServer::HttpServer(ServerOptions options, std::shared_ptr<const Router> router)
    : options_(std::move(options)), router_(std::move(router)) {}

HttpServer::~HttpServer() { Stop(); }

size_t HttpServer::open_connections() const { return state_ ? state_->connections.load() : 0; }

Result<std::uint16_t> HttpServer::Start() {
  if (started_.exchange(true)) return FailedPrecondition("HttpServer::Start called twice");
  std::shared_ptr<asio::ssl::context> tls;
  if (options_.tls.enabled()) {
    auto made = MakeServerTlsContext(options_.tls);
    HITLGATE_RETURN_IF_ERROR(made);
    tls = std::move(*made);
  }
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(options_.address, ec);
  if (ec) return InvalidArgument("bad listen address '" + options_.address + "': " + ec.message());
  auto acceptor = std::make_shared<tcp::acceptor>(asio::make_strand(io_));
  const tcp::endpoint endpoint(address, options_.port);
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor->bind(endpoint, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return MakeError(ErrorCode::kUnavailable, "cannot listen on " + options_.address + ":" +
                                                  std::to_string(options_.port) + ": " +
                                                  ec.message());
  }
  const std::uint16_t port = acceptor->local_endpoint().port();

  state_ = std::make_shared<ServerState>();
  state_->options = options_;
  state_->router = router_;
  state_->acceptor = acceptor;
  state_->tls = std::move(tls);
  asio::co_spawn(acceptor->get_executor(), AcceptLoop(state_, acceptor, io_), asio::detached);

  const int n = options_.threads > 0
                    ? options_.threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 0; i < n; ++i) {
    threads_.emplace_back([this] {
      // A handler posted by someone else may throw; log it and keep serving.
      for (;;) {
        try {
          io_.run();
          return;
        } catch (const std::exception& e) {
          std::fprintf(stderr, "hitlgate: uncaught exception on an I/O thread: %s\n", e.what());
        } catch (...) {
          std::fprintf(stderr, "hitlgate: uncaught exception on an I/O thread\n");
        }
      }
    });
  }
  return port;
}

void HttpServer::Stop() {
  if (!state_ || stopped_.exchange(true)) return;
  state_->stopping = true;
  asio::post(state_->acceptor->get_executor(), [acceptor = state_->acceptor] {
    boost::system::error_code ec;
    acceptor->close(ec);
  });
  CloseAllSessions(*state_);
  {
    std::unique_lock lock(state_->mu);
    state_->all_closed.wait_for(lock, options_.stop_grace,
                                [this] { return state_->connections.load() == 0; });
  }
  // Handlers still running (a long poll, a slow store call) are abandoned;
  // their frames are destroyed with the io_context.
  io_.stop();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

}  // namespace hitlgate::api
