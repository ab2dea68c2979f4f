#include "mcp/proxy_runner.h"

#include <signal.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>
#include <cstdio>
#include <functional>

#include "mcp/child_process_channel.h"
#include "mcp/gateway_api.h"
#include "mcp/http_server_channel.h"
#include "mcp/http_transport.h"
#include "mcp/proxy_session.h"
#include "mcp/stdio_transport.h"

namespace hitlgate::mcp {

namespace asio = boost::asio;

namespace {

// How long the proxy waits at exit for servers to stop and results to be recorded.
constexpr auto kDrainLimit = std::chrono::seconds(6);

void Say(const std::string& line) { std::fprintf(stderr, "hitlgate mcp: %s\n", line.c_str()); }

// Polls `done` until it holds or the drain limit passes, then stops `io`.
asio::awaitable<void> Drain(asio::io_context& io, std::function<bool()> done) {
  asio::steady_timer timer(io);
  const auto until = std::chrono::steady_clock::now() + kDrainLimit;
  while (!done() && std::chrono::steady_clock::now() < until) {
    timer.expires_after(std::chrono::milliseconds(20));
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  io.stop();
}

Result<std::pair<std::string, unsigned short>> ParseListen(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos)
    return InvalidArgument("--listen: expected address:port, got '" + listen + "'");
  std::string address = listen.substr(0, colon);
  if (address.size() >= 2 && address.front() == '[' && address.back() == ']') {
    address = address.substr(1, address.size() - 2);
  }
  unsigned port = 0;
  auto [end, err] = std::from_chars(listen.data() + colon + 1, listen.data() + listen.size(), port);
  if (err != std::errc() || end != listen.data() + listen.size() || port > 65535) {
    return InvalidArgument("--listen: bad port in '" + listen + "'");
  }
  return std::make_pair(address.empty() ? std::string("127.0.0.1") : address,
                        static_cast<unsigned short>(port));
}

std::shared_ptr<ServerChannel> ChannelFor(asio::io_context& io, const McpConfig& config,
                                          const ServerConfig& server) {
  if (server.url.empty()) {
    return std::make_shared<ChildProcessChannel>(io.get_executor(), server,
                                                 config.max_message_bytes);
  }
  return std::make_shared<HttpServerChannel>(io.get_executor(), server, config.max_message_bytes);
}

int RunStdio(asio::io_context& io, const McpConfig& config, const ServerConfig& server,
             std::shared_ptr<GatewayApi> gateway, const Clock& clock,
             crypto::RandomSource& random) {
  int status = 0;
  std::shared_ptr<ProxySession> session;
  std::shared_ptr<ServerChannel> channel = ChannelFor(io, config, server);
  bool ending = false;
  auto end = [&](std::string why) {
    if (ending) return;
    ending = true;
    if (!why.empty()) status = 1;
    session->Close();
    asio::co_spawn(io, Drain(io, [&] { return channel->Finished() && session->quiet(); }),
                   asio::detached);
  };
  StdioTransport stdio(io, config.max_message_bytes, end);
  session = std::make_shared<ProxySession>(io.get_executor(), config, server, gateway, clock,
                                           random.Hex(16), &stdio);
  session->Start(channel);
  stdio.Start(session);
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (!ec) end({});
  });
  io.run();
  return status;
}

int RunHttp(asio::io_context& io, const McpConfig& config, const ServerConfig* default_server,
            const std::string& listen, std::shared_ptr<GatewayApi> gateway, const Clock& clock,
            crypto::RandomSource& random) {
  auto where = ParseListen(listen);
  if (!where) {
    Say(where.error().message());
    return 2;
  }
  HttpTransport http(io, config, default_server, gateway, clock, random);
  auto port = http.Listen(where->first, where->second);
  if (!port) {
    Say(port.error().message());
    return 2;
  }
  const std::string host =
      where->first.find(':') != std::string::npos ? "[" + where->first + "]" : where->first;
  const std::string base = "http://" + host + ":" + std::to_string(*port);
  for (const ServerConfig& s : config.servers) Say("listening on " + base + "/mcp/" + s.name);
  if (default_server != nullptr)
    Say("listening on " + base + "/mcp (" + default_server->name + ")");
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec) return;
    http.Shutdown();
    asio::co_spawn(io, Drain(io, [&] { return http.Finished(); }), asio::detached);
  });
  io.run();
  return 0;
}

}  // namespace

int RunProxy(const ProxyOptions& options, const Clock& clock, crypto::RandomSource& random) {
  // A child or client that went away must not kill the proxy with SIGPIPE.
  ::signal(SIGPIPE, SIG_IGN);
  const McpConfig& config = options.config;
  const ServerConfig* server = nullptr;
  if (!options.server.empty()) {
    server = config.FindServer(options.server);
    if (server == nullptr) {
      Say("no server named '" + options.server + "' in the configuration");
      return 2;
    }
  } else if (config.servers.size() == 1) {
    server = &config.servers.front();
  }
  if (options.listen.empty() && server == nullptr) {
    Say("the configuration names several servers: choose one with --server");
    return 2;
  }
  asio::io_context io(1);
  auto gateway = GatewayApi::Create(io.get_executor(), config.gateway, options.api_key);
  if (!gateway) {
    Say(gateway.error().message());
    return 2;
  }
  if (options.listen.empty()) return RunStdio(io, config, *server, *gateway, clock, random);
  return RunHttp(io, config, server, options.listen, *gateway, clock, random);
}

}  // namespace hitlgate::mcp
