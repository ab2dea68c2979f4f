#include "api/http/response.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "hitlgate/codec/json.h"

namespace hitlgate::api {

unsigned HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kAlreadyExists: return 409;
    case ErrorCode::kAborted: return 409;
    case ErrorCode::kFailedPrecondition: return 412;
    case ErrorCode::kResourceExhausted: return 429;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kDeadlineExceeded: return 504;
    case ErrorCode::kDataLoss:
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

Response Json(unsigned status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Response JsonError(const Error& error) {
  std::string body = "{\"error\":{\"code\":\"";
  body += ErrorCodeName(error.code());
  body += "\",\"message\":";
  codec::AppendJsonString(error.message(), &body);
  body += "}}";
  Response r = Json(HttpStatusFor(error.code()), std::move(body));
  if (error.code() == ErrorCode::kUnauthenticated) r.headers.emplace_back("WWW-Authenticate", "Bearer");
  return r;
}

SseWriter::SseWriter(asio::any_io_executor executor, size_t queue_limit)
    : executor_(executor),
      queue_limit_(queue_limit),
      frames_timer_(executor),
      closed_timer_(executor, asio::steady_timer::time_point::max()) {}

bool SseWriter::Send(std::string_view event, std::string_view data, std::string_view id) {
  std::string frame;
  frame.reserve(event.size() + data.size() + 32);
  if (!id.empty()) {
    frame += "id: ";
    frame += id;
    frame += '\n';
  }
  frame += "event: ";
  frame += event;
  frame += "\ndata: ";
  // Data is one JSON line here; newlines would break the SSE framing.
  for (char c : data) frame += c == '\n' ? ' ' : c;
  frame += "\n\n";
  {
    std::lock_guard lock(mu_);
    if (closed_) return false;
    if (frames_.size() >= queue_limit_) {
      closed_ = true;
      frames_.clear();
    } else {
      frames_.push_back(std::move(frame));
    }
  }
  Wake();
  return open();
}

bool SseWriter::open() const {
  std::lock_guard lock(mu_);
  return !closed_;
}

void SseWriter::Close() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  Wake();
}

void SseWriter::Wake() {
  // Timers are not thread-safe: cancel them on their own executor.
  asio::post(executor_, [self = shared_from_this()] {
    self->frames_timer_.cancel();
    if (!self->open()) self->closed_timer_.cancel();
  });
}

asio::awaitable<void> SseWriter::WaitClosed() {
  while (open()) {
    co_await closed_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

asio::awaitable<std::deque<std::string>> SseWriter::NextFrames(std::chrono::milliseconds keepalive) {
  {
    std::lock_guard lock(mu_);
    if (closed_ || !frames_.empty()) {
      std::deque<std::string> out;
      out.swap(frames_);
      co_return out;
    }
  }
  frames_timer_.expires_after(keepalive);
  co_await frames_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
  std::lock_guard lock(mu_);
  std::deque<std::string> out;
  out.swap(frames_);
  co_return out;
}

}  // namespace hitlgate::api
