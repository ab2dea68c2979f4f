// Test clients: each operation starts one async Beast/Asio operation and a
// timer, then runs the private io_context until the operation completes; the
// timer cancels the socket's operations (without closing it) on timeout.
#include "api/http/test_client.h"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <functional>
#include <optional>
#include <sstream>

namespace hitlgate::api::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// One connection plus the machinery to run its operations with a timeout.
class Link {
 public:
  Link(std::uint16_t port, std::string host)
      : port_(port), host_(std::move(host)), socket_(io_), timer_(io_) {}

  // Runs `start(handler)` until it completes or `timeout` passes; the
  // handler is called as handler(error_code, size_t).
  template <typename Start>
  beast::error_code Run(std::chrono::milliseconds timeout, Start start) {
    beast::error_code result;
    bool timed_out = false;
    timer_.expires_after(timeout);
    timer_.async_wait([&](beast::error_code ec) {
      if (!ec) {
        timed_out = true;
        beast::error_code ignored;
        socket_.cancel(ignored);
      }
    });
    start([&](beast::error_code ec, std::size_t) {
      result = ec;
      timer_.cancel();
    });
    io_.restart();
    io_.run();
    if (timed_out && result) result = beast::error::timeout;
    return result;
  }

  Result<void> Connect(std::chrono::milliseconds timeout) {
    if (socket_.is_open()) return {};
    beast::error_code ec;
    const auto address = asio::ip::make_address(host_, ec);
    if (ec) return InvalidArgument("bad host " + host_);
    const tcp::endpoint endpoint(address, port_);
    ec = Run(timeout, [&](auto handler) {
      socket_.async_connect(endpoint, [handler](beast::error_code e) mutable { handler(e, 0); });
    });
    if (ec) {
      Close();
      return Unavailable("connect to port " + std::to_string(port_) + ": " + ec.message());
    }
    socket_.set_option(tcp::no_delay(true), ec);
    ++connects_;
    return {};
  }

  Result<void> Write(std::string_view bytes, std::chrono::milliseconds timeout) {
    auto ec = Run(timeout,
                  [&](auto handler) { asio::async_write(socket_, asio::buffer(bytes), handler); });
    return Check(ec, "write");
  }

  Result<TestResponse> ReadResponse(bool head, std::chrono::milliseconds timeout) {
    http::response_parser<http::string_body> parser;
    parser.body_limit(64u << 20);
    parser.skip(head);
    auto ec =
        Run(timeout, [&](auto handler) { http::async_read(socket_, buffer_, parser, handler); });
    HITLGATE_RETURN_IF_ERROR(Check(ec, "read"));
    auto res = parser.release();
    TestResponse out;
    out.status = res.result_int();
    for (const auto& field : res)
      out.headers.emplace_back(Lower(field.name_string()), std::string(field.value()));
    out.body = std::move(res.body());
    out.keep_alive = res.keep_alive();
    if (!out.keep_alive) Close();
    return out;
  }

  bool WaitForClose(std::chrono::milliseconds timeout) {
    if (!socket_.is_open()) return true;
    buffer_.consume(buffer_.size());
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      char sink[4096];
      auto ec =
          Run(left, [&](auto handler) { socket_.async_read_some(asio::buffer(sink), handler); });
      if (ec == beast::error::timeout) return false;
      if (ec) {
        Close();
        return true;  // EOF or reset: the server closed it
      }
    }
  }

  void Close() {
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
    buffer_.consume(buffer_.size());
  }

  tcp::socket& socket() { return socket_; }
  beast::flat_buffer& buffer() { return buffer_; }
  const std::string& host() const { return host_; }
  size_t connects() const { return connects_; }

 private:
  Result<void> Check(const beast::error_code& ec, std::string_view what) {
    if (!ec) return {};
    Close();
    if (ec == beast::error::timeout)
      return MakeError(ErrorCode::kDeadlineExceeded, std::string(what) + " timed out");
    return Unavailable(std::string(what) + ": " + ec.message());
  }

  std::uint16_t port_;
  std::string host_;
  asio::io_context io_;
  tcp::socket socket_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  size_t connects_ = 0;
};

std::string Serialize(http::verb method, std::string_view target, std::string_view body,
                      const Headers& headers, const std::string& host) {
  http::request<http::string_body> req{method, std::string(target), 11};
  req.set(http::field::host, host);
  req.set(http::field::user_agent, "hitlgate-test");
  for (const auto& [name, value] : headers) req.set(name, value);
  req.body() = std::string(body);
  req.prepare_payload();
  std::ostringstream out;
  out << req;
  return out.str();
}

}  // namespace

std::string TestResponse::Header(std::string_view name) const {
  const std::string lower = Lower(name);
  for (const auto& [k, v] : headers) {
    if (k == lower) return v;
  }
  return {};
}

// ---------------------------------------------------------------- TestClient

struct TestClient::Impl {
  Impl(std::uint16_t port, std::string host) : link(port, std::move(host)) {}
  Link link;
};

TestClient::TestClient(std::uint16_t port, std::string host)
    : impl_(std::make_unique<Impl>(port, std::move(host))) {}
TestClient::~TestClient() = default;

Result<void> TestClient::Connect() { return impl_->link.Connect(timeout_); }

Result<TestResponse> TestClient::Request(http::verb method, std::string_view target,
                                         std::string_view body, const Headers& headers) {
  HITLGATE_RETURN_IF_ERROR(Connect());
  const std::string wire = Serialize(method, target, body, headers, impl_->link.host());
  HITLGATE_RETURN_IF_ERROR(impl_->link.Write(wire, timeout_));
  return impl_->link.ReadResponse(method == http::verb::head, timeout_);
}

Result<void> TestClient::Write(std::string_view bytes) {
  if (auto ok = Connect(); !ok) return ok;
  return impl_->link.Write(bytes, timeout_);
}

Result<TestResponse> TestClient::ReadResponse(bool head) {
  return impl_->link.ReadResponse(head, timeout_);
}

bool TestClient::WaitForClose(std::chrono::milliseconds timeout) {
  return impl_->link.WaitForClose(timeout);
}

void TestClient::Close() { impl_->link.Close(); }

size_t TestClient::connects() const { return impl_->link.connects(); }

// ----------------------------------------------------------------- SseClient

struct SseClient::Impl {
  Impl(std::uint16_t port, std::string host) : link(port, std::move(host)) {}

  // Splits complete frames ("...\n\n") off `pending` into `events`.
  void ParseFrames() {
    for (;;) {
      const size_t end = pending.find("\n\n");
      if (end == std::string::npos) return;
      std::string_view frame(pending.data(), end);
      SseEvent event;
      bool has_field = false;
      bool first_data = true;
      while (!frame.empty()) {
        const size_t nl = frame.find('\n');
        std::string_view line = frame.substr(0, nl);
        frame = nl == std::string_view::npos ? std::string_view() : frame.substr(nl + 1);
        if (line.starts_with(':')) {
          ++comments;
          continue;
        }
        const size_t colon = line.find(':');
        std::string_view name = line.substr(0, colon);
        std::string_view value =
            colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
        if (value.starts_with(' ')) value.remove_prefix(1);
        has_field = true;
        if (name == "event") {
          event.event = value;
        } else if (name == "id") {
          event.id = value;
        } else if (name == "data") {
          if (!first_data) event.data += '\n';
          event.data += value;
          first_data = false;
        }
      }
      if (has_field) events.push_back(std::move(event));
      pending.erase(0, end + 2);
    }
  }

  Link link;
  std::optional<http::response_parser<http::string_body>> parser;
  // The parser keeps a reference to this callback: it must live as long.
  std::function<std::size_t(std::uint64_t, beast::string_view, beast::error_code&)> on_chunk =
      [this](std::uint64_t, beast::string_view body, beast::error_code&) {
        pending.append(body.data(), body.size());
        return body.size();
      };
  std::string pending;
  std::vector<SseEvent> events;  // parsed, not yet returned
  size_t comments = 0;
  bool ended = false;
};

SseClient::SseClient(std::uint16_t port, std::string host)
    : impl_(std::make_unique<Impl>(port, std::move(host))) {}
SseClient::~SseClient() = default;

Result<TestResponse> SseClient::Open(std::string_view target, const Headers& headers,
                                     std::chrono::milliseconds timeout) {
  Impl& s = *impl_;
  HITLGATE_RETURN_IF_ERROR(s.link.Connect(timeout));
  Headers all = headers;
  all.emplace_back("Accept", "text/event-stream");
  if (auto ok = s.link.Write(Serialize(http::verb::get, target, {}, all, s.link.host()), timeout);
      !ok) {
    return std::unexpected(ok.error());
  }
  s.parser.emplace();
  s.parser->body_limit(boost::none);
  s.parser->on_chunk_body(s.on_chunk);
  auto ec = s.link.Run(timeout, [&](auto handler) {
    http::async_read_header(s.link.socket(), s.link.buffer(), *s.parser, handler);
  });
  if (ec) {
    s.link.Close();
    return Unavailable("reading the stream's header: " + ec.message());
  }
  const auto& head = s.parser->get();
  TestResponse out;
  out.status = head.result_int();
  for (const auto& field : head)
    out.headers.emplace_back(Lower(field.name_string()), std::string(field.value()));
  if (!s.parser->chunked()) {
    // Not a stream: an error answer with a plain body.
    ec = s.link.Run(timeout, [&](auto handler) {
      http::async_read(s.link.socket(), s.link.buffer(), *s.parser, handler);
    });
    out.body = s.parser->get().body();
    s.ended = true;
  }
  return out;
}

std::vector<SseEvent> SseClient::ReadEvents(size_t n, std::chrono::milliseconds timeout) {
  Impl& s = *impl_;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (s.events.size() < n && !s.ended && s.parser) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    auto ec = s.link.Run(left, [&](auto handler) {
      http::async_read_some(s.link.socket(), s.link.buffer(), *s.parser, handler);
    });
    s.ParseFrames();
    if (ec == beast::error::timeout) break;
    if (ec || s.parser->is_done()) s.ended = true;
  }
  const size_t take = std::min(n, s.events.size());
  std::vector<SseEvent> out(
      std::make_move_iterator(s.events.begin()),
      std::make_move_iterator(s.events.begin() + static_cast<std::ptrdiff_t>(take)));
  s.events.erase(s.events.begin(), s.events.begin() + static_cast<std::ptrdiff_t>(take));
  return out;
}

size_t SseClient::comments() const { return impl_->comments; }
bool SseClient::ended() const { return impl_->ended; }
void SseClient::Close() {
  impl_->link.Close();
  impl_->ended = true;
}

}  // namespace hitlgate::api::testing
