// Error-to-HTTP mapping and JSON response helpers. Stateless.
#include "api/http/response.h"

#include "hitlgate/codec/json.h"

namespace hitlgate::api {

unsigned HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kAlreadyExists:
      return 409;
    case ErrorCode::kAborted:
      return 409;
    case ErrorCode::kFailedPrecondition:
      return 412;
    case ErrorCode::kResourceExhausted:
      return 429;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kDeadlineExceeded:
      return 504;
    case ErrorCode::kDataLoss:
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;  // an enum value from a newer build: fail closed
}

std::string JsonErrorBody(std::string_view code, std::string_view message) {
  std::string body = "{\"error\":{\"code\":\"";
  body += code;
  body += "\",\"message\":";
  codec::AppendJsonString(message, &body);
  body += "}}";
  return body;
}

Response Json(unsigned status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Response JsonError(const Error& error) {
  Response r = Json(HttpStatusFor(error.code()),
                    JsonErrorBody(ErrorCodeName(error.code()), error.message()));
  if (error.code() == ErrorCode::kUnauthenticated)
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
  if (error.code() == ErrorCode::kResourceExhausted) {
    // Rate limits end their message with "retry after <N>s" (gateway_auth.cc).
    constexpr std::string_view kMarker = "retry after ";
    const std::string& m = error.message();
    if (size_t at = m.rfind(kMarker); at != std::string::npos) {
      size_t end = at + kMarker.size();
      while (end < m.size() && m[end] >= '0' && m[end] <= '9') ++end;
      if (end > at + kMarker.size() && end < m.size() && m[end] == 's') {
        r.headers.emplace_back("Retry-After", m.substr(at + kMarker.size(), end - at - kMarker.size()));
      }
    }
  }
  return r;
}

}  // namespace hitlgate::api
