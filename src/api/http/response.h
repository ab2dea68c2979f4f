// Response: what an endpoint handler returns, and the one place where an
// Error becomes an HTTP status (JsonError). When `sse` is set the session
// streams server-sent events instead of sending `body`.
//
// Ownership: a plain value handed to the session. Thread-compatible.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "api/http/request.h"
#include "api/http/sse.h"
#include "hitlgate/common/error.h"

namespace hitlgate::api {

struct Response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  // Extra headers. The session adds Server, Content-Type, Content-Length and,
  // unless one is given here, "Cache-Control: no-store".
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the response is an SSE stream (200, text/event-stream,
  // chunked): the session runs this coroutine on the connection's strand and
  // streams what it Send()s, with a comment line as keep-alive every
  // ServerOptions::sse_keepalive. The stream ends when the coroutine returns
  // (queued events are still sent) or the client leaves; the coroutine must
  // then return soon (co_await writer->WaitClosed() is the usual tail).
  std::function<asio::awaitable<void>(std::shared_ptr<SseWriter>)> sse;
};

// A JSON response with `body` as is.
Response Json(unsigned status, std::string body);

// {"error":{"code":"invalid_argument","message":"..."}} with the status of
// its code (HttpStatusFor). Unauthenticated also gets WWW-Authenticate; a
// ResourceExhausted message ending in "retry after <N>s" gets Retry-After: N.
Response JsonError(const Error& error);

// InvalidArgument 400, Unauthenticated 401, PermissionDenied 403,
// NotFound 404, AlreadyExists 409, Aborted 409, FailedPrecondition 412,
// ResourceExhausted 429, Unavailable 503, DeadlineExceeded 504, else 500.
// (413 is the server's own answer to a body over the limit.)
unsigned HttpStatusFor(ErrorCode code);

// The JSON error body for a code name the Error set has no member for
// (the session's own "payload_too_large" answers).
std::string JsonErrorBody(std::string_view code, std::string_view message);

}  // namespace hitlgate::api
