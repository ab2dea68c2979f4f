// NodeReader: typed reads from the document tree that report what is wrong
// (wrong_type, out_of_range, unknown_key, duplicate_key) at the node's
// position and return nullopt, so the checker can go on and find the next
// problem. Not thread-safe; one per compilation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/compiler/issue_list.h"
#include "policy/compiler/policy_model.h"
#include "policy/parser/yaml_tree.h"

namespace hitlgate::policy::compiler {

using parser::Node;

Pos PosOf(const Node& n);
// Shortest text that reads back as `v` ("0.5", "100", "604800").
std::string FormatNumber(double v);

struct Range {
  double lo;
  double hi;
  bool lo_open = false;
  bool hi_open = false;
  bool Contains(double v) const {
    return (lo_open ? v > lo : v >= lo) && (hi_open ? v < hi : v <= hi);
  }
  std::string ToString() const;  // "(0, 1]"
};

class NodeReader {
 public:
  explicit NodeReader(IssueList* issues) : issues_(issues) {}

  IssueList& issues() { return *issues_; }

  // `what` names the value in messages: "sla_seconds: expected an integer, got 'fast'".
  std::optional<std::string> String(const Node& n, std::string_view what);
  std::optional<double> Number(const Node& n, std::string_view what);
  std::optional<double> NumberIn(const Node& n, std::string_view what, const Range& range);
  std::optional<std::int64_t> Integer(const Node& n, std::string_view what);
  std::optional<int> IntegerIn(const Node& n, std::string_view what, const Range& range);
  std::optional<bool> Bool(const Node& n, std::string_view what);
  // One of `choices`: "oversight: expected one of hitl, hotl, hootl, got 'hitll'
  // (did you mean 'hitl'?)".
  std::optional<std::string> OneOf(const Node& n, std::string_view what,
                                   const std::vector<std::string>& choices);
  // A list of strings, or (when allow_single) one string.
  std::optional<std::vector<NameRef>> Names(const Node& n, std::string_view what,
                                            bool allow_single);
  std::optional<std::vector<std::string>> Strings(const Node& n, std::string_view what);
  bool ExpectMap(const Node& n, std::string_view what);
  bool ExpectList(const Node& n, std::string_view what);
  // Unknown keys (with a suggestion), duplicate keys and non-string keys.
  void CheckKeys(const Node& map, const std::vector<std::string>& allowed, std::string_view where);
  // Reports `what` missing from `map` (at the map) when absent.
  const Node* Require(const Node& map, std::string_view key, std::string_view where);

 private:
  void WrongType(const Node& n, std::string_view what, std::string_view expected);

  IssueList* issues_;
};

}  // namespace hitlgate::policy::compiler
