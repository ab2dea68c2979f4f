// ServerChannel: the proxy's connection to one downstream MCP server, whatever
// carries it (a child process's stdio, or Streamable HTTP to a URL).
// Messages are whole JSON-RPC texts in both directions; the channel keeps
// their order toward the server.
//
// Threading: everything runs on the proxy's one io_context thread; none of
// these objects is thread-safe. Lifetime: channels are held by shared_ptr and
// keep themselves alive while their coroutines run; the listener must stay
// valid until Stop() is called (after Stop() it is never called again).
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace hitlgate::mcp {

class ServerListener {
 public:
  virtual ~ServerListener() = default;
  // One message from the server.
  virtual void OnServerMessage(std::string text) = 0;
  // A message over the size limit was dropped; `id` is its top-level id
  // (JSON text) when it could be read.
  virtual void OnServerMessageTooLarge(size_t bytes, std::string id) = 0;
  // The server is gone (exited, refused the connection, ended the session);
  // `why` says so for people. Called once.
  virtual void OnServerClosed(std::string why) = 0;
};

class ServerChannel {
 public:
  virtual ~ServerChannel() = default;
  // Starts the server (or the connection) and reading from it.
  virtual void Start(ServerListener* listener) = 0;
  // Queues one message for the server. After the server closed, dropped.
  virtual void Send(std::string text) = 0;
  // Ends the conversation politely (closes the child's stdin, then
  // terminates it if it lingers; DELETEs the HTTP session) and detaches the
  // listener.
  virtual void Stop() = 0;
  // Nothing is left to do after Stop(): the child was reaped, the session
  // deleted. The proxy exits once every channel is finished.
  virtual bool Finished() const = 0;
};

}  // namespace hitlgate::mcp
