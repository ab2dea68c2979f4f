// One line on stderr about one MCP server, for people reading the proxy's log
// (over stdio, stderr is where the client keeps the server's log). Thread-safe
// as stdio is.
#pragma once

#include <cstdio>
#include <string_view>

namespace hitlgate::mcp {

inline void LogServer(std::string_view server, std::string_view message) {
  std::fprintf(stderr, "hitlgate mcp [%.*s]: %.*s\n", static_cast<int>(server.size()),
               server.data(), static_cast<int>(message.size()), message.data());
}

}  // namespace hitlgate::mcp
