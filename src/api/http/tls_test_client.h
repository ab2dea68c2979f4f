// Test-only HTTPS client: one connection per call, every step under a
// timeout, so a broken server fails a test instead of hanging it. OpenSSL
// and Beast stay in tls_test_client.cc.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/http/test_client.h"

namespace hitlgate::api::testing {

enum class TlsVersion { k1_1, k1_2, k1_3 };

struct TlsClientOptions {
  std::string ca_file;    // trusted CA for the server's certificate; checked with the host name
  std::string cert_file;  // client certificate (mutual TLS); empty = none
  std::string key_file;
  TlsVersion min_version = TlsVersion::k1_2;
  TlsVersion max_version = TlsVersion::k1_3;
  std::chrono::milliseconds timeout{10000};
};

struct TlsSessionInfo {
  std::string version;  // "TLSv1.3"
  std::string cipher;
};

// Handshakes, sends one request and reads its response. Unavailable (with
// OpenSSL's reason) when the connection or handshake fails.
Result<TestResponse> TlsRequest(const TlsClientOptions& options, std::uint16_t port,
                                http::verb method, std::string_view target,
                                std::string_view body = {}, const Headers& headers = {},
                                TlsSessionInfo* info = nullptr);

// Sends GET `target` and returns the raw bytes the server sends (status
// line, headers, chunked body) once they contain `needle`, or when the
// server closes or `options.timeout` passes (DeadlineExceeded).
Result<std::string> TlsReadUntil(const TlsClientOptions& options, std::uint16_t port,
                                 std::string_view target, const Headers& headers,
                                 std::string_view needle);

}  // namespace hitlgate::api::testing
