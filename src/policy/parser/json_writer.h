// Node -> JSON text. Used for the policy version (canonical form: object keys
// sorted, no whitespace, numbers normalized, so comments, formatting and key
// order do not change a policy's version) and for case-file events.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "policy/parser/yaml_tree.h"

namespace hitlgate::policy::parser {

// Appends `s` as a JSON string literal.
void AppendJsonString(std::string_view s, std::string* out);

// Appends the JSON form of one scalar (typed by TypeOf). Non-finite or
// out-of-range numbers are written as strings.
void AppendScalarJson(const Node& scalar, std::string* out);

// JSON of a tree with map keys in file order (duplicates kept; last wins for
// most JSON readers).
void AppendJson(const Node& node, std::string* out);

// Canonical JSON of a whole tree: map keys sorted (byte order), no whitespace.
std::string CanonicalJson(const Node& root);

}  // namespace hitlgate::policy::parser
