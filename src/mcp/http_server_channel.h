// HttpServerChannel: a downstream MCP server reached by URL over the
// Streamable HTTP transport (MCP 2025-03-26 and later). Each message is a
// POST; the answer is 202 (nothing to relay), one JSON message, or an SSE
// stream of messages. The Mcp-Session-Id the server assigns on initialize
// goes with every later request, and so does MCP-Protocol-Version once the
// server named one. After notifications/initialized a GET stream is opened
// for the server's own requests and notifications (a 405 means the server has
// none). Messages keep their order: the next POST leaves once the previous
// one's answer has begun.
//
// A request the server cannot take (connection refused, an HTTP error) gets
// an error response in its name; a 404 on the session means the server ended
// it, which closes the channel. Same threading and lifetime rules as
// ServerChannel.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <deque>
#include <memory>
#include <string>

#include "mcp/config.h"
#include "mcp/http_client.h"
#include "mcp/server_channel.h"

namespace hitlgate::mcp {

class HttpServerChannel final : public ServerChannel,
                                public std::enable_shared_from_this<HttpServerChannel> {
 public:
  HttpServerChannel(boost::asio::any_io_executor executor, const ServerConfig& server,
                    size_t max_message_bytes);

  void Start(ServerListener* listener) override;
  void Send(std::string text) override;
  void Stop() override;
  bool Finished() const override { return finished_; }

 private:
  struct Exchange;
  boost::asio::awaitable<void> SendLoop(std::shared_ptr<HttpServerChannel> self);
  boost::asio::awaitable<void> Post(std::shared_ptr<HttpServerChannel> self,
                                    std::shared_ptr<Exchange> exchange);
  boost::asio::awaitable<void> Listen(std::shared_ptr<HttpServerChannel> self);
  boost::asio::awaitable<void> Delete(std::shared_ptr<HttpServerChannel> self);
  HttpRequest NewRequest(std::string method) const;
  void Deliver(std::string text);
  void Fail(const std::string& request_text, const std::string& why);
  void Closed(std::string why);

  boost::asio::any_io_executor executor_;
  std::string name_;
  std::string url_text_;
  size_t max_message_bytes_;
  std::shared_ptr<HttpClient> http_;
  std::deque<std::string> outbox_;
  bool sending_ = false;
  bool listening_ = false;
  bool stopped_ = false;
  bool finished_ = false;
  std::string session_id_;
  std::string protocol_version_;
  ServerListener* listener_ = nullptr;
};

}  // namespace hitlgate::mcp
