#include "api/http/request_framing.h"

#include <cctype>
#include <iterator>

namespace hitlgate::api {

void LimitRequestParser(std::size_t body_limit, BeastRequestParser& parser) {
  parser.header_limit(kHeaderLimit);
  parser.body_limit(body_limit);
}

Request ToRequest(http::request<http::string_body>& message, const std::string& remote) {
  Request r;
  r.method = message.method();
  ParseTarget(std::string_view(message.target().data(), message.target().size()), &r);
  r.headers.reserve(static_cast<std::size_t>(std::distance(message.begin(), message.end())));
  for (const auto& field : message) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  r.body = std::move(message.body());
  r.remote_address = remote;
  return r;
}

}  // namespace hitlgate::api
