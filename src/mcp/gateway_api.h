// GatewayApi: the three calls the proxy makes to hitlgate's HTTP API with an
// agent key: submit a tool call's event (POST /v1/events), wait for a task's
// verdict (GET /v1/tasks/{id}?wait=...), report a result (POST /v1/events).
// Submitting retries transient failures with the same body, so the same
// event_id: the gateway answers a retry with the decision it recorded
// (ADR 0009), never a second one. Every failure is an Error the caller turns
// into a refusal: the proxy fails closed.
//
// Threading: one io_context thread; not thread-safe. Hold by shared_ptr.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "hitlgate/common/error.h"
#include "mcp/config.h"
#include "mcp/http_client.h"
#include "mcp/tool_gate.h"

namespace hitlgate::mcp {

class GatewayApi {
 public:
  // InvalidArgument when the gateway URL is not http://host:port.
  [[nodiscard]] static Result<std::shared_ptr<GatewayApi>> Create(
      boost::asio::any_io_executor executor, const GatewayConfig& config, std::string api_key);

  // The decision for one proposal event. Retries connection failures, 429
  // and 503 within the configured timeout. Other refusals (400, 401, 403,
  // 409, 413) come back as errors whose message quotes the gateway.
  boost::asio::awaitable<Result<GateAnswer>> Submit(std::string event_json);

  // The task now, or after up to `wait` when it is still pending.
  boost::asio::awaitable<Result<TaskState>> Task(std::string task_id,
                                                 std::chrono::milliseconds wait);

  // Records a result event; its decision is not used.
  boost::asio::awaitable<Result<void>> Report(std::string event_json);

  void Shutdown() { http_->Shutdown(); }

 private:
  GatewayApi(std::shared_ptr<HttpClient> http, GatewayConfig config, std::string api_key);
  boost::asio::awaitable<Result<HttpResponse>> PostEvent(const std::string& event_json);

  std::shared_ptr<HttpClient> http_;
  GatewayConfig config_;
  std::string authorization_;
};

// "403 permission_denied: this key may not act for workflow 'x'" from an
// error answer of the API; the raw status and body when it is not one.
std::string DescribeApiError(unsigned status, std::string_view body);

}  // namespace hitlgate::mcp
