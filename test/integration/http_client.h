// A minimal blocking HTTP/1.1 client over a POSIX socket, for tests that
// drive a real server from outside (crash test, HTTP integration tests).
// One request per connection; Content-Length bodies only (a streamed answer,
// e.g. SSE, is read up to its header with `headers_only`). SseConnection
// keeps one event stream open and reads it with bounded waits.
// Test-only; not thread-safe (one client object per thread).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hitlgate::testing {

struct HttpReply {
  int status = 0;  // 0: no answer (connection refused, reset, timeout)
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased

  // First value of the header (name matched case-insensitively); "" if none.
  std::string Header(std::string_view name) const {
    std::string lower(name);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const auto& [k, v] : headers) {
      if (k == lower) return v;
    }
    return {};
  }
};

struct HttpOptions {
  std::string body;
  std::string bearer;  // sent as "Authorization: Bearer <bearer>" when not empty
  std::vector<std::pair<std::string, std::string>> headers;  // extra request headers
  int timeout_seconds = 10;  // per send/recv call
  bool headers_only = false;  // stop after the response header (streams)
};

namespace internal {

// A connected socket with send/recv timeouts, or -1.
inline int ConnectLoopback(unsigned short port, int timeout_seconds) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  timeval tv{timeout_seconds, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

inline bool SendAll(int fd, std::string_view data) {
  size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

inline std::string BuildRequest(const std::string& method, const std::string& target,
                                const HttpOptions& o) {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!o.bearer.empty()) req += "Authorization: Bearer " + o.bearer + "\r\n";
  for (const auto& [k, v] : o.headers) req += k + ": " + v + "\r\n";
  req += "Content-Type: application/json\r\nContent-Length: " + std::to_string(o.body.size()) +
         "\r\n\r\n";
  return req;
}

// Parses "HTTP/1.1 200 OK\r\nName: value\r\n..." (without the blank line).
inline bool ParseHead(std::string_view head, HttpReply* reply) {
  if (!head.starts_with("HTTP/1.1 ") || head.size() < 12) return false;
  reply->status = std::atoi(std::string(head.substr(9, 3)).c_str());
  size_t at = head.find("\r\n");
  while (at != std::string_view::npos) {
    at += 2;
    size_t end = head.find("\r\n", at);
    std::string_view line = head.substr(at, end == std::string_view::npos ? head.npos : end - at);
    size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      std::string name(line.substr(0, colon));
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      reply->headers.emplace_back(std::move(name), std::string(value));
    }
    at = end;
  }
  return true;
}

}  // namespace internal

inline HttpReply HttpRequest(unsigned short port, const std::string& method,
                             const std::string& target, const HttpOptions& options) {
  HttpReply reply;
  int fd = internal::ConnectLoopback(port, options.timeout_seconds);
  if (fd < 0) return reply;
  // Header and body in separate sends: the server may answer (413) before
  // the body is all sent; what it answered still counts.
  const bool sent = internal::SendAll(fd, internal::BuildRequest(method, target, options)) &&
                    internal::SendAll(fd, options.body);
  std::string raw;
  char buf[8192];
  size_t header_end = std::string::npos;
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    raw.append(buf, static_cast<size_t>(n));
    if (header_end == std::string::npos) header_end = raw.find("\r\n\r\n");
    if (options.headers_only && header_end != std::string::npos) break;
  }
  close(fd);
  (void)sent;
  if (header_end == std::string::npos) header_end = raw.find("\r\n\r\n");
  if (header_end == std::string::npos) return HttpReply{};
  HttpReply parsed;
  if (!internal::ParseHead(std::string_view(raw).substr(0, header_end), &parsed)) return HttpReply{};
  std::string payload = raw.substr(header_end + 4);
  if (!options.headers_only) {
    // Honor Content-Length; a response cut short by a crash is no answer.
    const std::string cl = parsed.Header("content-length");
    if (!cl.empty()) {
      size_t len = std::stoul(cl);
      if (payload.size() < len) return HttpReply{};
      payload.resize(len);
    }
  }
  parsed.body = std::move(payload);
  return parsed;
}

inline HttpReply HttpCall(unsigned short port, const std::string& method, const std::string& target,
                          const std::string& body = "", const std::string& bearer = "",
                          int timeout_seconds = 10) {
  HttpOptions o;
  o.body = body;
  o.bearer = bearer;
  o.timeout_seconds = timeout_seconds;
  return HttpRequest(port, method, target, o);
}

// One open server-sent-events stream (GET), read incrementally. Every read
// is bounded by a deadline, so a missing event fails a test instead of
// hanging it.
class SseConnection {
 public:
  SseConnection() = default;
  ~SseConnection() { Close(); }
  SseConnection(const SseConnection&) = delete;
  SseConnection& operator=(const SseConnection&) = delete;

  // Sends the request and reads the response header; the HTTP status (0 on
  // failure).
  int Open(unsigned short port, const std::string& target, const std::string& bearer) {
    fd_ = internal::ConnectLoopback(port, 1);
    if (fd_ < 0) return 0;
    HttpOptions o;
    o.bearer = bearer;
    o.headers = {{"Accept", "text/event-stream"}};
    std::string req = internal::BuildRequest("GET", target, o);
    if (!internal::SendAll(fd_, req)) return 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (buffer_.find("\r\n\r\n") == std::string::npos) {
      if (!ReadSome(deadline)) return 0;
    }
    size_t end = buffer_.find("\r\n\r\n");
    HttpReply head;
    if (!internal::ParseHead(std::string_view(buffer_).substr(0, end), &head)) return 0;
    buffer_.erase(0, end + 4);
    return head.status;
  }

  // Reads until a frame "event: <event>" arrives; returns its data line
  // ("" and false when `timeout` passes or the stream ends first). Frames
  // before it are consumed.
  bool WaitForEvent(std::string_view event, std::chrono::milliseconds timeout, std::string* data) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const std::string marker = "event: " + std::string(event) + "\n";
    for (;;) {
      size_t at = buffer_.find(marker);
      if (at != std::string::npos) {
        size_t d = buffer_.find("data: ", at);
        size_t nl = d == std::string::npos ? d : buffer_.find('\n', d);
        if (nl != std::string::npos) {
          if (data != nullptr) *data = buffer_.substr(d + 6, nl - d - 6);
          buffer_.erase(0, nl + 1);
          return true;
        }
      }
      if (!ReadSome(deadline)) return false;
    }
  }

  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }

 private:
  // One recv (the socket's timeout is 1 s) unless the deadline passed.
  bool ReadSome(std::chrono::steady_clock::time_point deadline) {
    char buf[8192];
    while (std::chrono::steady_clock::now() < deadline) {
      ssize_t n = recv(fd_, buf, sizeof buf, 0);
      if (n > 0) {
        buffer_.append(buf, static_cast<size_t>(n));
        return true;
      }
      if (n == 0) return false;  // the server ended the stream
      // A timeout: try again until the deadline.
    }
    return false;
  }

  int fd_ = -1;
  std::string buffer_;
};

}  // namespace hitlgate::testing
