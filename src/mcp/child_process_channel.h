// ChildProcessChannel: a downstream MCP server run as a child process that
// speaks newline-delimited JSON-RPC on its stdin and stdout (MCP's stdio
// transport). Its stderr is the proxy's, so its logs land where the client
// keeps the proxy's. When its stdout ends, the child is reaped and the
// listener hears how it exited. Stop() closes its stdin (the MCP way to ask
// a server to exit), then sends SIGTERM after 2 s and SIGKILL after 4 s.
//
// Same threading and lifetime rules as ServerChannel.
#pragma once

#include <sys/types.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "mcp/config.h"
#include "mcp/line_framer.h"
#include "mcp/server_channel.h"

namespace hitlgate::mcp {

class ChildProcessChannel final : public ServerChannel,
                                  public std::enable_shared_from_this<ChildProcessChannel> {
 public:
  ChildProcessChannel(boost::asio::any_io_executor executor, const ServerConfig& server,
                      size_t max_message_bytes);
  ~ChildProcessChannel() override;

  void Start(ServerListener* listener) override;
  void Send(std::string text) override;
  void Stop() override;
  bool Finished() const override { return pid_ <= 0; }

  pid_t pid() const { return pid_; }

 private:
  // Coroutines hold `self` so the channel outlives them.
  boost::asio::awaitable<void> ReadLoop(std::shared_ptr<ChildProcessChannel> self);
  boost::asio::awaitable<void> WriteLoop(std::shared_ptr<ChildProcessChannel> self);
  boost::asio::awaitable<void> Watchdog(std::shared_ptr<ChildProcessChannel> self);
  boost::asio::awaitable<void> Reap(bool terminate);
  void Closed(std::string why);

  boost::asio::any_io_executor executor_;
  std::string name_;
  std::vector<std::string> command_;
  std::vector<std::pair<std::string, std::string>> env_;
  std::string cwd_;
  LineFramer framer_;
  boost::asio::posix::stream_descriptor to_child_;
  boost::asio::posix::stream_descriptor from_child_;
  std::deque<std::string> outbox_;
  bool writing_ = false;
  bool stopping_ = false;
  bool reaping_ = false;
  pid_t pid_ = -1;
  int exit_status_ = -1;  // as waitpid reports it, once reaped
  ServerListener* listener_ = nullptr;
};

}  // namespace hitlgate::mcp
