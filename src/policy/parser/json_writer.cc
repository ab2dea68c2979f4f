// Canonical JSON of a document tree (see json_writer.h).
#include "policy/parser/json_writer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>

namespace hitlgate::policy::parser {
namespace {

void AppendNumber(const std::string& text, ScalarType type, std::string* out) {
  char buf[64];
  if (type == ScalarType::kInteger) {
    std::int64_t v = 0;
    const char* begin = text.data() + (text[0] == '+' ? 1 : 0);
    auto [p, ec] = std::from_chars(begin, text.data() + text.size(), v);
    if (ec == std::errc() && p == text.data() + text.size()) {
      auto r = std::to_chars(buf, buf + sizeof buf, v);
      out->append(buf, r.ptr);
      return;
    }
  }
  // Floats, and integers too large for int64, normalize through double.
  const double d = std::strtod(text.c_str(), nullptr);
  if (!std::isfinite(d)) {
    AppendJsonString(text, out);
    return;
  }
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  out->append(buf, r.ptr);
}

void Append(const Node& n, bool sorted, std::string* out) {
  switch (n.kind) {
    case Node::Kind::kNull:
      out->append("null");
      return;
    case Node::Kind::kScalar:
      AppendScalarJson(n, out);
      return;
    case Node::Kind::kSequence:
      out->push_back('[');
      for (std::size_t i = 0; i < n.items.size(); ++i) {
        if (i > 0) out->push_back(',');
        Append(n.items[i], sorted, out);
      }
      out->push_back(']');
      return;
    case Node::Kind::kMap: {
      // Keys are compared as the strings JSON will show.
      std::vector<std::pair<std::string, const Node*>> keyed;
      keyed.reserve(n.entries.size());
      for (const MapEntry& e : n.entries) {
        std::string key;
        if (e.key.is_scalar()) {
          key = e.key.scalar;
        } else {
          Append(e.key, sorted, &key);  // complex keys: their JSON text
        }
        keyed.emplace_back(std::move(key), &e.value);
      }
      if (sorted) {
        std::stable_sort(keyed.begin(), keyed.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
      }
      out->push_back('{');
      for (std::size_t i = 0; i < keyed.size(); ++i) {
        if (i > 0) out->push_back(',');
        AppendJsonString(keyed[i].first, out);
        out->push_back(':');
        Append(*keyed[i].second, sorted, out);
      }
      out->push_back('}');
      return;
    }
  }
}

}  // namespace

void AppendJsonString(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      default:
        if (u < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[u >> 4]);
          out->push_back(kHex[u & 15]);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

void AppendScalarJson(const Node& n, std::string* out) {
  const ScalarType type = TypeOf(n);
  switch (type) {
    case ScalarType::kNull:
      out->append("null");
      return;
    case ScalarType::kBool:
      out->append(n.scalar[0] == 't' || n.scalar[0] == 'T' ? "true" : "false");
      return;
    case ScalarType::kInteger:
    case ScalarType::kFloat:
      AppendNumber(n.scalar, type, out);
      return;
    case ScalarType::kString:
      AppendJsonString(n.scalar, out);
      return;
  }
}

void AppendJson(const Node& node, std::string* out) { Append(node, false, out); }

std::string CanonicalJson(const Node& root) {
  std::string out;
  Append(root, true, &out);
  return out;
}

}  // namespace hitlgate::policy::parser
