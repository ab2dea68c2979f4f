#include "api/webhooks/webhook_sender.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>

#include "hitlgate/crypto/mac.h"
#include "hitlgate/crypto/sealed_secret.h"

namespace hitlgate::api {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;

struct Url {
  std::string host;
  std::string port;
  std::string target;
};

// http://host[:port]/path. https needs TLS, which arrives with the hardened
// server; until then such webhooks fail visibly with a clear error.
Result<Url> ParseUrl(std::string_view url) {
  constexpr std::string_view kHttp = "http://";
  if (!url.starts_with(kHttp)) return InvalidArgument("only http:// webhooks are supported yet");
  url.remove_prefix(kHttp.size());
  size_t slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  Url out;
  out.target = slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
  size_t colon = authority.rfind(':');
  if (colon == std::string_view::npos) {
    out.host = std::string(authority);
    out.port = "80";
  } else {
    out.host = std::string(authority.substr(0, colon));
    out.port = std::string(authority.substr(colon + 1));
  }
  if (out.host.empty()) return InvalidArgument("webhook url has no host");
  return out;
}

// One synchronous POST with a deadline; the HTTP status or an error.
Result<unsigned> Post(const Url& url, const store::OutboxMessage& m, const std::string& secret,
                      std::int64_t unix_seconds, std::chrono::seconds timeout) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  asio::ip::tcp::resolver resolver(io);
  beast::error_code ec;
  auto endpoints = resolver.resolve(url.host, url.port, ec);
  if (ec) return Unavailable("resolve " + url.host + ": " + ec.message());
  stream.expires_after(timeout);
  stream.connect(endpoints, ec);
  if (ec) return Unavailable("connect: " + ec.message());
  http::request<http::string_body> req{http::verb::post, url.target, 11};
  req.set(http::field::host, url.host);
  req.set(http::field::content_type, "application/json");
  req.set(http::field::user_agent, "hitlgate-webhook/1");
  const std::string ts = std::to_string(unix_seconds);
  req.set("X-Hitlgate-Event", m.event_type);
  req.set("X-Hitlgate-Delivery", std::to_string(m.id));
  req.set("X-Hitlgate-Timestamp", ts);
  req.set("X-Hitlgate-Signature", "sha256=" + crypto::HmacSha256Hex(secret, ts + "." + m.payload_json));
  req.body() = m.payload_json;
  req.prepare_payload();
  stream.expires_after(timeout);
  http::write(stream, req, ec);
  if (ec) return Unavailable("send: " + ec.message());
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  stream.expires_after(timeout);
  http::read(stream, buffer, res, ec);
  if (ec) return Unavailable("read: " + ec.message());
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  return res.result_int();
}

}  // namespace

Duration BackoffAfter(int attempts, Duration max) {
  Duration d = std::chrono::seconds(1);
  for (int i = 0; i < attempts && d < max; ++i) d *= 2;
  return std::min(d, max);
}

WebhookSender::WebhookSender(store::WebhookOutbox& store, const Clock& clock, WebhookSenderOptions options)
    : store_(store), clock_(clock), options_(options) {}

WebhookSender::~WebhookSender() { Stop(); }

void WebhookSender::Start() {
  {
    std::lock_guard lock(mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Run(); });
}

void WebhookSender::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void WebhookSender::Run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    lock.unlock();
    DeliverDue();
    lock.lock();
    wake_.wait_for(lock, options_.poll_interval, [this] { return stopping_; });
  }
}

int WebhookSender::DeliverDue() {
  const TimePoint now = clock_.Now();
  // Visibility: while this node sends, no other node picks the same message.
  auto due = store_.NextDeliveries(now, options_.batch, std::chrono::seconds(60));
  if (!due || due->empty()) return 0;
  auto hooks = store_.ListWebhooks();
  int delivered = 0;
  for (const store::OutboxMessage& m : *due) {
    Result<std::string> secret = std::string();
    if (hooks) {
      for (const auto& h : *hooks) {
        if (h.workflow == m.workflow) secret = crypto::OpenSecret(options_.secret_key, h.workflow, h.secret);
      }
    }
    auto url = ParseUrl(m.url);
    if (url && !secret) url = std::unexpected(secret.error());
    Result<unsigned> status = url ? Post(*url, m, *secret,
                                         std::chrono::duration_cast<std::chrono::seconds>(
                                             now.time_since_epoch()).count(),
                                         options_.request_timeout)
                                  : Result<unsigned>(std::unexpected(url.error()));
    const TimePoint after = clock_.Now();
    if (status && *status >= 200 && *status < 300) {
      (void)store_.MarkDelivered(m.id, after);
      ++delivered;
    } else {
      std::string why = status ? "HTTP " + std::to_string(*status) : status.error().message();
      (void)store_.MarkFailed(m.id, after, after + BackoffAfter(m.attempts, options_.max_backoff), why);
    }
  }
  return delivered;
}

}  // namespace hitlgate::api
