// The gated-call scenarios over stdio: the SDK client starts `hitlgate mcp`,
// which starts server-filesystem, as a desktop assistant's configuration does.
import { defineScenarios } from './lib/scenarios.mjs';
import { stdioClient } from './lib/harness.mjs';

defineScenarios('stdio', (config, agentKey) => stdioClient(config, agentKey));
