// Router: a linear scan over the routes. The API has a few dozen routes, so
// a scan is as fast as a trie here and much simpler.
#include "api/http/router.h"

namespace hitlgate::api {
namespace {

// "/a//b/" -> {"a", "b"}: empty segments are ignored.
std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const size_t slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash);
  }
  return parts;
}

bool IsParam(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::Add(http::verb method, std::string pattern, Handler handler) {
  Route route{method, {}, std::move(handler)};
  for (std::string_view s : Split(pattern)) route.segments.emplace_back(s);
  routes_.push_back(std::move(route));
}

bool Router::Matches(const Route& route, const std::vector<std::string_view>& parts,
                     std::vector<std::pair<std::string, std::string>>* params) {
  if (route.segments.size() != parts.size()) return false;
  std::vector<std::pair<std::string, std::string>> found;
  for (size_t i = 0; i < parts.size(); ++i) {
    const std::string& seg = route.segments[i];
    // Segments are decoded one by one, so an id holding "%2F" stays one
    // segment instead of splitting the path.
    std::string decoded = PercentDecode(parts[i], /*plus_is_space=*/false);
    if (IsParam(seg)) {
      found.emplace_back(seg.substr(1, seg.size() - 2), std::move(decoded));
    } else if (seg != decoded) {
      return false;
    }
  }
  *params = std::move(found);
  return true;
}

asio::awaitable<Response> Router::Dispatch(Request& request) const {
  std::string_view raw_path = request.target;
  raw_path = raw_path.substr(0, raw_path.find('?'));
  const std::vector<std::string_view> parts = Split(raw_path);
  const bool head = request.method == http::verb::head;
  std::string allow;
  for (const Route& route : routes_) {
    std::vector<std::pair<std::string, std::string>> params;
    if (!Matches(route, parts, &params)) continue;
    if (route.method == request.method || (head && route.method == http::verb::get)) {
      request.path_params = std::move(params);
      // Named, not a temporary inside co_await: see BlockingPool::Run.
      auto call = route.handler(request);
      co_return co_await std::move(call);
    }
    const std::string_view name = http::to_string(route.method);
    if (allow.find(name) == std::string::npos) {
      if (!allow.empty()) allow += ", ";
      allow += name;
    }
  }
  if (!allow.empty()) {
    Response r = Json(
        405, JsonErrorBody("method_not_allowed",
                           "method " + std::string(http::to_string(request.method)) +
                               " is not allowed on " + request.path + " (allowed: " + allow + ")"));
    r.headers.emplace_back("Allow", allow);
    co_return r;
  }
  if (fallback_ && (request.method == http::verb::get || head)) {
    auto call = fallback_(request);
    co_return co_await std::move(call);
  }
  co_return JsonError(Error(ErrorCode::kNotFound, "no endpoint " + request.path));
}

}  // namespace hitlgate::api
