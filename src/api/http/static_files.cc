// StaticFiles: file lookup, MIME types and caching headers.
#include "api/http/static_files.h"

#include <filesystem>
#include <fstream>
#include <iterator>

namespace hitlgate::api {
namespace {

namespace fs = std::filesystem;

bool ReadWhole(const fs::path& p, std::string* out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

// True when `p` is `root` or inside it, compared component by component
// (a string prefix would let "/srv/web2" pass for "/srv/web").
bool IsWithin(const fs::path& p, const fs::path& root) {
  auto [root_end, p_it] = std::mismatch(root.begin(), root.end(), p.begin(), p.end());
  return root_end == root.end();
}

Response NotFoundFile() { return JsonError(Error(ErrorCode::kNotFound, "no such file")); }

}  // namespace

StaticFiles::StaticFiles(std::string root, std::string prefix) : root_(std::move(root)) {
  while (prefix.ends_with('/')) prefix.pop_back();
  prefix_ = std::move(prefix);
}

std::string_view StaticFiles::MimeType(std::string_view path) {
  const size_t dot = path.rfind('.');
  const std::string_view ext =
      dot == std::string_view::npos ? std::string_view() : path.substr(dot);
  if (ext == ".html" || ext == ".htm") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".json") return "application/json";
  if (ext == ".map") return "application/json";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

Response StaticFiles::Serve(const Request& request) const {
  std::string_view path = request.path;  // already percent-decoded
  if (!path.starts_with(prefix_)) return NotFoundFile();
  path.remove_prefix(prefix_.size());
  if (!path.empty() && path.front() != '/') return NotFoundFile();  // "/consolex" is not "/console"
  // Refuse rather than normalize: no legitimate asset path has these.
  if (path.find("..") != std::string_view::npos || path.find('\0') != std::string_view::npos ||
      path.find('\\') != std::string_view::npos) {
    return NotFoundFile();
  }
  while (path.starts_with('/')) path.remove_prefix(1);

  std::error_code ec;
  fs::path root = fs::weakly_canonical(root_, ec);
  if (ec) return NotFoundFile();
  if (!root.has_filename()) root = root.parent_path();  // "/srv/web/" -> "/srv/web"
  fs::path file = path.empty() ? root / "index.html" : root / fs::path(std::string(path));
  if (!fs::is_regular_file(file, ec)) {
    // A missing asset is a 404; a path without an extension is a console
    // route that the app resolves in the browser.
    if (fs::path(std::string(path)).has_extension()) return NotFoundFile();
    file = root / "index.html";
  }
  const fs::path resolved = fs::weakly_canonical(file, ec);
  if (ec || !IsWithin(resolved, root) || !fs::is_regular_file(resolved, ec)) return NotFoundFile();

  Response r;
  if (!ReadWhole(resolved, &r.body)) return NotFoundFile();
  const std::string name = resolved.filename().string();
  r.content_type = std::string(MimeType(name));
  // index.html names the hashed asset files, so it must be revalidated;
  // the assets themselves may be cached briefly.
  r.headers.emplace_back("Cache-Control", name == "index.html" ? "no-cache" : "max-age=300");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back(
      "Content-Security-Policy",
      "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:");
  return r;
}

}  // namespace hitlgate::api
