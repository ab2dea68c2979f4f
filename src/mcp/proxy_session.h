// ProxySession: one MCP session between a client and a downstream server,
// with hitlgate in the middle. Every message passes through unchanged except:
//   - tools/call: asked of the gateway first (tool_gate.h has the mapping);
//     forwarded, forwarded with a reviewer's edits, or answered by the proxy
//     with a tool error or a "pending approval" result. Held calls wait for
//     the verdict up to the configured limit, with notifications/progress to
//     a client that sent a progressToken. A client's notifications/cancelled
//     for a call still at the gateway ends it: it is never forwarded later.
//   - tools/list results: the tools' annotations are remembered (they decide
//     the intent policies see) and hitlgate_task_status is appended. A call
//     of a tool the client never listed makes the proxy list the tools
//     itself first (its own request ids start with "hitlgate-mcp-").
//   - results of gated calls are reported to the gateway as events, once no
//     call is being decided or run (so a report never makes the next call's
//     event wait behind it at the gateway, which takes one event of an
//     interaction at a time), at most kReportSettle after the last activity.
// Failures close the gate: an unreachable gateway, an unreadable answer or a
// server that died answer the call with an error, never by forwarding it.
//
// Transports feed it client messages (stdio_transport.h, http_transport.h)
// and a ServerChannel feeds it the server's.
//
// Threading: one io_context thread; not thread-safe. Lifetime: held by
// shared_ptr; its coroutines keep it alive. `sink`, `config`, `server` and
// `clock` must outlive it.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "hitlgate/common/clock.h"
#include "mcp/async_queue.h"
#include "mcp/config.h"
#include "mcp/gateway_api.h"
#include "mcp/json_rpc.h"
#include "mcp/server_channel.h"
#include "mcp/tool_gate.h"

namespace hitlgate::mcp {

// Where the session's messages for the client go.
class ClientSink {
 public:
  virtual ~ClientSink() = default;
  // One message for the client. `request_id` (JSON text) names the client
  // request it belongs to, empty when none; `is_response` is true when it is
  // that request's response (its last message).
  virtual void ToClient(std::string text, std::string_view request_id, bool is_response) = 0;
  // The downstream server is gone; every pending request has been answered.
  virtual void SessionEnded(std::string_view why) = 0;
  // The request gets no response: the client cancelled it.
  virtual void Abandon(std::string_view /*request_id*/) {}
};

inline constexpr std::string_view kStatusToolName = "hitlgate_task_status";
// _meta keys a client may set on a tools/call to place it.
inline constexpr std::string_view kMetaInteraction = "hitlgate.dev/interaction_id";
inline constexpr std::string_view kMetaCustomer = "hitlgate.dev/customer_id";
inline constexpr std::string_view kMetaWorkflow = "hitlgate.dev/workflow";

class ProxySession final : public ServerListener,
                           public std::enable_shared_from_this<ProxySession> {
 public:
  // `session_id` makes this session's event ids unique (random in production).
  ProxySession(boost::asio::any_io_executor executor, const McpConfig& config,
               const ServerConfig& server, std::shared_ptr<GatewayApi> gateway, const Clock& clock,
               std::string session_id, ClientSink* sink);
  ~ProxySession() override;

  void Start(std::shared_ptr<ServerChannel> channel);
  // A client message as text (stdio): parse errors are answered here.
  void FromClientText(std::string text);
  // A client message the transport parsed already (HTTP).
  void FromClient(Message message, std::string text);
  // A client message over the size limit; `id` as the framer found it.
  void FromClientTooLarge(size_t bytes, std::string_view id);
  // Stops the server and detaches the sink.
  void Close();

  const std::string& session_id() const { return session_id_; }
  bool server_closed() const { return server_closed_; }
  // No result report is waiting or on its way to the gateway.
  bool quiet() const { return reports_.empty() && !reporting_; }

  // ServerListener.
  void OnServerMessage(std::string text) override;
  void OnServerMessageTooLarge(size_t bytes, std::string id) override;
  void OnServerClosed(std::string why) override;

 private:
  // A client request sent on to the server, awaiting its response.
  struct Forwarded {
    std::string method;
    bool gated = false;  // a tools/call the gateway checked: report its result
    ToolCall call;
    CallContext context;
    std::string task_id;
  };
  // A call that waited past the limit: the agent may call again to go on.
  struct Held {
    std::string task_id;
    CallContext context;
  };
  struct ToolInfo {
    ToolKind kind = ToolKind::kDestructive;
    std::string annotations_json;
  };

  boost::asio::awaitable<void> HandleToolCall(std::shared_ptr<ProxySession> self, Message message,
                                              std::string text);
  boost::asio::awaitable<CallPlan> WaitForVerdict(std::string id, std::string task_id,
                                                  const ToolCall& call, std::string progress_token);
  boost::asio::awaitable<void> AnswerStatus(std::shared_ptr<ProxySession> self, std::string id,
                                            std::string task_id);
  // Sends queued result reports while the session is idle.
  boost::asio::awaitable<void> ReportResults(std::shared_ptr<ProxySession> self);
  void QueueReport(Forwarded call, std::string result_text, bool is_error);
  // A call's event is at the gateway, or a gated call is at the server.
  bool Busy() const;

  void Forward(const std::string& id, std::string text, Forwarded entry);
  void Reply(std::string_view id, std::string text);
  std::string AugmentToolsList(const Message& response, const std::string& text);
  // Caches the annotations of a tools/list result's tools; true when the
  // server has a tool named like the status tool.
  bool RememberTools(const boost::json::object& result);
  // Reads the server's tools/list itself (all pages), once per session.
  boost::asio::awaitable<void> ListToolsItself();
  CallContext ContextFor(const boost::json::object* meta);

  boost::asio::any_io_executor executor_;
  const McpConfig& config_;
  const ServerConfig& server_;
  std::shared_ptr<GatewayApi> gateway_;
  const Clock& clock_;
  std::string session_id_;
  ClientSink* sink_;
  std::shared_ptr<ServerChannel> channel_;
  bool server_closed_ = false;
  std::string closed_why_;

  std::uint64_t call_seq_ = 0;
  int deciding_ = 0;  // calls whose event is at the gateway
  std::chrono::steady_clock::time_point last_activity_{};
  struct Report {
    Forwarded call;
    std::string text;
    bool is_error = false;
  };
  std::deque<Report> reports_;
  bool reporting_ = false;                                       // ReportResults is running
  std::unordered_map<std::string, Forwarded> forwarded_;         // by request id
  std::unordered_set<std::string> at_gateway_;                   // tools/call ids being checked
  std::unordered_set<std::string> cancelled_;                    // ... that the client cancelled
  std::unordered_map<std::string, std::string> progress_owner_;  // progressToken -> request id
  std::unordered_map<std::string, ToolInfo> tools_;              // from tools/list
  bool tools_listed_ = false;                                    // a tools/list result was seen
  bool listing_ = false;                                         // ListToolsItself is running
  bool listed_itself_ = false;                                   // ... and has run
  std::uint64_t own_request_seq_ = 0;
  std::unordered_map<std::string, std::shared_ptr<AsyncQueue<std::string>>> own_requests_;  // by id
  std::unordered_map<std::string, Held> held_;  // tool + canonical arguments -> task
  std::unordered_map<std::string, std::string>
      task_tools_;  // task id -> tool, this session's tasks
};

}  // namespace hitlgate::mcp
