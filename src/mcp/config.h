// McpConfig: what `hitlgate mcp` is told in its YAML file (docs/mcp.md): the
// MCP servers it fronts, the gateway it asks, the workflow its calls belong
// to, how long a held call may wait, and per-tool overrides. The gateway key
// is never in the file: the file names the environment variable that holds
// it. Plain value types; thread-compatible.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hitlgate/common/error.h"

namespace hitlgate::mcp {

// How the proxy treats a tool's calls.
enum class GateMode {
  kAsk,     // every call is an event; the gateway's decision is followed (default)
  kBypass,  // forwarded without asking the gateway (and without a record)
  kRefuse,  // never forwarded; the call gets a tool error
};

// What a tool does, as policies see it (the event's intent, see tool_gate.h).
// Servers declare it with annotations; an override corrects a server that
// declares it wrongly or not at all.
enum class ToolKind {
  kRead,         // readOnlyHint: true
  kWrite,        // changes things, additively (destructiveHint: false)
  kDestructive,  // may overwrite or delete (the MCP default for unannotated tools)
};

struct ToolOverride {
  std::string pattern;  // a tool name, or a glob with '*'
  GateMode gate = GateMode::kAsk;
  std::optional<ToolKind> kind;
};

struct ServerConfig {
  std::string name;  // [a-z0-9_-]+: the HTTP path /mcp/<name>
  // Exactly one of command (a child process speaking stdio) and url (a
  // Streamable HTTP endpoint, http://host:port/path).
  std::vector<std::string> command;
  std::vector<std::pair<std::string, std::string>> env;  // added to the proxy's environment
  std::string cwd;
  std::string url;
  std::string workflow;             // overrides McpConfig::workflow when set
  std::vector<ToolOverride> tools;  // first match wins

  // The override for `tool`, or nullptr.
  const ToolOverride* FindOverride(std::string_view tool) const;
};

struct GatewayConfig {
  std::string url;                             // http://host:port
  std::string key_env = "HITLGATE_AGENT_KEY";  // the variable that holds the agent key
  std::chrono::milliseconds timeout{10000};    // per request, before failing closed
};

struct McpConfig {
  GatewayConfig gateway;
  std::string workflow;
  std::string interaction_id;  // empty: one interaction per MCP session
  std::string customer_id;
  std::string channel = "mcp";
  // How long a held call waits for a verdict before it answers "pending";
  // must stay inside the client's request timeout (60 s in the MCP SDKs).
  std::chrono::milliseconds wait_limit{50000};
  std::chrono::milliseconds progress_interval{5000};
  bool report_results = true;  // tool results become events of the interaction
  bool status_tool = true;     // add hitlgate_task_status to tools/list
  size_t max_message_bytes = 4u << 20;
  std::chrono::minutes session_idle{30};  // HTTP sessions idle this long are closed
  std::vector<ServerConfig> servers;

  const ServerConfig* FindServer(std::string_view name) const;
};

// Parses a configuration file's text. InvalidArgument lists every problem,
// one per line, as "<file_name>:line:column: message".
[[nodiscard]] Result<McpConfig> ParseConfig(std::string_view yaml, std::string_view file_name);

// Reads and parses a file. NotFound when it cannot be read.
[[nodiscard]] Result<McpConfig> LoadConfigFile(const std::string& path);

// Checks what a configuration built from flags must satisfy as well (a
// gateway URL, a workflow, at least one server). InvalidArgument otherwise.
[[nodiscard]] Result<void> ValidateConfig(const McpConfig& config);

// Tool-name globs: '*' matches any run of characters (the policies' globs).
bool ToolNameMatches(std::string_view pattern, std::string_view name);

}  // namespace hitlgate::mcp
