// Router: maps method + path pattern ("/v1/tasks/{id}/verdict") to a handler
// coroutine. Patterns have exact segments and {param} segments; a param
// matches one non-empty segment, percent-decoded. No match for the path:
// 404 (or the fallback, for GET/HEAD); the path matches but not the method:
// 405 with an Allow header. HEAD is served by GET routes.
//
// Thread-safety: Add and SetFallback before the server starts; Dispatch is
// then safe from any number of threads (the routes are read-only).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/http/response.h"

namespace hitlgate::api {

// A handler gets the request by reference; it stays valid until the
// returned coroutine completes.
using Handler = std::function<asio::awaitable<Response>(Request&)>;

class Router {
 public:
  // Later routes never shadow earlier ones: the first match wins.
  void Add(http::verb method, std::string pattern, Handler handler);
  // Serves GET/HEAD requests no pattern matched (the console's files).
  void SetFallback(Handler handler) { fallback_ = std::move(handler); }

  // Routes `request` (filling its path_params) and runs the handler.
  asio::awaitable<Response> Dispatch(Request& request) const;

 private:
  struct Route {
    http::verb method;
    std::vector<std::string> segments;  // "{name}" marks a parameter
    Handler handler;
  };
  static bool Matches(const Route& route, const std::vector<std::string_view>& parts,
                      std::vector<std::pair<std::string, std::string>>* params);

  std::vector<Route> routes_;
  Handler fallback_;
};

}  // namespace hitlgate::api
