#include "mcp/http_server_channel.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json.hpp>

#include "mcp/async_queue.h"
#include "mcp/json_rpc.h"
#include "mcp/log.h"
#include "mcp/sse_parser.h"

namespace hitlgate::mcp {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr auto kDeleteTimeout = std::chrono::seconds(2);

}  // namespace

// One POST and the signal that its answer has begun.
struct HttpServerChannel::Exchange {
  explicit Exchange(asio::any_io_executor executor, std::string body)
      : text(std::move(body)), head(executor) {}
  std::string text;
  AsyncQueue<bool> head;
  bool head_seen = false;
};

HttpServerChannel::HttpServerChannel(asio::any_io_executor executor, const ServerConfig& server,
                                     size_t max_message_bytes)
    : executor_(executor),
      name_(server.name),
      url_text_(server.url),
      max_message_bytes_(max_message_bytes) {}

void HttpServerChannel::Start(ServerListener* listener) {
  listener_ = listener;
  auto url = ParseHttpUrl(url_text_);
  if (!url) return Closed("the MCP server '" + name_ + "' has a bad url: " + url.error().message());
  http_ = std::make_shared<HttpClient>(executor_, std::move(*url), max_message_bytes_);
}

HttpRequest HttpServerChannel::NewRequest(std::string method) const {
  HttpRequest request;
  request.method = std::move(method);
  request.target = http_->url().path;
  request.headers.emplace_back("Accept", "application/json, text/event-stream");
  if (!session_id_.empty()) request.headers.emplace_back("Mcp-Session-Id", session_id_);
  if (!protocol_version_.empty())
    request.headers.emplace_back("MCP-Protocol-Version", protocol_version_);
  return request;
}

void HttpServerChannel::Send(std::string text) {
  if (listener_ == nullptr || http_ == nullptr) return;
  outbox_.push_back(std::move(text));
  if (!sending_) {
    sending_ = true;
    asio::co_spawn(executor_, SendLoop(shared_from_this()), asio::detached);
  }
}

asio::awaitable<void> HttpServerChannel::SendLoop(std::shared_ptr<HttpServerChannel> self) {
  while (!outbox_.empty() && !stopped_) {
    auto exchange = std::make_shared<Exchange>(executor_, std::move(outbox_.front()));
    outbox_.pop_front();
    // Parsed, not searched: a tool argument that quotes the method name must
    // not open the listening stream early.
    const auto message = ParseMessage(exchange->text);
    const bool initialized = message && message->kind == MessageKind::kNotification &&
                             message->method == "notifications/initialized";
    asio::co_spawn(executor_, Post(self, exchange), asio::detached);
    // Order: the next message leaves once the server has begun to answer this one.
    auto accepted = co_await exchange->head.Pop();
    if (initialized && accepted.value_or(false) && !listening_) {
      listening_ = true;
      asio::co_spawn(executor_, Listen(self), asio::detached);
    }
  }
  sending_ = false;
}

asio::awaitable<void> HttpServerChannel::Post(std::shared_ptr<HttpServerChannel> /*self*/,
                                              std::shared_ptr<Exchange> exchange) {
  HttpRequest request = NewRequest("POST");
  request.headers.emplace_back("Content-Type", "application/json");
  request.body = exchange->text;
  SseParser sse(max_message_bytes_);
  std::string body;
  bool is_sse = false;
  bool too_large = false;
  auto deliver = [this](std::string data) { Deliver(std::move(data)); };
  auto oversize = [&](size_t) { too_large = true; };
  auto on_head = [&](const HttpResponse& head) {
    if (std::string_view sid = head.Header("mcp-session-id"); !sid.empty())
      session_id_ = std::string(sid);
    is_sse = head.content_type.starts_with("text/event-stream");
    exchange->head_seen = true;
    exchange->head.Push(head.status < 300);
    return true;
  };
  auto on_body = [&](std::string_view bytes) {
    if (is_sse) {
      sse.Feed(bytes, deliver, oversize);
    } else if (body.size() + bytes.size() <= max_message_bytes_) {
      body.append(bytes);
    } else {
      too_large = true;
    }
  };
  auto response = co_await http_->Stream(std::move(request), on_head, on_body);
  if (!exchange->head_seen) exchange->head.Push(false);
  if (!response) {
    co_return Fail(exchange->text, "could not reach the MCP server '" + name_ + "' at " +
                                       url_text_ + ": " + response.error().message());
  }
  if (response->status == 404 && !session_id_.empty()) {
    co_return Closed("the MCP server '" + name_ + "' ended the session (HTTP 404)");
  }
  if (response->status >= 300) {
    co_return Fail(exchange->text, "the MCP server '" + name_ + "' answered HTTP " +
                                       std::to_string(response->status) + ": " +
                                       body.substr(0, 200));
  }
  if (too_large) {
    co_return Fail(exchange->text, "the MCP server's answer is over the limit of " +
                                       std::to_string(max_message_bytes_) +
                                       " bytes (max_message_bytes)");
  }
  if (!is_sse && !body.empty()) Deliver(std::move(body));
}

asio::awaitable<void> HttpServerChannel::Listen(std::shared_ptr<HttpServerChannel> /*self*/) {
  HttpRequest request = NewRequest("GET");
  request.headers[0].second = "text/event-stream";
  SseParser sse(max_message_bytes_);
  auto deliver = [this](std::string data) { Deliver(std::move(data)); };
  auto oversize = [this](size_t bytes) {
    if (listener_ != nullptr) listener_->OnServerMessageTooLarge(bytes, {});
  };
  auto on_head = [](const HttpResponse& head) {
    return head.status == 200 && head.content_type.starts_with("text/event-stream");
  };
  auto on_body = [&](std::string_view bytes) { sse.Feed(bytes, deliver, oversize); };
  auto response = co_await http_->Stream(std::move(request), on_head, on_body);
  if (!response && !stopped_)
    LogServer(name_, "the server's event stream ended: " + response.error().message());
}

asio::awaitable<void> HttpServerChannel::Delete(std::shared_ptr<HttpServerChannel> /*self*/) {
  HttpRequest request = NewRequest("DELETE");
  request.timeout = kDeleteTimeout;
  auto ignored = co_await http_->Send(std::move(request));
  (void)ignored;  // best effort: the server forgets idle sessions anyway
  http_->Shutdown();
  finished_ = true;
}

void HttpServerChannel::Deliver(std::string text) {
  if (listener_ == nullptr) return;
  // Messages must be one line each for the stdio side, and batches are split.
  const bool multi_line = text.find_first_of("\r\n") != std::string::npos;
  const bool maybe_batch = !text.empty() && text.find_first_not_of(" \t") != std::string::npos &&
                           text[text.find_first_not_of(" \t")] == '[';
  const bool need_version =
      protocol_version_.empty() && text.find("protocolVersion") != std::string::npos;
  if (multi_line || maybe_batch || need_version) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (!ec) {
      if (need_version && v.is_object()) {
        const json::value* result = v.get_object().if_contains("result");
        const json::value* version = result != nullptr && result->is_object()
                                         ? result->get_object().if_contains("protocolVersion")
                                         : nullptr;
        if (version != nullptr && version->is_string())
          protocol_version_ = std::string(version->get_string());
      }
      if (v.is_array()) {
        for (const json::value& item : v.get_array()) {
          if (listener_ != nullptr) listener_->OnServerMessage(json::serialize(item));
        }
        return;
      }
      if (multi_line) text = json::serialize(v);
    }
  }
  listener_->OnServerMessage(std::move(text));
}

void HttpServerChannel::Fail(const std::string& request_text, const std::string& why) {
  auto message = ParseMessage(request_text);
  if (message && message->kind == MessageKind::kRequest && listener_ != nullptr) {
    listener_->OnServerMessage(
        ErrorResponse(message->id, kServerUnavailable, "hitlgate mcp: " + why));
    return;
  }
  LogServer(name_, why);
}

void HttpServerChannel::Closed(std::string why) {
  if (listener_ == nullptr) return;
  ServerListener* listener = listener_;
  listener_ = nullptr;
  listener->OnServerClosed(std::move(why));
}

void HttpServerChannel::Stop() {
  listener_ = nullptr;
  stopped_ = true;
  if (http_ != nullptr && !session_id_.empty()) {
    asio::co_spawn(executor_, Delete(shared_from_this()), asio::detached);
  } else {
    if (http_ != nullptr) http_->Shutdown();
    finished_ = true;
  }
}

}  // namespace hitlgate::mcp
