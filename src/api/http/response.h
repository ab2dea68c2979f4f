// Response, SseWriter and the JSON error mapping. A handler returns a
// Response; when `sse` is set the session streams server-sent events instead
// of a body. Thread-safety: Response is a value; SseWriter is thread-safe.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <deque>
#include <mutex>

#include "api/http/request.h"
#include "hitlgate/common/error.h"

namespace hitlgate::api {

// The queue between publishers (any thread) and one SSE connection. A
// subscriber too slow to keep up is dropped: Send() fails once the queue is
// full and the stream closes, so publishers never wait on a slow client.
class SseWriter : public std::enable_shared_from_this<SseWriter> {
 public:
  SseWriter(asio::any_io_executor executor, size_t queue_limit);

  // Queues one event; false when closed or the queue overflowed (then closes).
  bool Send(std::string_view event, std::string_view data, std::string_view id = {});
  bool open() const;
  void Close();
  // Completes when the stream is closed (client gone, overflow, shutdown).
  asio::awaitable<void> WaitClosed();

  // For the session: waits until frames are queued (or `keepalive` passes)
  // and takes them; empty with open()=false at the end.
  asio::awaitable<std::deque<std::string>> NextFrames(std::chrono::milliseconds keepalive);

 private:
  void Wake();

  asio::any_io_executor executor_;
  size_t queue_limit_;
  mutable std::mutex mu_;
  std::deque<std::string> frames_;  // guarded by mu_
  bool closed_ = false;             // guarded by mu_
  asio::steady_timer frames_timer_;  // only touched on executor_
  asio::steady_timer closed_timer_;  // only touched on executor_
};

struct Response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::function<asio::awaitable<void>(std::shared_ptr<SseWriter>)> sse;
};

Response Json(unsigned status, std::string body);
// {"error":{"code":"invalid_argument","message":"..."}} with the status of
// its code: InvalidArgument 400, Unauthenticated 401, PermissionDenied 403,
// NotFound 404, AlreadyExists 409, Aborted 409, FailedPrecondition 412,
// ResourceExhausted 429, Unavailable 503, DeadlineExceeded 504, else 500.
Response JsonError(const Error& error);
unsigned HttpStatusFor(ErrorCode code);

}  // namespace hitlgate::api
