// `hitlgate mcp`: flags, the configuration file, the key from the
// environment, the real clock and randomness; src/mcp does the rest.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>

#include "cli/commands.h"
#include "hitlgate/common/clock.h"
#include "hitlgate/crypto/random.h"
#include "mcp/config.h"
#include "mcp/proxy_runner.h"

namespace hitlgate::cli {

struct McpCommand {
  CLI::App* app = nullptr;
  std::string config_path;
  std::string server;
  std::string listen;
  std::string gateway_url;
  std::string workflow;
  std::string key_env;
  double wait_seconds = -1;
  std::vector<std::string> command;  // after `--`: one server, without a file
};

std::shared_ptr<McpCommand> AddMcpCommand(CLI::App& app) {
  auto c = std::make_shared<McpCommand>();
  c->app = app.add_subcommand("mcp",
                              "MCP proxy: every tool call of an MCP client is decided by the "
                              "gateway before it reaches the MCP server");
  c->app->add_option("--config,-c", c->config_path, "YAML configuration (docs/mcp.md)");
  c->app->add_option("--server", c->server,
                     "The configured server to front (needed when there are several)");
  c->app->add_option(
      "--listen", c->listen,
      "Serve Streamable HTTP on ADDRESS:PORT (e.g. 127.0.0.1:7400) instead of stdio");
  c->app->add_option("--gateway", c->gateway_url,
                     "Gateway URL, http://host:port (overrides the file)");
  c->app->add_option("--workflow", c->workflow, "Workflow of the tool calls (overrides the file)");
  c->app->add_option(
      "--key-env", c->key_env,
      "Environment variable holding the gateway's agent key (default HITLGATE_AGENT_KEY)");
  c->app
      ->add_option(
          "--wait-seconds", c->wait_seconds,
          "How long a held call waits for a verdict before answering 'pending' (default 50)")
      ->check(CLI::Range(0.0, 3600.0));
  c->app->add_option("command", c->command, "Without --config: the MCP server to run, after --");
  return c;
}

std::optional<int> RunMcpCommand(const McpCommand& c) {
  if (c.app == nullptr || !*c.app) return std::nullopt;
  auto fail = [](const std::string& message) {
    std::fprintf(stderr, "hitlgate mcp: %s\n", message.c_str());
    return 2;
  };
  mcp::ProxyOptions options;
  if (!c.config_path.empty()) {
    if (!c.command.empty())
      return fail("give the server's command in the configuration or after --, not both");
    auto config = mcp::LoadConfigFile(c.config_path);
    if (!config) return fail(config.error().message());
    options.config = std::move(*config);
  } else {
    if (c.command.empty())
      return fail("give --config FILE, or --gateway URL --workflow NAME -- COMMAND...");
    mcp::ServerConfig server;
    server.name = "default";
    server.command = c.command;
    options.config.servers.push_back(std::move(server));
  }
  if (!c.gateway_url.empty()) options.config.gateway.url = c.gateway_url;
  if (!c.workflow.empty()) options.config.workflow = c.workflow;
  if (!c.key_env.empty()) options.config.gateway.key_env = c.key_env;
  if (c.wait_seconds >= 0) {
    options.config.wait_limit =
        std::chrono::milliseconds(static_cast<std::int64_t>(c.wait_seconds * 1000));
  }
  if (auto valid = mcp::ValidateConfig(options.config); !valid)
    return fail(valid.error().message());
  const char* key = std::getenv(options.config.gateway.key_env.c_str());
  if (key == nullptr || *key == '\0') {
    return fail("set " + options.config.gateway.key_env +
                " to an agent key of the gateway (the key is never read from a file)");
  }
  options.api_key = key;
  options.server = c.server;
  options.listen = c.listen;
  SystemClock clock;
  auto random = crypto::MakeSystemRandom();
  return mcp::RunProxy(options, clock, *random);
}

}  // namespace hitlgate::cli
