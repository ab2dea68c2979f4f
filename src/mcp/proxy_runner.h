// RunProxy: `hitlgate mcp` from start to exit. Wires a configuration to a
// transport: stdio (the client started the proxy; one session with one
// server) or HTTP (the proxy listens; any number of sessions, every
// configured server at /mcp/<name>). The caller (src/cli) reads the key from
// the environment and passes the real clock and randomness.
#pragma once

#include <string>

#include "hitlgate/common/clock.h"
#include "hitlgate/crypto/random.h"
#include "mcp/config.h"

namespace hitlgate::mcp {

struct ProxyOptions {
  McpConfig config;
  std::string server;   // the server to front over stdio (or at /mcp); empty: the only one
  std::string listen;   // "address:port" for HTTP; empty: stdio
  std::string api_key;  // the gateway's agent key
};

// Runs until the client closes stdin or the server exits (stdio), or until
// SIGINT/SIGTERM. Returns the process exit status: 0 after a normal end, 1
// when the server went away, 2 for a configuration the proxy cannot run.
int RunProxy(const ProxyOptions& options, const Clock& clock, crypto::RandomSource& random);

}  // namespace hitlgate::mcp
