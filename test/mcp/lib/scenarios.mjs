// The gated-call scenarios, run once over stdio and once over Streamable HTTP
// (stdio.test.mjs, http.test.mjs): the official SDK client, `hitlgate mcp`,
// @modelcontextprotocol/server-filesystem on a temporary folder, a real
// `hitlgate serve` with examples/policies/mcp-filesystem.yaml, and a reviewer
// acting through the HTTP API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  filesystemServer, freePort, gatewayForTests, review, sleep, tempDir, textOf, uniqueId, writeConfig,
} from './harness.mjs';

/** Polls `probe` until it returns something truthy. */
async function eventually(probe, what, ms = 5000) {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) assert.fail(`${what}: not seen within ${ms} ms`);
    await sleep(50);
  }
}

/**
 * `connect(configPath, agentKey)` starts the proxy its way and returns
 * {client, close}.
 */
export function defineScenarios(transport, connect) {
  let gw;
  const cleanups = gatewayForTests((started) => { gw = started; });

  async function setUp({ waitSeconds = 20, gatewayUrl } = {}) {
    const dir = tempDir(transport);
    const root = join(dir, 'files');
    mkdirSync(root);
    const interactionId = uniqueId(`${transport}-it`);
    const config = writeConfig(dir, {
      gatewayUrl: gatewayUrl ?? gw.url, interactionId, waitSeconds, servers: filesystemServer(root),
    });
    const session = await connect(config, gw.agentKey);
    cleanups.push(async () => { await session.close(); rmSync(dir, { recursive: true, force: true }); });
    return { root, interactionId, client: session.client };
  }

  test(`${transport}: a read passes, and the gateway records the allowed call and its result`, async () => {
    const { root, interactionId, client } = await setUp();
    writeFileSync(join(root, 'hello.txt'), 'hello from disk');
    const listed = await client.listTools();
    assert.ok(listed.tools.some((t) => t.name === 'read_text_file'));
    assert.ok(listed.tools.some((t) => t.name === 'hitlgate_task_status'), 'the proxy adds its status tool');

    const result = await client.callTool({ name: 'read_text_file', arguments: { path: join(root, 'hello.txt') } });
    assert.equal(result.isError, undefined);
    assert.equal(textOf(result), 'hello from disk');

    const record = await eventually(async () => {
      const { events } = await gw.interaction(interactionId);
      const call = events.find((e) => e.event.action?.name === 'read_text_file');
      const reported = events.find((e) => e.event.intent === 'mcp_result');
      return call && reported ? { call, reported } : null;
    }, 'the call and its result in the interaction record');
    assert.equal(record.call.decision.decision, 'allow');
    assert.equal(record.call.event.intent, 'mcp_read', 'readOnlyHint is what the policy saw');
    assert.deepEqual(record.call.event.action.params, { path: join(root, 'hello.txt') });
    assert.equal(record.reported.event.text, 'read_text_file returned: hello from disk');
  });

  test(`${transport}: a write is held, a reviewer edits it, and the edited write lands on disk`, async () => {
    const { root, client } = await setUp();
    const target = join(root, 'notes.txt');
    const progress = [];
    const call = client.callTool({ name: 'write_file', arguments: { path: target, content: 'draft by the agent' } },
      undefined, { onprogress: (p) => progress.push(p) });
    const task = await review(gw, (t) => ({
      verdict: 'edited',
      edited_action: { name: 'write_file', params: { path: target, content: 'text the reviewer approved' } },
    }));
    assert.equal(task.context.event.action.name, 'write_file');
    assert.equal(task.context.event.intent, 'mcp_destructive');
    const result = await call;
    assert.equal(result.isError, undefined, textOf(result));
    assert.equal(readFileSync(target, 'utf8'), 'text the reviewer approved');
    assert.ok(progress.length >= 1, 'the client heard progress while the call waited');
    assert.match(progress[0].message, new RegExp(task.id));
  });

  test(`${transport}: a rejected write leaves the disk unchanged and the client sees the reviewer's message`, async () => {
    const { root, client } = await setUp();
    const target = join(root, 'report.txt');
    writeFileSync(target, 'the original report');
    const call = client.callTool({ name: 'write_file', arguments: { path: target, content: 'overwritten' } });
    await review(gw, () => ({
      verdict: 'rejected', reason: 'overwrites the report', customer_message: 'Do not overwrite the quarterly report.',
    }));
    const result = await call;
    assert.equal(result.isError, true);
    assert.match(textOf(result), /rejected/);
    assert.match(textOf(result), /Do not overwrite the quarterly report\./);
    assert.equal(readFileSync(target, 'utf8'), 'the original report');
  });

  test(`${transport}: a write still waiting at the limit is answered as pending and runs only when called again`, async () => {
    const { root, client } = await setUp({ waitSeconds: 1 });
    const target = join(root, 'later.txt');
    const args = { path: target, content: 'approved later' };
    const pending = await client.callTool({ name: 'write_file', arguments: args });
    assert.equal(pending.isError, true);
    const taskId = textOf(pending).match(/task (t-[0-9a-f]+)/)?.[1];
    assert.ok(taskId, textOf(pending));
    assert.match(textOf(pending), /waiting for a person's approval/);

    const waiting = await client.callTool({ name: 'hitlgate_task_status', arguments: { task_id: taskId } });
    assert.equal(waiting.structuredContent.status, 'pending');

    await review(gw, () => ({ verdict: 'approved' }));
    const approved = await client.callTool({ name: 'hitlgate_task_status', arguments: { task_id: taskId } });
    assert.equal(approved.structuredContent.verdict, 'approved');
    assert.match(textOf(approved), /call write_file again with the same arguments/);
    assert.equal(existsSync(target), false, 'an approval alone never makes the call');

    const again = await client.callTool({ name: 'write_file', arguments: { content: args.content, path: args.path } });
    assert.equal(again.isError, undefined, textOf(again));
    assert.equal(readFileSync(target, 'utf8'), 'approved later');
  });

  test(`${transport}: a held call the client cancels is never made, even when approved afterwards`, async () => {
    const { root, interactionId, client } = await setUp();
    const target = join(root, 'cancelled.txt');
    const controller = new AbortController();
    const call = client.callTool({ name: 'write_file', arguments: { path: target, content: 'x' } },
      undefined, { signal: controller.signal });
    const task = await eventually(async () => {
      const r = await gw.call(gw.admin, 'GET', `/v1/review/tasks?status=open&interaction_id=${interactionId}`);
      return r.json?.tasks?.find((t) => t.interaction_id === interactionId);
    }, 'the held task');
    controller.abort('the user gave up');
    await assert.rejects(call, /gave up|abort/i);
    await review(gw, () => ({ verdict: 'approved' }));
    // The proxy wakes on the verdict at once; give it that moment, then look.
    await sleep(500);
    assert.equal(existsSync(target), false);
    const { events } = await gw.interaction(interactionId);
    assert.ok(!events.some((e) => e.event.intent === 'mcp_result'), 'no result: the call never ran');
    assert.ok(task.id);
  });

  test(`${transport}: with the gateway unreachable nothing is forwarded`, async () => {
    const { root, client } = await setUp({ gatewayUrl: `http://127.0.0.1:${await freePort()}` });
    const target = join(root, 'never.txt');
    const write = await client.callTool({ name: 'write_file', arguments: { path: target, content: 'x' } });
    assert.equal(write.isError, true);
    assert.match(textOf(write), /could not check this call to write_file .*unreachable.*not made/);
    assert.equal(existsSync(target), false);

    writeFileSync(join(root, 'secret.txt'), 'not for unchecked reads');
    const read = await client.callTool({ name: 'read_text_file', arguments: { path: join(root, 'secret.txt') } });
    assert.equal(read.isError, true, 'reads are refused too: the gate fails closed');
    assert.doesNotMatch(textOf(read), /not for unchecked reads/);
  });
}
