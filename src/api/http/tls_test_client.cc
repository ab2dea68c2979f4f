#include "api/http/tls_test_client.h"

#include <openssl/ssl.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <optional>

namespace hitlgate::api::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Stream = beast::ssl_stream<beast::tcp_stream>;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

int OpenSslVersion(TlsVersion v) {
  switch (v) {
    case TlsVersion::k1_1:
      return TLS1_1_VERSION;
    case TlsVersion::k1_2:
      return TLS1_2_VERSION;
    case TlsVersion::k1_3:
      return TLS1_3_VERSION;
  }
  return TLS1_2_VERSION;
}

Result<void> Configure(const TlsClientOptions& o, ssl::context& ctx) {
  SSL_CTX* native = ctx.native_handle();
  // Level 0 lets this client offer old versions, so that a refusal of
  // TLS 1.1 is the server's doing, not the client library's.
  SSL_CTX_set_security_level(native, 0);
  SSL_CTX_set_min_proto_version(native, OpenSslVersion(o.min_version));
  SSL_CTX_set_max_proto_version(native, OpenSslVersion(o.max_version));
  if (o.min_version == TlsVersion::k1_1) SSL_CTX_set_cipher_list(native, "DEFAULT:@SECLEVEL=0");
  boost::system::error_code ec;
  if (!o.ca_file.empty()) ctx.load_verify_file(o.ca_file, ec);
  if (!ec && !o.cert_file.empty()) ctx.use_certificate_chain_file(o.cert_file, ec);
  if (!ec && !o.key_file.empty()) ctx.use_private_key_file(o.key_file, ssl::context::pem, ec);
  if (ec) return InvalidArgument("client TLS files: " + ec.message());
  ctx.set_verify_mode(ssl::verify_peer);
  ctx.set_verify_callback(ssl::host_name_verification("127.0.0.1"));
  return {};
}

asio::awaitable<Result<void>> Open(Stream& stream, std::uint16_t port,
                                   std::chrono::milliseconds timeout) {
  auto& lowest = beast::get_lowest_layer(stream);
  lowest.expires_after(timeout);
  auto [cec] = co_await lowest.async_connect(
      tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), kTuple);
  if (cec) co_return Unavailable("connect: " + cec.message());
  lowest.expires_after(timeout);
  auto [hec] = co_await stream.async_handshake(ssl::stream_base::client, kTuple);
  if (hec) co_return Unavailable("TLS handshake: " + hec.message());
  co_return Result<void>{};
}

http::request<http::string_body> MakeRequest(http::verb method, std::string_view target,
                                             std::string_view body, const Headers& headers) {
  http::request<http::string_body> req{method, std::string(target), 11};
  req.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) req.set(name, value);
  req.body() = std::string(body);
  req.prepare_payload();
  return req;
}

asio::awaitable<Result<TestResponse>> DoRequest(Stream& stream, const TlsClientOptions& o,
                                                std::uint16_t port, http::verb method,
                                                std::string target, std::string body,
                                                Headers headers, TlsSessionInfo* info) {
  auto opened = co_await Open(stream, port, o.timeout);
  if (!opened) co_return std::unexpected(opened.error());
  if (info != nullptr) {
    info->version = SSL_get_version(stream.native_handle());
    info->cipher = SSL_get_cipher_name(stream.native_handle());
  }
  auto req = MakeRequest(method, target, body, headers);
  auto& lowest = beast::get_lowest_layer(stream);
  lowest.expires_after(o.timeout);
  auto [wec, wn] = co_await http::async_write(stream, req, kTuple);
  if (wec) co_return Unavailable("write: " + wec.message());
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  auto [rec, rn] = co_await http::async_read(stream, buffer, res, kTuple);
  if (rec) co_return Unavailable("read: " + rec.message());
  TestResponse out;
  out.status = res.result_int();
  for (const auto& f : res) {
    std::string name(f.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers.emplace_back(std::move(name), std::string(f.value()));
  }
  out.body = res.body();
  out.keep_alive = res.keep_alive();
  co_return out;
}

asio::awaitable<Result<std::string>> DoReadUntil(Stream& stream, const TlsClientOptions& o,
                                                 std::uint16_t port, std::string target,
                                                 Headers headers, std::string needle) {
  auto opened = co_await Open(stream, port, o.timeout);
  if (!opened) co_return std::unexpected(opened.error());
  auto req = MakeRequest(http::verb::get, target, {}, headers);
  auto& lowest = beast::get_lowest_layer(stream);
  lowest.expires_after(o.timeout);
  auto [wec, wn] = co_await http::async_write(stream, req, kTuple);
  if (wec) co_return Unavailable("write: " + wec.message());
  std::string got;
  char chunk[4096];
  while (got.find(needle) == std::string::npos) {
    auto [rec, n] = co_await stream.async_read_some(asio::buffer(chunk), kTuple);
    got.append(chunk, n);
    if (rec == beast::error::timeout) co_return MakeError(ErrorCode::kDeadlineExceeded, got);
    if (rec) break;
  }
  co_return got;
}

template <typename T, typename Make>
Result<T> RunClient(const TlsClientOptions& o, Make make) {
  asio::io_context io;
  ssl::context ctx(ssl::context::tls_client);
  HITLGATE_RETURN_IF_ERROR(Configure(o, ctx));
  Stream stream(io, ctx);
  std::optional<Result<T>> out;
  asio::co_spawn(io, make(stream), [&](std::exception_ptr e, Result<T> r) {
    out = e ? Result<T>(Internal("client threw")) : std::move(r);
  });
  io.run();
  return out ? std::move(*out) : Result<T>(Internal("client did not finish"));
}

}  // namespace

Result<TestResponse> TlsRequest(const TlsClientOptions& options, std::uint16_t port,
                                http::verb method, std::string_view target, std::string_view body,
                                const Headers& headers, TlsSessionInfo* info) {
  return RunClient<TestResponse>(options, [&](Stream& s) {
    return DoRequest(s, options, port, method, std::string(target), std::string(body), headers,
                     info);
  });
}

Result<std::string> TlsReadUntil(const TlsClientOptions& options, std::uint16_t port,
                                 std::string_view target, const Headers& headers,
                                 std::string_view needle) {
  return RunClient<std::string>(options, [&](Stream& s) {
    return DoReadUntil(s, options, port, std::string(target), headers, std::string(needle));
  });
}

}  // namespace hitlgate::api::testing
