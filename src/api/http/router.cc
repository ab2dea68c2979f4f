#include "api/http/router.h"

namespace hitlgate::api {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    size_t slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash);
  }
  return parts;
}

}  // namespace

void Router::Add(http::verb method, std::string pattern, Handler handler) {
  Route r{method, {}, std::move(handler)};
  for (std::string_view s : Split(pattern)) r.segments.emplace_back(s);
  routes_.push_back(std::move(r));
}

bool Router::Matches(const Route& route, const std::vector<std::string_view>& parts,
                     std::vector<std::pair<std::string, std::string>>* params) {
  if (route.segments.size() != parts.size()) return false;
  std::vector<std::pair<std::string, std::string>> found;
  for (size_t i = 0; i < parts.size(); ++i) {
    const std::string& seg = route.segments[i];
    if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
      if (parts[i].empty()) return false;
      found.emplace_back(seg.substr(1, seg.size() - 2), std::string(parts[i]));
    } else if (seg != parts[i]) {
      return false;
    }
  }
  if (params != nullptr) *params = std::move(found);
  return true;
}

asio::awaitable<Response> Router::Dispatch(Request& request) const {
  const std::vector<std::string_view> parts = Split(request.path);
  std::string allow;
  for (const Route& route : routes_) {
    std::vector<std::pair<std::string, std::string>> params;
    if (!Matches(route, parts, &params)) continue;
    if (route.method == request.method) {
      request.path_params = std::move(params);
      co_return co_await route.handler(request);
    }
    if (!allow.empty()) allow += ", ";
    allow += std::string(http::to_string(route.method));
  }
  if (!allow.empty()) {
    Response r = JsonError(Error(ErrorCode::kInvalidArgument,
                                 "method " + std::string(http::to_string(request.method)) +
                                     " not allowed on " + request.path + " (allowed: " + allow + ")"));
    r.status = 405;
    r.headers.emplace_back("Allow", allow);
    co_return r;
  }
  if (fallback_ && (request.method == http::verb::get || request.method == http::verb::head)) {
    co_return co_await fallback_(request);
  }
  co_return JsonError(Error(ErrorCode::kNotFound, "no endpoint " + request.path));
}

}  // namespace hitlgate::api
