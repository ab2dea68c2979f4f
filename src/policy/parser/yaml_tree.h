// Document tree: the policy parser's output. A YAML document becomes a tree of
// plain Nodes that remember where each one starts in the source (line, column,
// byte offset) and how each scalar was written (plain, quoted, block), so the
// checker can point issues INTO the file. yaml-cpp stays behind ParseYaml();
// nothing outside src/policy/parser sees its types.
//
// Nodes are plain values owned by their parent; thread-compatible.
#pragma once

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace hitlgate::policy::parser {

enum class ScalarStyle { kPlain, kSingleQuoted, kDoubleQuoted, kLiteral, kFolded };

struct MapEntry;

struct Node {
  enum class Kind { kNull, kScalar, kSequence, kMap };
  Kind kind = Kind::kNull;
  std::string scalar;  // the scalar's value (after unquoting), for kScalar
  ScalarStyle style = ScalarStyle::kPlain;
  int line = 0;                   // 1-based; 0 when unknown
  int column = 0;                 // 1-based
  std::size_t offset = 0;         // byte offset of the node's first character
  std::vector<Node> items;        // kSequence
  std::vector<MapEntry> entries;  // kMap, in file order (duplicates kept)

  bool is_null() const { return kind == Kind::kNull; }
  bool is_scalar() const { return kind == Kind::kScalar; }
  bool is_sequence() const { return kind == Kind::kSequence; }
  bool is_map() const { return kind == Kind::kMap; }
  // First entry with this key, or null. Only for maps.
  const Node* Find(std::string_view key) const;
  // "a map", "a list", "'fast'", "nothing": for "expected X, got Y" messages.
  std::string Describe() const;
};

struct MapEntry {
  Node key;
  Node value;
};

// How a plain scalar reads as a JSON-like value (YAML 1.2 core schema).
// Quoted and block scalars are always strings.
enum class ScalarType { kString, kInteger, kFloat, kBool, kNull };
ScalarType TypeOf(const Node& scalar);

struct YamlError {
  int line = 0;  // 1-based
  int column = 0;
  std::string message;
};

// Limits that keep hostile input (alias bombs, deep nesting) cheap.
inline constexpr std::size_t kMaxYamlBytes = 4 * 1024 * 1024;
inline constexpr int kMaxYamlDepth = 64;
inline constexpr std::size_t kMaxYamlNodes = 200000;

// Parses one YAML document. Never throws. An empty document is a kNull root.
[[nodiscard]] std::expected<Node, YamlError> ParseYaml(std::string_view text);

}  // namespace hitlgate::policy::parser
