// StaticFiles: serves a folder (the console's built assets) for GET/HEAD
// paths under a prefix. A path without a file extension that names no file
// gets index.html, so the console's client-side routes load the app. Paths
// are resolved inside the root: "..", NUL and anything that resolves
// (through symlinks too) outside it answer 404.
//
// Ownership: holds only the root path. Thread-safe: reads files per request
// (the console is small and the OS caches it).
#pragma once

#include <string>
#include <string_view>

#include "api/http/response.h"

namespace hitlgate::api {

class StaticFiles {
 public:
  // `prefix` is where the folder is mounted, "/" or like "/console".
  explicit StaticFiles(std::string root, std::string prefix = "/");

  // 200 with the file, 404 JSON when there is none (or the path is refused).
  Response Serve(const Request& request) const;
  // "text/html; charset=utf-8" for "a/index.html"; octet-stream when unknown.
  static std::string_view MimeType(std::string_view path);

 private:
  std::string root_;
  std::string prefix_;  // without the trailing '/', "" for the root
};

}  // namespace hitlgate::api
