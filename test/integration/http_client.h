// A minimal blocking HTTP/1.1 client over a POSIX socket, for tests that
// drive the real server binary from outside (crash test). One request per
// connection; Content-Length bodies only. Test-only; not thread-safe.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <string>
#include <utility>
#include <vector>

namespace hitlgate::testing {

struct HttpReply {
  int status = 0;  // 0: no answer (connection refused, reset, timeout)
  std::string body;
};

inline HttpReply HttpCall(unsigned short port, const std::string& method, const std::string& target,
                          const std::string& body = "", const std::string& bearer = "",
                          int timeout_seconds = 10) {
  HttpReply reply;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return reply;
  timeval tv{timeout_seconds, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return reply;
  }
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!bearer.empty()) req += "Authorization: Bearer " + bearer + "\r\n";
  req += "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  req += body;
  size_t sent = 0;
  while (sent < req.size()) {
    ssize_t n = send(fd, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) {
      close(fd);
      return reply;
    }
    sent += static_cast<size_t>(n);
  }
  std::string raw;
  char buf[8192];
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    raw.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  size_t header_end = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.1 ", 0) != 0 || header_end == std::string::npos) return reply;
  std::string headers = raw.substr(0, header_end);
  std::string payload = raw.substr(header_end + 4);
  // Honor Content-Length; a response cut short by a crash is no answer.
  size_t cl = headers.find("Content-Length: ");
  if (cl == std::string::npos) cl = headers.find("content-length: ");
  if (cl != std::string::npos) {
    size_t len = std::stoul(headers.substr(cl + 16));
    if (payload.size() < len) return reply;
    payload.resize(len);
  }
  reply.status = std::atoi(raw.c_str() + 9);
  reply.body = std::move(payload);
  return reply;
}

}  // namespace hitlgate::testing
