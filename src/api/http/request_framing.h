// Request framing: what the session does with a request's bytes before
// routing — Beast's parser with the server's limits, and the conversion of
// the parsed message to a Request. Split from session.cc so the fuzzer
// (fuzz/http_request_fuzz.cc) drives exactly this code without sockets.
// Stateless.
#pragma once

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <string>

#include "api/http/request.h"

namespace hitlgate::api {

using BeastRequestParser = http::request_parser<http::string_body>;

// Request line plus headers; over it: 431.
constexpr std::size_t kHeaderLimit = 32 * 1024;

// Applies the server's header limit and `body_limit` to a fresh parser.
void LimitRequestParser(std::size_t body_limit, BeastRequestParser& parser);

// Moves the parsed message into a Request: target split and decoded,
// header names lower-cased.
Request ToRequest(http::request<http::string_body>& message, const std::string& remote);

}  // namespace hitlgate::api
