#include "mcp/sse_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hitlgate::mcp {
namespace {

struct Collected {
  std::vector<std::string> data;
  std::vector<size_t> oversize;
};

Collected FeedPieces(SseParser& parser, const std::vector<std::string>& pieces) {
  Collected c;
  for (const std::string& p : pieces) {
    parser.Feed(
        p, [&](std::string d) { c.data.push_back(std::move(d)); },
        [&](size_t n) { c.oversize.push_back(n); });
  }
  return c;
}

TEST(SseParserTest, EventsSplitAcrossReadsAndLineEndings) {
  SseParser parser(1024);
  auto c = FeedPieces(parser, {"event: message\nid: 1\ndata: {\"a\"", ":1}\n\n: keep-alive\n\r\n",
                               "data: {\"b\":2}\r\n\r\n", "data: x\r\rdata: y\n"});
  ASSERT_EQ(c.data.size(), 3u);
  EXPECT_EQ(c.data[0], "{\"a\":1}");
  EXPECT_EQ(c.data[1], "{\"b\":2}");
  EXPECT_EQ(c.data[2], "x");  // CR alone ends lines too; "y" waits for its blank line
}

TEST(SseParserTest, MultiLineDataIsJoinedWithNewlines) {
  SseParser parser(1024);
  auto c = FeedPieces(parser, {"data: {\ndata:  \"a\": 1\ndata: }\n\n"});
  ASSERT_EQ(c.data.size(), 1u);
  EXPECT_EQ(c.data[0], "{\n \"a\": 1\n}");
}

TEST(SseParserTest, OtherEventTypesAreNotMessages) {
  SseParser parser(1024);
  auto c = FeedPieces(parser, {"event: ping\ndata: 1\n\nevent: message\ndata: 2\n\n"});
  ASSERT_EQ(c.data.size(), 1u);
  EXPECT_EQ(c.data[0], "2");
}

TEST(SseParserTest, OversizeEventIsDroppedAndReported) {
  SseParser parser(16);
  auto c = FeedPieces(parser, {"data: " + std::string(40, 'z') + "\n\ndata: ok\n\n"});
  ASSERT_EQ(c.oversize.size(), 1u);
  EXPECT_GT(c.oversize[0], 16u);
  ASSERT_EQ(c.data.size(), 1u);
  EXPECT_EQ(c.data[0], "ok");
}

}  // namespace
}  // namespace hitlgate::mcp
