// HttpClient: a small synchronous HTTP/1.1 client for hitlgate's own tools
// (`hitlgate demo` plays an AI agent and reviewers against a running
// gateway). One keep-alive connection, reopened when the server closes it;
// every read and write has a socket timeout so a stuck server fails a call
// instead of hanging the tool. Beast stays in http_client.cc.
// Not thread-safe: one client per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "hitlgate/common/error.h"

namespace hitlgate::api {

struct HttpReply {
  unsigned status = 0;
  std::string body;
};

class HttpClient {
 public:
  // `base_url` is "http://host:port" (no TLS; no path). InvalidArgument
  // otherwise.
  [[nodiscard]] static Result<std::unique_ptr<HttpClient>> Create(std::string_view base_url,
                                                                  std::string bearer_token,
                                                                  std::chrono::seconds timeout = std::chrono::seconds(30));
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // method: "GET", "POST", "DELETE". Unavailable when the connection fails.
  [[nodiscard]] Result<HttpReply> Send(std::string_view method, std::string_view target,
                                       std::string_view json_body = {});

 private:
  struct Impl;
  explicit HttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hitlgate::api
