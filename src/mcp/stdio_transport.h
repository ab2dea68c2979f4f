// StdioTransport: the client side of `hitlgate mcp` when the client started
// it: newline-delimited JSON-RPC on the proxy's own stdin and stdout. stdin
// is read on a thread of its own (poll and read work for pipes, files and
// terminals alike) and handed to the io_context thread; stdout is written
// from the io_context thread with blocking writes (the client reads its end
// all the time; a client that stops reading has stopped the session anyway).
// Nothing else may write to stdout.
//
// Threading: Start() and the ClientSink calls on the io_context thread.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "mcp/line_framer.h"
#include "mcp/proxy_session.h"

namespace hitlgate::mcp {

class StdioTransport final : public ClientSink {
 public:
  // `on_end(why)` runs on the io_context thread once: stdin ended (why is
  // empty) or the server went away (why says how).
  StdioTransport(boost::asio::io_context& io, size_t max_message_bytes,
                 std::function<void(std::string)> on_end);
  // Stops and joins the reader thread.
  ~StdioTransport() override;

  // Starts reading stdin into `session`.
  void Start(std::shared_ptr<ProxySession> session);

  void ToClient(std::string text, std::string_view request_id, bool is_response) override;
  void SessionEnded(std::string_view why) override;

 private:
  void End(std::string why);
  void ReadStdin();

  boost::asio::io_context& io_;
  LineFramer framer_;
  std::function<void(std::string)> on_end_;
  std::shared_ptr<ProxySession> session_;
  bool ended_ = false;
  bool stdout_broken_ = false;
  std::atomic<bool> stop_reading_{false};
  std::thread reader_;
};

}  // namespace hitlgate::mcp
