// SseWriter: frames are built on the producer's thread, queued under a
// mutex, and the session is woken by cancelling a timer on its strand
// (timers are not thread-safe, so every timer call happens there).
#include "api/http/sse.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace hitlgate::api {
namespace {

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// Appends `field: value\n`, with CR and LF removed: they would end the field.
void AppendField(std::string_view field, std::string_view value, std::string* out) {
  *out += field;
  *out += ": ";
  for (char c : value) {
    if (c != '\n' && c != '\r') *out += c;
  }
  *out += '\n';
}

}  // namespace

struct SseWriter::Timers {
  explicit Timers(const asio::any_io_executor& ex)
      : frames(ex), closed(ex, asio::steady_timer::time_point::max()) {}
  asio::steady_timer frames;  // Next() sleeps on it; cancelled on new frames
  asio::steady_timer closed;  // WaitClosed() sleeps on it; cancelled on close
};

SseWriter::SseWriter(asio::any_io_executor executor, size_t queue_limit)
    : queue_limit_(queue_limit == 0 ? 1 : queue_limit),
      timers_(std::make_unique<Timers>(executor)) {}

SseWriter::~SseWriter() = default;

bool SseWriter::Send(std::string_view event, std::string_view data, std::string_view id) {
  std::string frame;
  frame.reserve(event.size() + data.size() + id.size() + 24);
  if (!id.empty()) AppendField("id", id, &frame);
  if (!event.empty()) AppendField("event", event, &frame);
  // Multi-line data becomes one "data:" line per line; the client joins them
  // with '\n' again.
  size_t start = 0;
  for (;;) {
    const size_t nl = data.find('\n', start);
    std::string_view line =
        data.substr(start, nl == std::string_view::npos ? data.npos : nl - start);
    if (line.ends_with('\r')) line.remove_suffix(1);
    AppendField("data", line, &frame);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  frame += '\n';
  return Enqueue(std::move(frame));
}

bool SseWriter::Comment(std::string_view text) {
  std::string frame;
  AppendField("", text, &frame);  // ": text\n"
  frame += '\n';
  return Enqueue(std::move(frame));
}

bool SseWriter::Enqueue(std::string frame) {
  {
    std::lock_guard lock(mu_);
    // Returning before Wake() matters: a subscription that outlives the
    // server must not post to its stopped (or destroyed) io_context.
    if (state_ != State::kOpen) return false;
    if (frames_.size() >= queue_limit_) {
      // Drop the subscriber rather than block the producer or grow without
      // bound; the client reconnects and catches up from the API.
      overflowed_ = true;
      state_ = State::kClosed;
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
  return state_ == State::kOpen;
}

bool SseWriter::overflowed() const {
  std::lock_guard lock(mu_);
  return overflowed_;
}

void SseWriter::Close() {
  {
    std::lock_guard lock(mu_);
    if (state_ == State::kClosed) return;
    state_ = State::kClosed;
    frames_.clear();
  }
  Wake();
}

void SseWriter::Finish() {
  {
    std::lock_guard lock(mu_);
    if (state_ != State::kOpen) return;
    state_ = State::kFinishing;
  }
  Wake();
}

void SseWriter::SetOnClose(std::function<void()> hook) {
  {
    std::lock_guard lock(mu_);
    on_close_ = std::move(hook);
  }
  Wake();  // in case it is closed already
}

void SseWriter::Wake() {
  asio::post(timers_->frames.get_executor(), [self = shared_from_this()] {
    self->timers_->frames.cancel();
    std::function<void()> hook;
    {
      std::lock_guard lock(self->mu_);
      if (self->state_ == State::kOpen) return;
      if (self->state_ == State::kClosed) hook = std::exchange(self->on_close_, nullptr);
    }
    self->timers_->closed.cancel();
    if (hook) hook();
  });
}

asio::awaitable<void> SseWriter::WaitClosed() {
  // Finishing counts as closed too: the coroutine that would wait is the one
  // that finished.
  while (open()) {
    co_await timers_->closed.async_wait(kTuple);
  }
}

asio::awaitable<SseWriter::Batch> SseWriter::Next(std::chrono::milliseconds keepalive) {
  const auto deadline = asio::steady_timer::clock_type::now() + keepalive;
  for (;;) {
    {
      std::lock_guard lock(mu_);
      Batch batch;
      if (state_ == State::kClosed) {
        batch.end = batch.aborted = true;
        co_return batch;
      }
      if (!frames_.empty()) {
        for (std::string& f : frames_) batch.bytes += f;
        frames_.clear();
        co_return batch;
      }
      if (state_ == State::kFinishing) {
        batch.end = true;
        co_return batch;
      }
    }
    // A Send() after the check above posts a cancel that runs on this strand
    // only after this coroutine suspends, so the wake-up is never lost.
    timers_->frames.expires_at(deadline);
    auto [ec] = co_await timers_->frames.async_wait(kTuple);
    if (!ec) co_return Batch{};  // keep-alive time
  }
}

}  // namespace hitlgate::api
