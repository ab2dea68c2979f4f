#include "codec/duplicate_keys.h"

#include <boost/json/basic_parser_impl.hpp>

#include <algorithm>
#include <vector>

namespace hitlgate::codec::internal {
namespace {

namespace json = boost::json;
using json::error_code;
using json::string_view;

// A basic_parser handler that builds nothing: it keeps the keys of each open
// object (objects in requests are small, so a linear scan beats a set) and
// stops at the first repeat. Hand-written because Boost.JSON before 1.84 has
// no option to refuse duplicates.
struct KeyCheck {
  static constexpr std::size_t max_array_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_object_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_string_size = static_cast<std::size_t>(-1);
  static constexpr std::size_t max_key_size = static_cast<std::size_t>(-1);

  struct Level {
    bool object = false;
    std::vector<std::string> keys;
  };
  std::vector<Level> open;
  std::string partial;
  std::optional<std::string> duplicate;

  std::string Path(const std::string& key) const {
    std::string path;
    for (const Level& l : open) {
      if (!l.object || l.keys.empty() || &l == &open.back()) continue;
      path += l.keys.back();
      path += '.';
    }
    path += key;
    return path;
  }

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_array_begin(error_code&) {
    open.push_back({.object = false, .keys = {}});
    return true;
  }
  bool on_array_end(std::size_t, error_code&) {
    open.pop_back();
    return true;
  }
  bool on_object_begin(error_code&) {
    open.push_back({.object = true, .keys = {}});
    return true;
  }
  bool on_object_end(std::size_t, error_code&) {
    open.pop_back();
    return true;
  }
  bool on_string_part(string_view, std::size_t, error_code&) { return true; }
  bool on_string(string_view, std::size_t, error_code&) { return true; }
  bool on_key_part(string_view s, std::size_t, error_code&) {
    partial.append(s.data(), s.size());
    return true;
  }
  bool on_key(string_view s, std::size_t, error_code& ec) {
    partial.append(s.data(), s.size());
    std::vector<std::string>& keys = open.back().keys;
    if (std::find(keys.begin(), keys.end(), partial) != keys.end()) {
      duplicate = Path(partial);
      ec = json::error::syntax;  // stops the parser; the caller reads `duplicate`
      return false;
    }
    keys.push_back(std::move(partial));
    partial.clear();
    return true;
  }
  bool on_number_part(string_view, error_code&) { return true; }
  bool on_int64(std::int64_t, string_view, error_code&) { return true; }
  bool on_uint64(std::uint64_t, string_view, error_code&) { return true; }
  bool on_double(double, string_view, error_code&) { return true; }
  bool on_bool(bool, error_code&) { return true; }
  bool on_null(error_code&) { return true; }
  bool on_comment_part(string_view, error_code&) { return true; }
  bool on_comment(string_view, error_code&) { return true; }
};

}  // namespace

std::optional<std::string> FindDuplicateKey(std::string_view text) {
  json::parse_options opt;
  opt.max_depth = 32;
  json::basic_parser<KeyCheck> p(opt);
  error_code ec;
  p.write_some(false, text.data(), text.size(), ec);
  return p.handler().duplicate;
}

}  // namespace hitlgate::codec::internal
