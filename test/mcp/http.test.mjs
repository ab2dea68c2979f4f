// The gated-call scenarios over Streamable HTTP: `hitlgate mcp --listen`
// serves server-filesystem at /mcp/filesystem; the SDK client connects by URL.
import { defineScenarios } from './lib/scenarios.mjs';
import { httpClient, startHttpProxy } from './lib/harness.mjs';

defineScenarios('http', async (config, agentKey) => {
  const proxy = await startHttpProxy(config, agentKey);
  const session = await httpClient(`${proxy.base}/mcp/filesystem`);
  return {
    client: session.client,
    async close() { await session.close(); await proxy.stop(); },
  };
});
