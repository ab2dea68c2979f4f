#include "mcp/stdio_transport.h"

#include <poll.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <cerrno>
#include <vector>

namespace hitlgate::mcp {

namespace {

// Writes all of `bytes` to stdout; false when the client is gone.
bool WriteAll(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(STDOUT_FILENO, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

StdioTransport::StdioTransport(boost::asio::io_context& io, size_t max_message_bytes,
                               std::function<void(std::string)> on_end)
    : io_(io), framer_(max_message_bytes), on_end_(std::move(on_end)) {}

StdioTransport::~StdioTransport() {
  stop_reading_ = true;
  if (reader_.joinable()) reader_.join();
}

void StdioTransport::Start(std::shared_ptr<ProxySession> session) {
  session_ = std::move(session);
  reader_ = std::thread([this] { ReadStdin(); });
}

void StdioTransport::ReadStdin() {
  std::vector<char> buffer(64 * 1024);
  while (!stop_reading_) {
    pollfd fd{STDIN_FILENO, POLLIN, 0};
    const int ready = ::poll(&fd, 1, 100);  // wakes up to notice stop_reading_
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) continue;
    ssize_t n = ready < 0 ? -1 : ::read(STDIN_FILENO, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      boost::asio::post(io_, [this] { End({}); });
      return;
    }
    boost::asio::post(io_, [this, bytes = std::string(buffer.data(), static_cast<size_t>(n))] {
      if (ended_) return;
      framer_.Feed(bytes, [this](Frame frame) {
        if (frame.oversize) {
          session_->FromClientTooLarge(frame.bytes, frame.id);
        } else {
          session_->FromClientText(std::move(frame.text));
        }
      });
    });
  }
}

void StdioTransport::ToClient(std::string text, std::string_view /*request_id*/,
                              bool /*is_response*/) {
  if (stdout_broken_) return;
  text += '\n';
  if (!WriteAll(text)) {
    stdout_broken_ = true;
    End({});
  }
}

void StdioTransport::SessionEnded(std::string_view why) { End(std::string(why)); }

void StdioTransport::End(std::string why) {
  if (ended_) return;
  ended_ = true;
  stop_reading_ = true;
  on_end_(std::move(why));
}

}  // namespace hitlgate::mcp
