// Request: what an endpoint handler sees of one HTTP request. The session
// builds it from Beast's parsed message, so handlers never include Beast
// (only the small verb enum) and never touch sockets.
//
// Ownership: a plain value; the session owns it for the duration of the
// handler call (handlers get a reference that is valid until they return).
// Thread-compatible.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/verb.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hitlgate::api {

namespace asio = boost::asio;
namespace http = boost::beast::http;

struct Request {
  http::verb method = http::verb::get;
  std::string target;  // as sent, with the query
  std::string path;    // without the query, percent-decoded ('+' stays '+')
  std::vector<std::pair<std::string, std::string>> query;        // decoded (%XX and '+')
  std::vector<std::pair<std::string, std::string>> headers;      // names lower-cased, in order
  std::vector<std::pair<std::string, std::string>> path_params;  // filled by the Router
  std::string body;
  std::string remote_address;  // peer IP, "" when unknown

  // First value of the query parameter; "" when absent.
  std::string_view Query(std::string_view name) const;
  // First value of the header, name matched case-insensitively; "" when absent.
  std::string Header(std::string_view name) const;
  // A {name} segment of the matched route pattern; "" when absent.
  std::string_view Param(std::string_view name) const;
};

// Splits "/a/b?x=1&y=%20" into `path` and decoded `query` pairs (also sets
// `target`). Malformed escapes are kept literally rather than rejected.
void ParseTarget(std::string_view target, Request* request);
std::string PercentDecode(std::string_view s, bool plus_is_space);

}  // namespace hitlgate::api
