#include "mcp/line_framer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hitlgate::mcp {
namespace {

std::vector<Frame> FeedAll(LineFramer& framer, const std::vector<std::string>& pieces) {
  std::vector<Frame> frames;
  for (const std::string& p : pieces)
    framer.Feed(p, [&](Frame f) { frames.push_back(std::move(f)); });
  return frames;
}

TEST(LineFramerTest, SplitsLinesAcrossReads) {
  LineFramer framer(1024);
  auto frames = FeedAll(framer, {"{\"a\":1}\n{\"b\"", ":2}\r\n", "\n  \n{\"c\":3}"});
  ASSERT_EQ(frames.size(), 2u);  // blank lines are skipped; the last line is not finished
  EXPECT_EQ(frames[0].text, "{\"a\":1}");
  EXPECT_EQ(frames[1].text, "{\"b\":2}");  // the \r before \n is dropped
  EXPECT_EQ(framer.buffered(), 7u);
  frames = FeedAll(framer, {"\n"});
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].text, "{\"c\":3}");
}

TEST(LineFramerTest, OversizeLineIsSkippedAndKeepsItsId) {
  LineFramer framer(64);
  const std::string big =
      R"({"jsonrpc":"2.0","id":42,"method":"tools/call","params":{"arguments":{"content":")" +
      std::string(500, 'x') + R"("}}})";
  auto frames = FeedAll(framer, {big.substr(0, 30), big.substr(30), "\n{\"ok\":true}\n"});
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_TRUE(frames[0].oversize);
  EXPECT_TRUE(frames[0].text.empty());
  EXPECT_EQ(frames[0].bytes, big.size());
  EXPECT_EQ(frames[0].id, "42");
  EXPECT_FALSE(frames[1].oversize);  // the next line is read normally
  EXPECT_EQ(frames[1].text, "{\"ok\":true}");
}

TEST(LineFramerTest, OversizeResponseWithTheIdAtTheEnd) {
  LineFramer framer(32);
  // Node's JSON.stringify of a response puts the id after the result.
  const std::string big = R"({"result":{"content":[{"type":"text","text":")" +
                          std::string(200, 'y') + R"( \"id\":9 "}]},"jsonrpc":"2.0","id":"r-7"})" +
                          "\n";
  auto frames = FeedAll(framer, {big});
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_TRUE(frames[0].oversize);
  EXPECT_EQ(frames[0].id, "\"r-7\"");  // not the "id" inside the text, nor a nested one
}

TEST(TopLevelIdScannerTest, IgnoresNestedAndQuotedIds) {
  TopLevelIdScanner scanner;
  scanner.Feed(R"({"params":{"id":1,"arguments":{"x":"\"id\": 5"}},"method":"m","id":-12.5})");
  EXPECT_EQ(scanner.id(), "-12.5");
}

TEST(TopLevelIdScannerTest, ObjectIdIsNoId) {
  TopLevelIdScanner scanner;
  scanner.Feed(R"({"id":{"a":1},"method":"m"})");
  EXPECT_EQ(scanner.id(), "");
}

TEST(TopLevelIdScannerTest, EscapedQuoteInsideTheIdString) {
  TopLevelIdScanner scanner;
  scanner.Feed(R"({"id":"a\"b","x":1})");
  EXPECT_EQ(scanner.id(), R"("a\"b")");
}

}  // namespace
}  // namespace hitlgate::mcp
