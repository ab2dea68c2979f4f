// NodeReader: typed reads with issues (see node_reader.h).
#include "policy/compiler/node_reader.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace hitlgate::policy::compiler {

using parser::ScalarType;
using parser::TypeOf;

Pos PosOf(const Node& n) { return Pos{n.line, n.column}; }

std::string FormatNumber(double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string Range::ToString() const {
  return std::string(lo_open ? "(" : "[") + FormatNumber(lo) + ", " + FormatNumber(hi) +
         (hi_open ? ")" : "]");
}

void NodeReader::WrongType(const Node& n, std::string_view what, std::string_view expected) {
  issues_->Error(
      PosOf(n), "wrong_type",
      std::string(what) + ": expected " + std::string(expected) + ", got " + n.Describe());
}

std::optional<std::string> NodeReader::String(const Node& n, std::string_view what) {
  if (!n.is_scalar()) {
    WrongType(n, what, "a string");
    return std::nullopt;
  }
  return n.scalar;
}

std::optional<double> NodeReader::Number(const Node& n, std::string_view what) {
  const ScalarType t = n.is_scalar() ? TypeOf(n) : ScalarType::kString;
  if (!n.is_scalar() || (t != ScalarType::kInteger && t != ScalarType::kFloat)) {
    WrongType(n, what, "a number");
    return std::nullopt;
  }
  const double v = std::strtod(n.scalar.c_str(), nullptr);
  if (!std::isfinite(v)) {
    WrongType(n, what, "a finite number");
    return std::nullopt;
  }
  return v;
}

std::optional<double> NodeReader::NumberIn(const Node& n, std::string_view what,
                                           const Range& range) {
  std::optional<double> v = Number(n, what);
  if (v && !range.Contains(*v)) {
    issues_->Error(PosOf(n), "out_of_range",
                   std::string(what) + " " + n.scalar + " out of range " + range.ToString());
    return std::nullopt;
  }
  return v;
}

std::optional<std::int64_t> NodeReader::Integer(const Node& n, std::string_view what) {
  if (!n.is_scalar() || TypeOf(n) != ScalarType::kInteger) {
    WrongType(n, what, "an integer");
    return std::nullopt;
  }
  std::int64_t v = 0;
  const char* begin = n.scalar.data() + (n.scalar[0] == '+' ? 1 : 0);
  const char* end = n.scalar.data() + n.scalar.size();
  auto [p, ec] = std::from_chars(begin, end, v);
  if (ec != std::errc() || p != end) {
    issues_->Error(PosOf(n), "out_of_range", std::string(what) + " " + n.scalar + " is too large");
    return std::nullopt;
  }
  return v;
}

std::optional<int> NodeReader::IntegerIn(const Node& n, std::string_view what, const Range& range) {
  std::optional<std::int64_t> v = Integer(n, what);
  if (!v) return std::nullopt;
  if (!range.Contains(static_cast<double>(*v))) {
    issues_->Error(PosOf(n), "out_of_range",
                   std::string(what) + " " + n.scalar + " out of range " + range.ToString());
    return std::nullopt;
  }
  return static_cast<int>(*v);
}

std::optional<bool> NodeReader::Bool(const Node& n, std::string_view what) {
  if (!n.is_scalar() || TypeOf(n) != ScalarType::kBool) {
    WrongType(n, what, "true or false");
    return std::nullopt;
  }
  return n.scalar[0] == 't' || n.scalar[0] == 'T';
}

std::optional<std::string> NodeReader::OneOf(const Node& n, std::string_view what,
                                             const std::vector<std::string>& choices) {
  std::string list;
  for (const std::string& c : choices) list += (list.empty() ? "" : ", ") + c;
  if (!n.is_scalar()) {
    WrongType(n, what, "one of " + list);
    return std::nullopt;
  }
  for (const std::string& c : choices) {
    if (c == n.scalar) return c;
  }
  issues_->Error(PosOf(n), "wrong_type",
                 std::string(what) + ": expected one of " + list + ", got " + n.Describe() +
                     DidYouMean(n.scalar, choices));
  return std::nullopt;
}

std::optional<std::vector<NameRef>> NodeReader::Names(const Node& n, std::string_view what,
                                                      bool allow_single) {
  std::vector<NameRef> out;
  if (allow_single && n.is_scalar()) {
    out.push_back(NameRef{n.scalar, PosOf(n)});
    return out;
  }
  if (!n.is_sequence()) {
    WrongType(n, what, allow_single ? "a name or a list of names" : "a list of names");
    return std::nullopt;
  }
  bool ok = true;
  for (const Node& item : n.items) {
    if (!item.is_scalar() || item.scalar.empty()) {
      WrongType(item, what, "a name");
      ok = false;
      continue;
    }
    out.push_back(NameRef{item.scalar, PosOf(item)});
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<std::vector<std::string>> NodeReader::Strings(const Node& n, std::string_view what) {
  if (!n.is_sequence()) {
    WrongType(n, what, "a list of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (const Node& item : n.items) {
    if (!item.is_scalar()) {
      WrongType(item, what, "a string");
      ok = false;
      continue;
    }
    out.push_back(item.scalar);
  }
  if (!ok) return std::nullopt;
  return out;
}

bool NodeReader::ExpectMap(const Node& n, std::string_view what) {
  if (n.is_map()) return true;
  WrongType(n, what, "a map");
  return false;
}

bool NodeReader::ExpectList(const Node& n, std::string_view what) {
  if (n.is_sequence()) return true;
  WrongType(n, what, "a list");
  return false;
}

void NodeReader::CheckKeys(const Node& map, const std::vector<std::string>& allowed,
                           std::string_view where) {
  std::vector<std::string_view> seen;
  for (const parser::MapEntry& e : map.entries) {
    if (!e.key.is_scalar()) {
      WrongType(e.key, "key", "a string");
      continue;
    }
    const std::string& key = e.key.scalar;
    bool duplicate = false;
    for (std::string_view s : seen) duplicate = duplicate || s == key;
    if (duplicate) {
      issues_->Error(PosOf(e.key), "duplicate_key",
                     "duplicate key '" + key + "' in " + std::string(where));
      continue;
    }
    seen.push_back(key);
    if (allowed.empty()) continue;  // any key allowed; only duplicates checked
    bool known = false;
    for (const std::string& a : allowed) known = known || a == key;
    if (!known) {
      issues_->Error(
          PosOf(e.key), "unknown_key",
          "unknown key '" + key + "' in " + std::string(where) + DidYouMean(key, allowed));
    }
  }
}

const Node* NodeReader::Require(const Node& map, std::string_view key, std::string_view where) {
  const Node* n = map.Find(key);
  if (n == nullptr) {
    issues_->Error(PosOf(map), "missing_key",
                   std::string(where) + ": missing required key '" + std::string(key) + "'");
  }
  return n;
}

}  // namespace hitlgate::policy::compiler
