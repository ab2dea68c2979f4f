// Router: maps method + path pattern ("/v1/review/tasks/{id}/verdict") to a
// handler coroutine. Exact segments and {param} segments; 404 when no pattern
// matches the path, 405 with an Allow header when only the method is wrong.
// An optional fallback serves GETs nothing else matched (the console).
// Routes are added before the server starts; Dispatch is thread-safe after.
#pragma once

#include "api/http/response.h"

namespace hitlgate::api {

using Handler = std::function<asio::awaitable<Response>(Request&)>;

class Router {
 public:
  void Add(http::verb method, std::string pattern, Handler handler);
  void SetFallback(Handler handler) { fallback_ = std::move(handler); }
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
