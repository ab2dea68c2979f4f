// The document tree: positions, scalar styles, limits, and canonical JSON.
#include "policy/parser/yaml_tree.h"

#include <gtest/gtest.h>

#include "policy/parser/json_writer.h"

namespace hitlgate::policy::parser {
namespace {

TEST(YamlTreeTest, RecordsPositionsAndStyles) {
  auto root = ParseYaml("a: plain\nb: 'single'\nc: \"double\"\nd: |\n  block\ne:\n");
  ASSERT_TRUE(root.has_value());
  ASSERT_TRUE(root->is_map());
  const Node* a = root->Find("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->line, 1);
  EXPECT_EQ(a->column, 4);
  EXPECT_EQ(a->style, ScalarStyle::kPlain);
  EXPECT_EQ(root->Find("b")->style, ScalarStyle::kSingleQuoted);
  EXPECT_EQ(root->Find("c")->style, ScalarStyle::kDoubleQuoted);
  EXPECT_EQ(root->Find("d")->style, ScalarStyle::kLiteral);
  EXPECT_EQ(root->Find("d")->scalar, "block\n");
  const Node* e = root->Find("e");
  ASSERT_NE(e, nullptr);
  EXPECT_TRUE(e->is_null());
  EXPECT_EQ(e->line, 6);  // a null value takes its key's position
}

TEST(YamlTreeTest, TypesPlainScalarsOnly) {
  auto root = ParseYaml("[1, -2.5, 1e3, true, ~, '1', abc, .5, 1.2.3]");
  ASSERT_TRUE(root.has_value());
  const std::vector<Node>& v = root->items;
  EXPECT_EQ(TypeOf(v[0]), ScalarType::kInteger);
  EXPECT_EQ(TypeOf(v[1]), ScalarType::kFloat);
  EXPECT_EQ(TypeOf(v[2]), ScalarType::kFloat);
  EXPECT_EQ(TypeOf(v[3]), ScalarType::kBool);
  EXPECT_EQ(TypeOf(v[4]), ScalarType::kNull);
  EXPECT_EQ(TypeOf(v[5]), ScalarType::kString);
  EXPECT_EQ(TypeOf(v[6]), ScalarType::kString);
  EXPECT_EQ(TypeOf(v[7]), ScalarType::kFloat);
  EXPECT_EQ(TypeOf(v[8]), ScalarType::kString);
}

TEST(YamlTreeTest, SyntaxErrorHasAPosition) {
  auto root = ParseYaml("a: [1, 2\nb: c\n");
  ASSERT_FALSE(root.has_value());
  EXPECT_GT(root.error().line, 0);
  EXPECT_FALSE(root.error().message.empty());
}

TEST(YamlTreeTest, AliasBombsAndDeepNestingAreRefused) {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'h'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", *" : "*") + prev;
    bomb += "]\n";
    prev = c;
  }
  auto root = ParseYaml(bomb);
  ASSERT_FALSE(root.has_value());
  EXPECT_EQ(root.error().message, "document expands to more than 200000 nodes");
  auto deep = ParseYaml(std::string(100, '[') + std::string(100, ']'));
  EXPECT_FALSE(deep.has_value());
}

TEST(YamlTreeTest, CanonicalJsonSortsKeysAndNormalizesNumbers) {
  auto a = ParseYaml("b: 0.50\na: {d: [1, 'x', true, ~], c: \"q\\\"\"}\n");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(CanonicalJson(*a), R"({"a":{"c":"q\"","d":[1,"x",true,null]},"b":0.5})");
  auto b = ParseYaml(
      "# comment\na:\n  c: 'q\"'\n  d:\n    - 1\n    - x\n    - true\n    - null\nb: 5e-1\n");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(CanonicalJson(*a), CanonicalJson(*b));
}

}  // namespace
}  // namespace hitlgate::policy::parser
