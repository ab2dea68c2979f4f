// Request and Response: what endpoint handlers see of HTTP. Built by the
// session from Beast's parsed request; handlers never touch sockets.
// Value types; thread-compatible.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/verb.hpp>

#include <functional>
#include <memory>
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
  std::string path;    // without the query, percent-decoded
  std::vector<std::pair<std::string, std::string>> query;    // decoded (%XX and '+')
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::vector<std::pair<std::string, std::string>> path_params;
  std::string body;
  std::string remote_address;

  // "" when absent.
  std::string_view Query(std::string_view name) const;
  std::string Header(std::string_view lower_case_name) const;
  std::string_view Param(std::string_view name) const;
};

// Splits "/a/b?x=1&y=%20" into path and decoded query pairs.
void ParseTarget(std::string_view target, Request* request);
std::string PercentDecode(std::string_view s, bool plus_is_space);

}  // namespace hitlgate::api
