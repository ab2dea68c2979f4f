// StaticFiles: serves the console's built assets from a folder, for GET
// paths that no API route claimed. Unknown paths without a file extension
// get index.html (the console routes in the browser). Paths are resolved
// inside the root; ".." and anything escaping it are refused.
// Thread-safe (reads files per request; the console is small).
#pragma once

#include <string>

#include "api/http/response.h"

namespace hitlgate::api {

class StaticFiles {
 public:
  explicit StaticFiles(std::string root) : root_(std::move(root)) {}
  Response Serve(const Request& request) const;
  static std::string_view MimeType(std::string_view path);

 private:
  std::string root_;
};

}  // namespace hitlgate::api
