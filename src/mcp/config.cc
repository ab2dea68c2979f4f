// The configuration file, read through the policy parser's YAML tree (which
// keeps yaml-cpp in src/policy/parser and remembers line and column).
#include "mcp/config.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "policy/eval/glob.h"
#include "policy/parser/yaml_tree.h"

namespace hitlgate::mcp {

namespace {

using policy::parser::Node;
using policy::parser::ScalarType;

class Reader {
 public:
  explicit Reader(std::string_view file) : file_(file) {}

  void Problem(const Node& at, std::string_view message) {
    if (!problems_.empty()) problems_ += '\n';
    problems_ += file_ + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": ";
    problems_ += message;
  }
  bool ok() const { return problems_.empty(); }
  const std::string& problems() const { return problems_; }

  // Each key of `map` must be one of `known`.
  bool Map(const Node& map, std::string_view what, std::initializer_list<std::string_view> known) {
    if (!map.is_map()) {
      Problem(map, std::string(what) + ": expected a map, got " + map.Describe());
      return false;
    }
    for (const auto& entry : map.entries) {
      bool found = false;
      for (std::string_view k : known) found = found || entry.key.scalar == k;
      if (!found)
        Problem(entry.key, "unknown key '" + entry.key.scalar + "' in " + std::string(what));
    }
    return true;
  }

  std::optional<std::string> String(const Node& node, std::string_view key) {
    if (!node.is_scalar()) {
      Problem(node, std::string(key) + ": expected a string, got " + node.Describe());
      return std::nullopt;
    }
    return node.scalar;
  }

  std::optional<double> Number(const Node& node, std::string_view key, double min, double max) {
    const ScalarType t = node.is_scalar() ? policy::parser::TypeOf(node) : ScalarType::kNull;
    double v = 0;
    if (t == ScalarType::kInteger || t == ScalarType::kFloat) {
      auto [end, err] =
          std::from_chars(node.scalar.data(), node.scalar.data() + node.scalar.size(), v);
      if (err != std::errc() || end != node.scalar.data() + node.scalar.size()) {
        Problem(node, std::string(key) + ": expected a number, got " + node.Describe());
        return std::nullopt;
      }
    } else {
      Problem(node, std::string(key) + ": expected a number, got " + node.Describe());
      return std::nullopt;
    }
    if (!std::isfinite(v) || v < min || v > max) {
      std::ostringstream m;
      m << key << ": " << node.scalar << " is out of range [" << min << ", " << max << "]";
      Problem(node, m.str());
      return std::nullopt;
    }
    return v;
  }

  std::optional<bool> Bool(const Node& node, std::string_view key) {
    if (!node.is_scalar() || policy::parser::TypeOf(node) != ScalarType::kBool) {
      Problem(node, std::string(key) + ": expected true or false, got " + node.Describe());
      return std::nullopt;
    }
    return node.scalar == "true" || node.scalar == "True" || node.scalar == "TRUE";
  }

  std::optional<std::vector<std::string>> Strings(const Node& node, std::string_view key) {
    if (!node.is_sequence()) {
      Problem(node, std::string(key) + ": expected a list of strings, got " + node.Describe());
      return std::nullopt;
    }
    std::vector<std::string> out;
    for (const Node& item : node.items) {
      auto s = String(item, key);
      if (!s) return std::nullopt;
      out.push_back(std::move(*s));
    }
    return out;
  }

 private:
  std::string file_;
  std::string problems_;
};

std::chrono::milliseconds Millis(double seconds) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(seconds * 1000)));
}

bool ValidServerName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  }
  return true;
}

// One of a few words, by table; a problem naming the choices otherwise.
template <typename T>
std::optional<T> Choice(Reader& r, const Node& node, std::string_view key,
                        std::initializer_list<std::pair<std::string_view, T>> choices) {
  auto s = r.String(node, key);
  if (!s) return std::nullopt;
  std::string names;
  for (const auto& [name, value] : choices) {
    if (*s == name) return value;
    names += (names.empty() ? "" : ", ") + std::string(name);
  }
  r.Problem(node, std::string(key) + ": expected one of " + names + ", got '" + *s + "'");
  return std::nullopt;
}

void ReadToolOverride(Reader& r, const Node& key, const Node& value, ServerConfig* server) {
  ToolOverride o;
  o.pattern = key.scalar;
  if (!r.Map(value, "tool '" + key.scalar + "'", {"gate", "kind"})) return;
  for (const auto& e : value.entries) {
    if (e.key.scalar == "gate") {
      auto gate = Choice<GateMode>(
          r, e.value, "gate",
          {{"ask", GateMode::kAsk}, {"bypass", GateMode::kBypass}, {"refuse", GateMode::kRefuse}});
      if (gate) o.gate = *gate;
    } else if (e.key.scalar == "kind") {
      o.kind = Choice<ToolKind>(r, e.value, "kind",
                                {{"read", ToolKind::kRead},
                                 {"write", ToolKind::kWrite},
                                 {"destructive", ToolKind::kDestructive}});
    }
  }
  server->tools.push_back(std::move(o));
}

void ReadServer(Reader& r, const Node& key, const Node& value, McpConfig* config) {
  ServerConfig s;
  s.name = key.scalar;
  if (!ValidServerName(s.name)) {
    r.Problem(key, "server name '" + s.name + "': use 1 to 64 of a-z, 0-9, '-' and '_'");
  }
  if (!r.Map(value, "server '" + s.name + "'",
             {"command", "env", "cwd", "url", "workflow", "tools"}))
    return;
  for (const auto& e : value.entries) {
    const std::string& k = e.key.scalar;
    if (k == "command") {
      if (auto v = r.Strings(e.value, "command")) s.command = std::move(*v);
    } else if (k == "env") {
      if (!e.value.is_map()) {
        r.Problem(e.value, "env: expected a map of variables, got " + e.value.Describe());
        continue;
      }
      for (const auto& var : e.value.entries) {
        if (auto v = r.String(var.value, var.key.scalar))
          s.env.emplace_back(var.key.scalar, std::move(*v));
      }
    } else if (k == "cwd") {
      if (auto v = r.String(e.value, "cwd")) s.cwd = std::move(*v);
    } else if (k == "url") {
      if (auto v = r.String(e.value, "url")) s.url = std::move(*v);
    } else if (k == "workflow") {
      if (auto v = r.String(e.value, "workflow")) s.workflow = std::move(*v);
    } else if (k == "tools") {
      if (!e.value.is_map()) {
        r.Problem(e.value, "tools: expected a map of tool names, got " + e.value.Describe());
        continue;
      }
      for (const auto& tool : e.value.entries) ReadToolOverride(r, tool.key, tool.value, &s);
    }
  }
  if (s.command.empty() == s.url.empty()) {
    r.Problem(key, "server '" + s.name + "': give either command (a list) or url");
  } else if (!s.url.empty() && !s.url.starts_with("http://")) {
    r.Problem(key,
              "server '" + s.name + "': url must start with http:// (TLS is not supported yet)");
  }
  config->servers.push_back(std::move(s));
}

}  // namespace

bool ToolNameMatches(std::string_view pattern, std::string_view name) {
  return policy::eval::GlobMatch(pattern, name);
}

const ToolOverride* ServerConfig::FindOverride(std::string_view tool) const {
  for (const ToolOverride& o : tools) {
    if (ToolNameMatches(o.pattern, tool)) return &o;
  }
  return nullptr;
}

const ServerConfig* McpConfig::FindServer(std::string_view name) const {
  for (const ServerConfig& s : servers) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

Result<McpConfig> ParseConfig(std::string_view yaml, std::string_view file_name) {
  auto root = policy::parser::ParseYaml(yaml);
  if (!root) {
    return InvalidArgument(std::string(file_name) + ":" + std::to_string(root.error().line) + ":" +
                           std::to_string(root.error().column) + ": " + root.error().message);
  }
  Reader r(file_name);
  McpConfig config;
  if (!r.Map(*root, "the configuration",
             {"gateway", "workflow", "interaction_id", "customer_id", "channel", "wait_seconds",
              "progress_seconds", "report_results", "status_tool", "max_message_bytes",
              "session_idle_minutes", "servers"})) {
    return InvalidArgument(r.problems());
  }
  const Node* servers = nullptr;
  for (const auto& e : root->entries) {
    const std::string& k = e.key.scalar;
    const Node& v = e.value;
    if (k == "gateway") {
      if (!r.Map(v, "gateway", {"url", "key_env", "timeout_seconds"})) continue;
      for (const auto& g : v.entries) {
        if (g.key.scalar == "url") {
          if (auto s = r.String(g.value, "url")) config.gateway.url = std::move(*s);
        } else if (g.key.scalar == "key_env") {
          if (auto s = r.String(g.value, "key_env")) config.gateway.key_env = std::move(*s);
        } else if (g.key.scalar == "timeout_seconds") {
          if (auto n = r.Number(g.value, "timeout_seconds", 0.1, 300))
            config.gateway.timeout = Millis(*n);
        }
      }
    } else if (k == "workflow") {
      if (auto s = r.String(v, k)) config.workflow = std::move(*s);
    } else if (k == "interaction_id") {
      if (auto s = r.String(v, k)) config.interaction_id = std::move(*s);
    } else if (k == "customer_id") {
      if (auto s = r.String(v, k)) config.customer_id = std::move(*s);
    } else if (k == "channel") {
      if (auto s = r.String(v, k)) config.channel = std::move(*s);
    } else if (k == "wait_seconds") {
      if (auto n = r.Number(v, k, 0, 3600)) config.wait_limit = Millis(*n);
    } else if (k == "progress_seconds") {
      if (auto n = r.Number(v, k, 0.1, 60)) config.progress_interval = Millis(*n);
    } else if (k == "report_results") {
      if (auto b = r.Bool(v, k)) config.report_results = *b;
    } else if (k == "status_tool") {
      if (auto b = r.Bool(v, k)) config.status_tool = *b;
    } else if (k == "max_message_bytes") {
      if (auto n = r.Number(v, k, 1024, 256.0 * 1024 * 1024))
        config.max_message_bytes = static_cast<size_t>(*n);
    } else if (k == "session_idle_minutes") {
      if (auto n = r.Number(v, k, 1, 24 * 60)) {
        config.session_idle = std::chrono::minutes(static_cast<std::int64_t>(*n));
      }
    } else if (k == "servers") {
      servers = &v;
    }
  }
  if (servers != nullptr) {
    if (!servers->is_map() || servers->entries.empty()) {
      r.Problem(*servers, "servers: expected a map of server names, got " + servers->Describe());
    } else {
      for (const auto& e : servers->entries) ReadServer(r, e.key, e.value, &config);
    }
  }
  if (config.gateway.url.empty()) r.Problem(*root, "missing gateway.url");
  if (config.workflow.empty()) {
    std::string without;
    for (const ServerConfig& s : config.servers) {
      if (s.workflow.empty()) without += (without.empty() ? "'" : ", '") + s.name + "'";
    }
    if (!without.empty())
      r.Problem(*root, "missing workflow (give one at the top, or one per server; none for " +
                           without + ")");
  }
  if (servers == nullptr) r.Problem(*root, "missing servers");
  if (!r.ok()) return InvalidArgument(r.problems());
  HITLGATE_RETURN_IF_ERROR(ValidateConfig(config));
  return config;
}

Result<void> ValidateConfig(const McpConfig& config) {
  if (!config.gateway.url.starts_with("http://")) {
    return InvalidArgument("gateway url must be http://host:port (got '" + config.gateway.url +
                           "')");
  }
  if (config.servers.empty()) return InvalidArgument("no MCP server configured");
  for (const ServerConfig& s : config.servers) {
    if (s.workflow.empty() && config.workflow.empty()) {
      return InvalidArgument("no workflow for server '" + s.name + "'");
    }
    if (s.command.empty() == s.url.empty()) {
      return InvalidArgument("server '" + s.name + "': give either a command or a url");
    }
  }
  if (config.gateway.key_env.empty())
    return InvalidArgument("gateway key_env must name a variable");
  return {};
}

Result<McpConfig> LoadConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return ParseConfig(text.str(), path);
}

}  // namespace hitlgate::mcp
