// ParseYaml: yaml-cpp's node graph -> our Node tree. The only file in
// hitlgate that includes yaml-cpp. Every yaml-cpp exception is caught here.
#include "policy/parser/yaml_tree.h"

#include <yaml-cpp/yaml.h>

#include <cctype>

namespace hitlgate::policy::parser {
namespace {

class Converter {
 public:
  explicit Converter(std::string_view text) : text_(text) {}

  // Returns false (and sets error_) when a limit is hit.
  bool Convert(const YAML::Node& in, const YAML::Mark& fallback, int depth, Node* out) {
    if (depth > kMaxYamlDepth) return Fail(in, fallback, "nesting deeper than 64 levels");
    if (++nodes_ > kMaxYamlNodes) {
      // Aliases can make a small file expand to a huge tree.
      return Fail(in, fallback, "document expands to more than 200000 nodes");
    }
    SetMark(in, fallback, out);
    switch (in.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        out->kind = Node::Kind::kNull;
        return true;
      case YAML::NodeType::Scalar:
        out->kind = Node::Kind::kScalar;
        out->scalar = in.Scalar();
        out->style = StyleAt(out->offset, in.Tag());
        return true;
      case YAML::NodeType::Sequence: {
        out->kind = Node::Kind::kSequence;
        const YAML::Mark here = MarkOf(in, fallback);
        for (const YAML::Node& item : in) {
          out->items.emplace_back();
          if (!Convert(item, here, depth + 1, &out->items.back())) return false;
        }
        return true;
      }
      case YAML::NodeType::Map: {
        out->kind = Node::Kind::kMap;
        const YAML::Mark here = MarkOf(in, fallback);
        for (auto it = in.begin(); it != in.end(); ++it) {
          out->entries.emplace_back();
          MapEntry& e = out->entries.back();
          if (!Convert(it->first, here, depth + 1, &e.key)) return false;
          // A null value ("key:") has no position of its own: use its key's.
          if (!Convert(it->second, MarkOf(it->first, here), depth + 1, &e.value)) return false;
          if (e.value.is_null()) {
            // yaml-cpp places an empty value where the parser stopped (often
            // the next line); the key is where a person looks.
            e.value.line = e.key.line;
            e.value.column = e.key.column;
            e.value.offset = e.key.offset;
          }
        }
        return true;
      }
    }
    return true;
  }

  const YamlError& error() const { return error_; }

 private:
  static YAML::Mark MarkOf(const YAML::Node& n, const YAML::Mark& fallback) {
    const YAML::Mark m = n.Mark();
    return m.is_null() || m.line < 0 ? fallback : m;
  }

  void SetMark(const YAML::Node& in, const YAML::Mark& fallback, Node* out) const {
    const YAML::Mark m = MarkOf(in, fallback);
    out->line = m.line < 0 ? 0 : m.line + 1;
    out->column = m.column < 0 ? 0 : m.column + 1;
    out->offset = m.pos < 0 ? 0 : static_cast<std::size_t>(m.pos);
  }

  // yaml-cpp does not report how a scalar was written; the source does.
  ScalarStyle StyleAt(std::size_t offset, const std::string& tag) const {
    if (tag == "?" || offset >= text_.size()) return ScalarStyle::kPlain;
    switch (text_[offset]) {
      case '\'':
        return ScalarStyle::kSingleQuoted;
      case '"':
        return ScalarStyle::kDoubleQuoted;
      case '|':
        return ScalarStyle::kLiteral;
      case '>':
        return ScalarStyle::kFolded;
      default:
        return ScalarStyle::kPlain;
    }
  }

  bool Fail(const YAML::Node& in, const YAML::Mark& fallback, const char* message) {
    const YAML::Mark m = MarkOf(in, fallback);
    error_ = YamlError{m.line + 1, m.column + 1, message};
    return false;
  }

  std::string_view text_;
  std::size_t nodes_ = 0;
  YamlError error_;
};

}  // namespace

const Node* Node::Find(std::string_view key) const {
  for (const MapEntry& e : entries) {
    if (e.key.is_scalar() && e.key.scalar == key) return &e.value;
  }
  return nullptr;
}

std::string Node::Describe() const {
  switch (kind) {
    case Kind::kNull:
      return "nothing";
    case Kind::kSequence:
      return "a list";
    case Kind::kMap:
      return "a map";
    case Kind::kScalar:
      break;
  }
  std::string shown = scalar.size() > 40 ? scalar.substr(0, 37) + "..." : scalar;
  return "'" + shown + "'";
}

ScalarType TypeOf(const Node& n) {
  if (n.kind == Node::Kind::kNull) return ScalarType::kNull;
  if (n.kind != Node::Kind::kScalar || n.style != ScalarStyle::kPlain) return ScalarType::kString;
  const std::string& s = n.scalar;
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return ScalarType::kNull;
  if (s == "true" || s == "True" || s == "TRUE" || s == "false" || s == "False" || s == "FALSE") {
    return ScalarType::kBool;
  }
  // [-+]?[0-9]+ is an integer; [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? a float.
  std::size_t i = 0;
  if (s[i] == '-' || s[i] == '+') ++i;
  std::size_t digits = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  if (i == s.size()) return digits > 0 ? ScalarType::kInteger : ScalarType::kString;
  bool is_float = false;
  if (s[i] == '.') {
    ++i;
    is_float = true;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
  }
  if (digits == 0) return ScalarType::kString;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    is_float = true;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    std::size_t exp_digits = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, ++exp_digits;
    if (exp_digits == 0) return ScalarType::kString;
  }
  if (i != s.size()) return ScalarType::kString;
  return is_float ? ScalarType::kFloat : ScalarType::kInteger;
}

std::expected<Node, YamlError> ParseYaml(std::string_view text) {
  if (text.size() > kMaxYamlBytes) {
    return std::unexpected(YamlError{1, 1, "file larger than 4 MiB"});
  }
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    Converter converter(text);
    Node out;
    if (!converter.Convert(root, YAML::Mark(), 0, &out)) {
      return std::unexpected(converter.error());
    }
    return out;
  } catch (const YAML::Exception& e) {
    const int line = e.mark.line < 0 ? 0 : e.mark.line + 1;
    const int column = e.mark.column < 0 ? 0 : e.mark.column + 1;
    return std::unexpected(YamlError{line, column, e.msg});
  } catch (const std::exception& e) {
    // yaml-cpp may throw std::bad_alloc or others on hostile input.
    return std::unexpected(YamlError{0, 0, std::string("cannot parse YAML: ") + e.what()});
  }
}

}  // namespace hitlgate::policy::parser
