// SseWriter: the bounded queue between event producers (any thread) and one
// server-sent-events response. Producers call Send(); the session drains the
// queue into the socket as chunks. A subscriber too slow to keep up is
// dropped: once `queue_limit` frames wait, Send() fails, the queue is
// discarded and the stream is closed, so producers never block on a client.
//
// Ownership: shared by the session and the handler's SSE coroutine (and
// whatever callbacks that coroutine registers). Thread-safety: Send, open
// and Close from any thread; WaitClosed only from the SSE coroutine (it runs
// on the session's strand); the "session side" methods only from the session.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "hitlgate/common/thread_annotations.h"
namespace hitlgate::api {

namespace asio = boost::asio;

class SseWriter : public std::enable_shared_from_this<SseWriter> {
 public:
  // `executor` is the session's strand; the writer's timers live on it.
  SseWriter(asio::any_io_executor executor, size_t queue_limit);
  ~SseWriter();
  SseWriter(const SseWriter&) = delete;
  SseWriter& operator=(const SseWriter&) = delete;

  // Queues one event. `data` may span lines (each becomes a "data:" line);
  // newlines in `event` and `id` are dropped. False when the stream is no
  // longer open (client gone, ended) or this event overflowed the queue (the
  // stream is then closed).
  bool Send(std::string_view event, std::string_view data, std::string_view id = {});
  // Queues a comment line (": text"); same result as Send.
  bool Comment(std::string_view text);
  // True until the stream is closed or the SSE coroutine has returned.
  bool open() const;
  // True when the stream was closed because the queue overflowed.
  bool overflowed() const;
  // Closes the stream now; queued frames are discarded. Idempotent.
  void Close();
  // Completes once the stream is closed (client gone, overflow, shutdown).
  asio::awaitable<void> WaitClosed();

  // --- session side ---
  struct Batch {
    std::string bytes;     // frames to write; empty = time for a keep-alive
    bool end = false;      // nothing more will come (bytes is then empty)
    bool aborted = false;  // with end: closed, not finished; skip the last chunk
  };
  // Waits up to `keepalive` for frames and takes all queued ones.
  asio::awaitable<Batch> Next(std::chrono::milliseconds keepalive);
  // The SSE coroutine returned: what is queued still goes out, then the end.
  void Finish();
  // Runs `hook` on the executor once the stream is closed (not finished), so
  // the session can abort a write stuck on a client that stopped reading.
  void SetOnClose(std::function<void()> hook);

 private:
  enum class State { kOpen, kFinishing, kClosed };
  struct Timers;

  bool Enqueue(std::string frame);
  void Wake();

  const size_t queue_limit_;
  std::unique_ptr<Timers> timers_;  // touched only on the executor
  mutable std::mutex mu_;
  std::deque<std::string> frames_ HITLGATE_GUARDED_BY(mu_);
  State state_ HITLGATE_GUARDED_BY(mu_) = State::kOpen;
  bool overflowed_ HITLGATE_GUARDED_BY(mu_) = false;
  std::function<void()> on_close_ HITLGATE_GUARDED_BY(mu_);  // taken once
};

}  // namespace hitlgate::api
