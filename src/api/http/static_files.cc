#include "api/http/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace hitlgate::api {
namespace {

namespace fs = std::filesystem;

bool ReadWhole(const fs::path& p, std::string* out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  *out = s.str();
  return true;
}

}  // namespace

std::string_view StaticFiles::MimeType(std::string_view path) {
  auto ends = [&](std::string_view ext) { return path.ends_with(ext); };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js") || ends(".mjs")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".png")) return "image/png";
  if (ends(".ico")) return "image/x-icon";
  if (ends(".json")) return "application/json";
  if (ends(".woff2")) return "font/woff2";
  if (ends(".txt")) return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

Response StaticFiles::Serve(const Request& request) const {
  std::string_view path = request.path;
  if (path.find("..") != std::string_view::npos || path.find('\0') != std::string_view::npos) {
    return JsonError(Error(ErrorCode::kNotFound, "no such file"));
  }
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(root_, ec);
  fs::path file = root / std::string(path.size() > 1 ? path.substr(1) : "index.html");
  const bool has_extension = fs::path(std::string(path)).has_extension();
  if (!fs::is_regular_file(file, ec)) {
    if (has_extension) return JsonError(Error(ErrorCode::kNotFound, "no such file " + std::string(path)));
    file = root / "index.html";  // a console route: the app decides
  }
  fs::path canonical = fs::weakly_canonical(file, ec);
  const std::string croot = root.string();
  if (ec || canonical.string().compare(0, croot.size(), croot) != 0) {
    return JsonError(Error(ErrorCode::kNotFound, "no such file"));
  }
  Response r;
  if (!ReadWhole(canonical, &r.body)) return JsonError(Error(ErrorCode::kNotFound, "no such file"));
  r.content_type = std::string(MimeType(canonical.string()));
  r.headers.emplace_back("Cache-Control", canonical.filename() == "index.html" ? "no-cache" : "max-age=300");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:");
  return r;
}

}  // namespace hitlgate::api
