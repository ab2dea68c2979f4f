#include "codec/json_util.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "codec/duplicate_keys.h"
#include "hitlgate/codec/json.h"

namespace hitlgate::codec::internal {

namespace json = boost::json;

std::string_view KindName(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return "number";
    case json::kind::string: return "string";
    case json::kind::array: return "array";
    case json::kind::object: return "object";
  }
  return "value";
}

std::unexpected<Error> WrongType(std::string_view field, std::string_view expected,
                                 const json::value& got) {
  return InvalidArgument("field '" + std::string(field) + "': expected " + std::string(expected) +
                         ", got " + std::string(KindName(got)));
}

Result<std::string> GetString(const json::value& v, std::string_view field) {
  if (!v.is_string()) return WrongType(field, "a string", v);
  return std::string(v.get_string());
}

Result<double> GetNumber(const json::value& v, std::string_view field) {
  if (v.is_double()) {
    double d = v.get_double();
    if (!std::isfinite(d)) return InvalidArgument("field '" + std::string(field) + "': not finite");
    return d;
  }
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  return WrongType(field, "a number", v);
}

Result<bool> GetBool(const json::value& v, std::string_view field) {
  if (!v.is_bool()) return WrongType(field, "true or false", v);
  return v.get_bool();
}

Result<json::value> ParseJson(std::string_view text, json::storage_ptr sp) {
  json::parse_options opt;
  opt.max_depth = 32;  // events are shallow; deep nesting is an attack, not data
  json::stream_parser p(std::move(sp), opt);
  boost::system::error_code ec;
  size_t n = p.write_some(text.data(), text.size(), ec);
  if (!ec && n < text.size()) {
    // write_some stops after a complete value: anything left must be blank.
    auto rest = text.substr(n);
    if (rest.find_first_not_of(" \t\r\n") != std::string_view::npos) {
      return InvalidArgument("invalid JSON: unexpected text after the value at byte " +
                             std::to_string(n + 1));
    }
  }
  if (!ec) p.finish(ec);
  if (ec) {
    return InvalidArgument("invalid JSON at byte " + std::to_string(std::min(n + 1, text.size())) +
                           ": " + ec.message());
  }
  if (auto dup = FindDuplicateKey(text)) {
    return InvalidArgument("invalid JSON: duplicate key '" + *dup + "'");
  }
  return p.release();
}

void AppendCanonical(const json::value& v, std::string* out) {
  switch (v.kind()) {
    case json::kind::object: {
      const auto& obj = v.get_object();
      std::vector<const json::key_value_pair*> items;
      items.reserve(obj.size());
      for (const auto& kv : obj) items.push_back(&kv);
      std::sort(items.begin(), items.end(),
                [](auto* a, auto* b) { return a->key() < b->key(); });
      out->push_back('{');
      bool first = true;
      for (auto* kv : items) {
        if (!first) out->push_back(',');
        first = false;
        AppendJsonString(kv->key(), out);
        out->push_back(':');
        AppendCanonical(kv->value(), out);
      }
      out->push_back('}');
      return;
    }
    case json::kind::array: {
      out->push_back('[');
      bool first = true;
      for (const auto& e : v.get_array()) {
        if (!first) out->push_back(',');
        first = false;
        AppendCanonical(e, out);
      }
      out->push_back(']');
      return;
    }
    case json::kind::string:
      AppendJsonString(v.get_string(), out);
      return;
    case json::kind::double_:
      AppendJsonNumber(v.get_double(), out);
      return;
    default:
      out->append(json::serialize(v));
      return;
  }
}

}  // namespace hitlgate::codec::internal
