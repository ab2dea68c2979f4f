#include "mcp/gateway_api.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

namespace hitlgate::mcp {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
// Pauses between attempts of one submission; the configured timeout bounds the total.
constexpr std::chrono::milliseconds kBackoff[] = {
    std::chrono::milliseconds(50), std::chrono::milliseconds(200), std::chrono::milliseconds(500)};
constexpr size_t kMaxAnswerBytes = 4u << 20;

std::string Prefix(const HttpUrl& url) {
  std::string p = url.path;
  while (!p.empty() && p.back() == '/') p.pop_back();
  return p;
}

bool Transient(unsigned status) {
  return status == 429 || status == 502 || status == 503 || status == 504;
}

}  // namespace

std::string DescribeApiError(unsigned status, std::string_view body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (!ec && v.is_object()) {
    const json::value* error = v.get_object().if_contains("error");
    if (error != nullptr && error->is_object()) {
      const json::value* code = error->get_object().if_contains("code");
      const json::value* message = error->get_object().if_contains("message");
      if (code != nullptr && code->is_string() && message != nullptr && message->is_string()) {
        return std::to_string(status) + " " + std::string(code->get_string()) + ": " +
               std::string(message->get_string());
      }
    }
  }
  std::string out = std::to_string(status);
  if (!body.empty()) out += " " + std::string(body.substr(0, 200));
  return out;
}

Result<std::shared_ptr<GatewayApi>> GatewayApi::Create(asio::any_io_executor executor,
                                                       const GatewayConfig& config,
                                                       std::string api_key) {
  auto url = ParseHttpUrl(config.url);
  if (!url)
    return std::unexpected(
        Error(ErrorCode::kInvalidArgument, "gateway url: " + url.error().message()));
  auto http = std::make_shared<HttpClient>(executor, *url, kMaxAnswerBytes);
  return std::shared_ptr<GatewayApi>(new GatewayApi(std::move(http), config, std::move(api_key)));
}

GatewayApi::GatewayApi(std::shared_ptr<HttpClient> http, GatewayConfig config, std::string api_key)
    : http_(std::move(http)),
      config_(std::move(config)),
      authorization_("Bearer " + std::move(api_key)) {}

asio::awaitable<Result<HttpResponse>> GatewayApi::PostEvent(const std::string& event_json) {
  HttpRequest request;
  request.method = "POST";
  request.target = Prefix(http_->url()) + "/v1/events";
  request.body = event_json;
  request.headers = {{"Authorization", authorization_}, {"Content-Type", "application/json"}};
  request.timeout = config_.timeout;
  co_return co_await http_->Send(std::move(request));
}

asio::awaitable<Result<GateAnswer>> GatewayApi::Submit(std::string event_json) {
  const auto start = std::chrono::steady_clock::now();
  asio::steady_timer timer(co_await asio::this_coro::executor);
  std::string last_problem;
  for (size_t attempt = 0;; ++attempt) {
    auto response = co_await PostEvent(event_json);
    if (response && response->status == 200) co_return ParseGateAnswer(response->body);
    if (response && !Transient(response->status)) {
      co_return std::unexpected(Error(
          ErrorCode::kFailedPrecondition,
          "the gateway refused the event: " + DescribeApiError(response->status, response->body)));
    }
    last_problem =
        response ? "the gateway answered " + DescribeApiError(response->status, response->body)
                 : "the gateway is unreachable: " + response.error().message();
    const auto elapsed = std::chrono::steady_clock::now() - start;
    if (attempt >= std::size(kBackoff) || elapsed + kBackoff[attempt] >= config_.timeout) break;
    timer.expires_after(kBackoff[attempt]);
    co_await timer.async_wait(kTuple);
  }
  co_return Unavailable(last_problem);
}

asio::awaitable<Result<TaskState>> GatewayApi::Task(std::string task_id,
                                                    std::chrono::milliseconds wait) {
  HttpRequest request;
  request.target = Prefix(http_->url()) + "/v1/tasks/" + task_id +
                   "?wait=" + std::to_string(wait.count()) + "ms";
  request.headers = {{"Authorization", authorization_}};
  request.timeout = wait + config_.timeout;
  auto response = co_await http_->Send(std::move(request));
  if (!response) co_return Unavailable("the gateway is unreachable: " + response.error().message());
  if (response->status != 200) {
    const ErrorCode code =
        Transient(response->status) ? ErrorCode::kUnavailable : ErrorCode::kFailedPrecondition;
    co_return std::unexpected(Error(code, "the gateway answered about task " + task_id + ": " +
                                              DescribeApiError(response->status, response->body)));
  }
  co_return ParseTaskState(response->body);
}

asio::awaitable<Result<void>> GatewayApi::Report(std::string event_json) {
  auto response = co_await PostEvent(event_json);
  if (!response) co_return Unavailable("the gateway is unreachable: " + response.error().message());
  if (response->status != 200) {
    co_return std::unexpected(Error(
        ErrorCode::kFailedPrecondition,
        "the gateway refused the result: " + DescribeApiError(response->status, response->body)));
  }
  co_return Result<void>{};
}

}  // namespace hitlgate::mcp
