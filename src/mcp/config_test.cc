#include "mcp/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/result_matchers.h"

namespace hitlgate::mcp {
namespace {

using ::hitlgate::testing::IsErrorWith;
using ::testing::HasSubstr;

constexpr const char* kFull = R"(
gateway:
  url: http://127.0.0.1:8080
  key_env: MY_KEY
  timeout_seconds: 2.5
workflow: mcp-filesystem
customer_id: u-1
wait_seconds: 1.5
progress_seconds: 0.5
report_results: false
status_tool: false
max_message_bytes: 65536
servers:
  filesystem:
    command: [npx, -y, "@modelcontextprotocol/server-filesystem", /srv/files]
    env: {NODE_ENV: production}
    tools:
      read_text_file: {gate: bypass}
      "write_*": {kind: destructive}
      get_env: {gate: refuse}
  remote:
    url: http://127.0.0.1:3001/mcp
    workflow: remote-tools
)";

TEST(McpConfigTest, ReadsEverySetting) {
  auto c = ParseConfig(kFull, "mcp.yaml");
  ASSERT_TRUE(c.has_value()) << c.error().message();
  EXPECT_EQ(c->gateway.url, "http://127.0.0.1:8080");
  EXPECT_EQ(c->gateway.key_env, "MY_KEY");
  EXPECT_EQ(c->gateway.timeout, std::chrono::milliseconds(2500));
  EXPECT_EQ(c->workflow, "mcp-filesystem");
  EXPECT_EQ(c->customer_id, "u-1");
  EXPECT_EQ(c->wait_limit, std::chrono::milliseconds(1500));
  EXPECT_EQ(c->progress_interval, std::chrono::milliseconds(500));
  EXPECT_FALSE(c->report_results);
  EXPECT_FALSE(c->status_tool);
  EXPECT_EQ(c->max_message_bytes, 65536u);
  ASSERT_EQ(c->servers.size(), 2u);
  const ServerConfig* fs = c->FindServer("filesystem");
  ASSERT_NE(fs, nullptr);
  EXPECT_EQ(fs->command.size(), 4u);
  EXPECT_EQ(fs->command[2], "@modelcontextprotocol/server-filesystem");
  ASSERT_EQ(fs->env.size(), 1u);
  EXPECT_EQ(fs->env[0].second, "production");
  EXPECT_EQ(c->FindServer("remote")->url, "http://127.0.0.1:3001/mcp");
  EXPECT_EQ(c->FindServer("remote")->workflow, "remote-tools");
}

TEST(McpConfigTest, DefaultsWhenOnlyTheEssentialsAreGiven) {
  auto c = ParseConfig(
      "gateway: {url: 'http://gw:8080'}\nworkflow: w\nservers: {s: {command: [srv]}}\n", "f");
  ASSERT_TRUE(c.has_value()) << c.error().message();
  EXPECT_EQ(c->gateway.key_env, "HITLGATE_AGENT_KEY");
  EXPECT_EQ(c->wait_limit, std::chrono::seconds(50));  // inside the SDKs' 60 s request timeout
  EXPECT_TRUE(c->report_results);
  EXPECT_TRUE(c->status_tool);
  EXPECT_TRUE(c->interaction_id.empty());
}

TEST(McpConfigTest, ToolOverridesMatchNamesAndGlobsFirstMatchWins) {
  auto c = ParseConfig(kFull, "mcp.yaml");
  ASSERT_TRUE(c.has_value());
  const ServerConfig& fs = *c->FindServer("filesystem");
  ASSERT_NE(fs.FindOverride("read_text_file"), nullptr);
  EXPECT_EQ(fs.FindOverride("read_text_file")->gate, GateMode::kBypass);
  ASSERT_NE(fs.FindOverride("write_file"), nullptr);
  EXPECT_EQ(fs.FindOverride("write_file")->gate, GateMode::kAsk);
  EXPECT_EQ(fs.FindOverride("write_file")->kind, ToolKind::kDestructive);
  EXPECT_EQ(fs.FindOverride("get_env")->gate, GateMode::kRefuse);
  EXPECT_EQ(fs.FindOverride("list_directory"), nullptr);
}

TEST(McpConfigTest, EveryProblemIsReportedWithItsPlace) {
  auto c = ParseConfig(R"(gateway: {url: http://gw:1, key: secret}
wait_seconds: lots
servers:
  "Bad Name": {command: [x]}
  both: {command: [x], url: http://h/mcp}
  tls: {url: https://h/mcp}
  tools: {command: [x], tools: {w: {gate: sometimes}}}
)",
                       "mcp.yaml");
  ASSERT_FALSE(c.has_value());
  const std::string& m = c.error().message();
  EXPECT_THAT(
      m, HasSubstr("mcp.yaml:1:29: unknown key 'key' in gateway"));  // a key never goes in the file
  EXPECT_THAT(m, HasSubstr("mcp.yaml:2:15: wait_seconds: expected a number"));
  EXPECT_THAT(m, HasSubstr("server name 'Bad Name'"));
  EXPECT_THAT(m, HasSubstr("server 'both': give either command (a list) or url"));
  EXPECT_THAT(m, HasSubstr("server 'tls': url must start with http://"));
  EXPECT_THAT(m, HasSubstr("gate: expected one of ask, bypass, refuse, got 'sometimes'"));
  EXPECT_THAT(m, HasSubstr("missing workflow"));
}

TEST(McpConfigTest, OutOfRangeAndMissingPieces) {
  EXPECT_THAT(ParseConfig("gateway: {url: http://g:1}\nworkflow: w\nwait_seconds: 7200\nservers: "
                          "{s: {command: [x]}}",
                          "f"),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("out of range")));
  EXPECT_THAT(ParseConfig("workflow: w\nservers: {s: {command: [x]}}", "f"),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("missing gateway.url")));
  EXPECT_THAT(ParseConfig("gateway: {url: http://g:1}\nworkflow: w\n", "f"),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("missing servers")));
  EXPECT_THAT(ParseConfig("gateway: [", "f"),
              IsErrorWith(ErrorCode::kInvalidArgument, HasSubstr("f:")));
}

TEST(McpConfigTest, GlobMatching) {
  EXPECT_TRUE(ToolNameMatches("*", "anything"));
  EXPECT_TRUE(ToolNameMatches("write_*", "write_file"));
  EXPECT_TRUE(ToolNameMatches("*_file", "edit_file"));
  EXPECT_TRUE(ToolNameMatches("a*b*c", "axxbyyc"));
  EXPECT_FALSE(ToolNameMatches("a*b*c", "axxbyy"));
  EXPECT_FALSE(ToolNameMatches("write_file", "write_files"));
}

}  // namespace
}  // namespace hitlgate::mcp
