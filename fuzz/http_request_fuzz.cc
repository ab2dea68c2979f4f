// Fuzz target for HTTP request framing as the server reads it: Beast's
// request parser with the session's limits (request_framing.h), fed the way
// the session feeds it (header, then body, then the next request on a
// kept-alive connection), over a stream that hands out the bytes in pieces
// of a size the input chooses, as TCP segments would. Every request that
// parses becomes a Request (target split, query and path percent-decoded,
// header names lower-cased) exactly as handlers receive it.
//
// Input: byte 0 picks the segment size (1..256), the rest is the connection's
// bytes. Beyond "no crash, leak or undefined behaviour" it checks what the
// handlers rely on: bodies within the limit, header names lower-case, the
// target kept as sent, and percent-decoding that inverts percent-encoding.
#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "api/http/request_framing.h"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using hitlgate::api::Request;

// Small enough that inputs of a few KB reach the 413 path; the server's
// limit is an option (ServerOptions::body_limit), this is one of its values.
constexpr std::size_t kBodyLimit = 2048;
// A connection carries at most this many requests here (pipelining).
constexpr int kMaxRequests = 64;

[[noreturn]] void Fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "http_request_fuzz: %s: %.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

// A SyncReadStream over the input, `segment` bytes per read at most.
class SegmentedStream {
 public:
  using executor_type = asio::any_io_executor;

  SegmentedStream(std::string_view bytes, std::size_t segment) : rest_(bytes), segment_(segment) {}

  template <typename Buffers>
  std::size_t read_some(const Buffers& buffers, beast::error_code& ec) {
    if (rest_.empty()) {
      ec = asio::error::eof;
      return 0;
    }
    const std::size_t n = asio::buffer_copy(
        buffers, asio::buffer(rest_.data(), std::min(segment_, rest_.size())));
    rest_.remove_prefix(n);
    ec = {};
    return n;
  }

  template <typename Buffers>
  std::size_t read_some(const Buffers& buffers) {
    beast::error_code ec;
    const std::size_t n = read_some(buffers, ec);
    if (ec) throw beast::system_error(ec);
    return n;
  }

 private:
  std::string_view rest_;
  std::size_t segment_;
};

std::string PercentEncodeAll(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    out += '%';
    out += kHex[u >> 4];
    out += kHex[u & 15];
  }
  return out;
}

void CheckRequest(const Request& r, std::string_view target) {
  if (r.target != target) Fail("target not kept as sent", r.target);
  const std::string_view raw_path = target.substr(0, target.find('?'));
  if (raw_path.find('%') == std::string_view::npos && r.path != raw_path) {
    Fail("a path without escapes changed", r.path);
  }
  if (r.body.size() > kBodyLimit) Fail("body over the limit accepted", r.target);
  for (const auto& [name, value] : r.headers) {
    if (std::any_of(name.begin(), name.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
      Fail("header name not lower-cased", name);
    }
    // Lookups are case-insensitive and find the first of repeated names.
    if (r.Header(name) != std::find_if(r.headers.begin(), r.headers.end(), [&](const auto& h) {
                            return h.first == name;
                          })->second) {
      Fail("header lookup misses", name);
    }
  }
  // A query key sent fully escaped must come back as decoded.
  for (const auto& [key, value] : r.query) {
    if (hitlgate::api::PercentDecode(PercentEncodeAll(key), /*plus_is_space=*/true) != key) {
      Fail("percent-decoding does not invert percent-encoding", key);
    }
    (void)r.Query(key);
  }
  (void)r.Query("wait");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t segment = 1 + data[0];
  SegmentedStream stream(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1),
                         segment);
  beast::flat_buffer buffer;
  for (int i = 0; i < kMaxRequests; ++i) {
    hitlgate::api::BeastRequestParser parser;
    hitlgate::api::LimitRequestParser(kBodyLimit, parser);
    beast::error_code ec;
    http::read_header(stream, buffer, parser, ec);
    if (!ec && !parser.is_done()) http::read(stream, buffer, parser, ec);
    // Any read error ends the connection (the session answers 400, 413 or
    // 431, or nothing), so there is nothing more to check.
    if (ec) return 0;
    auto message = parser.release();
    const std::string target(message.target());
    const bool keep_alive = message.keep_alive();
    const Request request = hitlgate::api::ToRequest(message, "127.0.0.1");
    CheckRequest(request, target);
    if (!keep_alive) return 0;
  }
  return 0;
}
