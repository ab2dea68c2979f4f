// The plain client against a real gateway, with faults injected by a proxy in between.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Hitlgate, HitlgateAlreadyExists, HitlgateBlocked, HitlgateHttpError, HitlgateInputError,
  HitlgateReceiptError, HitlgateRejected, HitlgateTimeout, HitlgateUnavailable,
} from '@hitlgate/client';
import { allowedReply, bigRefund, interaction, startGateway } from './helpers/gateway.mjs';
import { startFaultProxy } from './helpers/fault-proxy.mjs';

const FAST = { baseDelayMs: 10, maxDelayMs: 40, random: () => 0.5 };
let gw, proxy, agentKey, reviewer;
const client = (extra = {}) => new Hitlgate({ baseUrl: proxy.url, apiKey: agentKey, retry: FAST, ...extra });

before(async () => {
  gw = await startGateway();
  proxy = await startFaultProxy(gw.url);
  agentKey = await gw.key('agent');
  reviewer = await gw.reviewer();
});
after(async () => {
  await proxy?.stop();
  await gw?.stop();
});

describe('bad input is refused before anything is sent', () => {
  test('constructor: missing or malformed options', () => {
    assert.throws(() => new Hitlgate(), HitlgateInputError);
    assert.throws(() => new Hitlgate({ apiKey: 'hg_a_b' }), /baseUrl is missing/);
    assert.throws(() => new Hitlgate({ baseUrl: 'localhost:8080', apiKey: 'hg_a_b' }), /must be http/);
    assert.throws(() => new Hitlgate({ baseUrl: 'not a url', apiKey: 'hg_a_b' }), /is not a URL/);
    assert.throws(() => new Hitlgate({ baseUrl: 'http://x' }), /apiKey is missing/);
    assert.throws(() => new Hitlgate({ baseUrl: 'http://x', apiKey: 'secret' }), /not a hitlgate key/);
    assert.throws(() => new Hitlgate({ baseUrl: 'http://x', apiKey: 'hg_a_b', retry: { maxAttempts: 0 } }), /maxAttempts/);
  });

  test('submit: events without workflow, with a bad type or deadline_ms', async () => {
    const c = client();
    const before = proxy.seen.length;
    const id = interaction();
    await assert.rejects(c.submit({ interaction_id: id, type: 'ai_proposal' }), /event.workflow must be a non-empty string/);
    await assert.rejects(c.submit({ interaction_id: id, workflow: 'retail-bot', type: 'proposal' }), /event.type must be one of/);
    await assert.rejects(c.submit({ ...allowedReply(id), deadline_ms: 0 }), /deadline_ms must be an integer from 1 to 3600000/);
    await assert.rejects(c.submit(null), HitlgateInputError);
    await assert.rejects(c.waitForVerdict({ decision: 'allow' }), /has no task_id/);
    await assert.rejects(c.waitForVerdict('t-1', { throughHandoff: true, handoffPollMs: '1s' }), /handoffPollMs must be a number of ms/);
    await assert.rejects(c.gate(allowedReply(id)), /run must be a function/);
    assert.equal(proxy.seen.length, before, 'nothing reached the proxy');
  });

  test("the gateway's 400 names the field and is not retried", async () => {
    const id = interaction();
    await assert.rejects(client().submit({ ...allowedReply(id), confidance: 0.9 }), (e) => {
      assert.ok(e instanceof HitlgateHttpError);
      assert.equal(e.status, 400);
      assert.equal(e.code, 'invalid_argument');
      assert.match(e.message, /confidance/);
      return true;
    });
    assert.equal(proxy.requests('POST', '/v1/events').filter((r) => r.body.includes(id)).length, 1);
  });
});

describe('submit: retries with the same event_id', () => {
  test('an event without event_id gets a fresh random one', async () => {
    const id = interaction();
    const c = client();
    await c.submit(allowedReply(id));
    await c.submit(allowedReply(id));
    const ids = proxy.requests('POST', '/v1/events').filter((r) => r.body.includes(id)).map((r) => JSON.parse(r.body).event_id);
    assert.equal(ids.length, 2);
    assert.ok(ids.every((x) => typeof x === 'string' && x.length >= 16));
    assert.notEqual(ids[0], ids[1]);
  });

  test('a 503 is retried with the same event_id', async () => {
    const id = interaction();
    proxy.inject('POST', '/v1/events', { kind: 'status', status: 503 });
    const d = await client().submit(bigRefund(id));
    assert.equal(d.decision, 'hold');
    const sent = proxy.requests('POST', '/v1/events').filter((r) => r.body.includes(id));
    assert.deepEqual(sent.map((r) => r.fault ?? 'forwarded'), ['status', 'forwarded']);
    assert.equal(JSON.parse(sent[0].body).event_id, JSON.parse(sent[1].body).event_id);
  });

  test('a connection dropped after the gateway decided: the retry gets the recorded answer, one task', async () => {
    const id = interaction();
    proxy.inject('POST', '/v1/events', { kind: 'drop_after' });
    const d = await client().submit(bigRefund(id));
    const sent = proxy.requests('POST', '/v1/events').filter((r) => r.body.includes(id));
    assert.equal(sent.length, 2);
    assert.equal(JSON.parse(sent[0].body).event_id, JSON.parse(sent[1].body).event_id);
    const tasks = await gw.call(reviewer.token, 'GET', `/v1/review/tasks?interaction_id=${id}`);
    assert.equal(tasks.json.tasks.length, 1, 'the retry opened no second task');
    assert.equal(d.task_id, tasks.json.tasks[0].id);
  });

  test('a connection dropped before the gateway saw it is retried', async () => {
    const id = interaction();
    proxy.inject('POST', '/v1/events', { kind: 'drop_before' }, 2);
    const d = await client().submit(allowedReply(id));
    assert.equal(d.decision, 'allow');
    assert.equal(proxy.requests('POST', '/v1/events').filter((r) => r.body.includes(id)).length, 3);
  });

  test('a retry with a changed body gets 409 already_exists naming the field; the hold stands', async () => {
    const id = interaction();
    const c = client();
    const first = await c.submit({ ...bigRefund(id, 150), event_id: `e-${id}` });
    assert.equal(first.decision, 'hold');
    await assert.rejects(c.submit({ ...bigRefund(id, 20), event_id: `e-${id}` }), (e) => {
      assert.ok(e instanceof HitlgateAlreadyExists);
      assert.equal(e.status, 409);
      assert.equal(e.eventId, `e-${id}`);
      assert.match(e.message, /action\.amount/);
      return true;
    });
    assert.equal(proxy.requests('POST', '/v1/events').filter((r) => r.body.includes(`e-${id}`)).length, 2, '409 not retried');
    const task = await c.getTask(first.task_id);
    assert.equal(task.status, 'pending');
  });

  test('401 and 403 are thrown at once, never retried', async () => {
    const id = interaction();
    const bad = new Hitlgate({ baseUrl: proxy.url, apiKey: 'hg_000000000000_' + '0'.repeat(64), retry: FAST });
    await assert.rejects(bad.submit(allowedReply(id)), (e) => e instanceof HitlgateHttpError && e.status === 401);
    const billingOnly = await gw.key('agent', { workflows: ['billing-bot'] });
    const scoped = new Hitlgate({ baseUrl: proxy.url, apiKey: billingOnly, retry: FAST });
    await assert.rejects(scoped.submit(allowedReply(id)), (e) => e instanceof HitlgateHttpError && e.status === 403);
    assert.equal(proxy.requests('POST', '/v1/events').filter((r) => r.body.includes(id)).length, 2);
  });

  test("429: waits the gateway's Retry-After, then retries", async () => {
    const id = interaction();
    proxy.inject('POST', '/v1/events', { kind: 'status', status: 429, code: 'resource_exhausted', headers: { 'Retry-After': '1' } });
    const d = await client().submit(allowedReply(id));
    assert.equal(d.decision, 'allow');
    const sent = proxy.requests('POST', '/v1/events').filter((r) => r.body.includes(id));
    assert.equal(sent.length, 2);
    assert.ok(sent[1].at - sent[0].at >= 950, `retried after ${sent[1].at - sent[0].at} ms, not after Retry-After: 1`);
  });

  test('429 with a Retry-After beyond maxRetryAfterMs is thrown, not slept through', async () => {
    const id = interaction();
    proxy.inject('POST', '/v1/events', { kind: 'status', status: 429, code: 'resource_exhausted', headers: { 'Retry-After': '120' } });
    const started = Date.now();
    await assert.rejects(client().submit(allowedReply(id)), (e) => e instanceof HitlgateHttpError && e.status === 429 && e.retryAfterMs === 120000);
    assert.ok(Date.now() - started < 1000);
  });

  test('an unreachable gateway ends in HitlgateUnavailable after maxAttempts', async () => {
    const c = new Hitlgate({ baseUrl: 'http://127.0.0.1:1', apiKey: agentKey, retry: { ...FAST, maxAttempts: 3 } });
    await assert.rejects(c.submit(allowedReply(interaction())), (e) => e instanceof HitlgateUnavailable && /after 3 attempts/.test(e.message));
  });
});

describe('waitForVerdict', () => {
  test('survives a long-poll connection cut mid-wait and returns the edited action', async () => {
    const id = interaction();
    const c = client();
    const d = await c.submit(bigRefund(id));
    proxy.inject('GET', `/v1/tasks/${d.task_id}`, { kind: 'cut_after_ms', ms: 200 });
    setTimeout(() => reviewer.edit(d.task_id, { name: 'refund', amount: 100, currency: 'USD', params: { order_id: 'o-1' } }), 600);
    const v = await c.waitForVerdict(d, { timeoutMs: 10000 });
    assert.equal(v.kind, 'deliver');
    assert.equal(v.edited, true);
    assert.equal(v.action.amount, 100);
    const polls = proxy.requests('GET', `/v1/tasks/${d.task_id}`);
    assert.equal(polls[0].fault, 'cut_after_ms');
    assert.ok(polls.length >= 2);
  });

  test('a reviewer who edits only the amount: textOutdated, the text still the AI\'s', async () => {
    const c = client();
    const d = await c.submit(bigRefund(interaction(), 150));
    await reviewer.edit(d.task_id, { name: 'refund', amount: 100, currency: 'USD' });
    const v = await c.waitForVerdict(d, { timeoutMs: 10000 });
    assert.equal(v.kind, 'deliver');
    assert.equal(v.action.amount, 100);
    assert.equal(v.text, 'I refunded 150 USD.');
    assert.equal(v.textOutdated, true);
  });

  test('a reviewer who edits the amount and the text: not outdated', async () => {
    const c = client();
    const d = await c.submit(bigRefund(interaction(), 150));
    await reviewer.edit(d.task_id, { name: 'refund', amount: 100, currency: 'USD' }, { edited_text: 'I refunded 100 USD.' });
    const v = await c.waitForVerdict(d, { timeoutMs: 10000 });
    assert.equal(v.kind, 'deliver');
    assert.equal(v.text, 'I refunded 100 USD.');
    assert.equal(v.textOutdated, false);
  });

  test('waits out a 503 from the gateway', async () => {
    const id = interaction();
    const c = client();
    const d = await c.submit(bigRefund(id));
    proxy.inject('GET', `/v1/tasks/${d.task_id}`, { kind: 'status', status: 503 }, 2);
    await reviewer.approve(d.task_id);
    const v = await c.waitForVerdict(d.task_id, { timeoutMs: 10000 });
    assert.equal(v.kind, 'deliver');
    assert.equal(v.edited, false);
    assert.equal(proxy.requests('GET', `/v1/tasks/${d.task_id}`).length, 3);
  });

  test('returns timed_out when its own deadline passes first', async () => {
    const c = client();
    const d = await c.submit(bigRefund(interaction()));
    const started = Date.now();
    const v = await c.waitForVerdict(d, { deadline: new Date(Date.now() + 400) });
    assert.deepEqual(v, { kind: 'timed_out', taskId: d.task_id, holdingMessage: undefined });
    assert.ok(Date.now() - started >= 380);
  });

  test('an unknown task is a 404, not an endless wait', async () => {
    await assert.rejects(client().waitForVerdict('t-0000000000000000', { timeoutMs: 5000 }), (e) => e instanceof HitlgateHttpError && e.status === 404);
  });

  test('a rejection carries the message for the customer', async () => {
    const c = client();
    const d = await c.submit(bigRefund(interaction()));
    await reviewer.reject(d.task_id, 'A colleague will call you about the refund.', 'over the limit');
    const v = await c.waitForVerdict(d);
    assert.equal(v.kind, 'do_not_deliver');
    assert.equal(v.reason, 'rejected');
    assert.equal(v.customerMessage, 'A colleague will call you about the refund.');
    assert.equal(v.reviewerReason, 'over the limit');
  });
});

describe('gate', () => {
  test('allow: runs at once with the proposal', async () => {
    const p = allowedReply(interaction());
    const out = await client().gate(p, (a) => ({ ran: true, text: a.text, edited: a.edited, decision: a.decision.decision }));
    assert.deepEqual(out, { ran: true, text: p.text, edited: false, decision: 'allow' });
  });

  test('hold: runs once with the edited action, after its receipt verified', async () => {
    const id = interaction();
    const runs = [];
    const c = client();
    const gated = c.gate(bigRefund(id), (a) => { runs.push(a); return 'refunded'; }, {
      onHold: async (d) => { await reviewer.edit(d.task_id, { name: 'refund', amount: 100, currency: 'USD', params: { order_id: 'o-1' } }); },
    });
    assert.equal(await gated, 'refunded');
    assert.equal(runs.length, 1);
    assert.deepEqual(runs[0].action, { name: 'refund', amount: 100, currency: 'USD', params: { order_id: 'o-1' } });
    assert.equal(runs[0].edited, true);
    assert.equal(runs[0].receipt.verdict, 'edited');
    assert.equal(runs[0].textOutdated, true, 'the amount changed, the text did not');
    assert.equal(runs[0].text, 'I refunded 150 USD.');
  });

  test('reject: throws HitlgateRejected with the customer message; nothing runs', async () => {
    let ran = false;
    await assert.rejects(
      client().gate(bigRefund(interaction()), () => { ran = true; }, { onHold: (d) => reviewer.reject(d.task_id, 'We cannot refund this order.') }),
      (e) => e instanceof HitlgateRejected && e.customerMessage === 'We cannot refund this order.' && e.reason === 'rejected',
    );
    assert.equal(ran, false);
  });

  test('block: throws HitlgateBlocked naming the rule; nothing runs', async () => {
    let ran = false;
    const p = { interaction_id: interaction(), workflow: 'retail-bot', text: 'Done, your account is deleted.', action: { name: 'delete_account' } };
    await assert.rejects(client().gate(p, () => { ran = true; }), (e) => e instanceof HitlgateBlocked && /no-account-deletion/.test(e.message));
    assert.equal(ran, false);
  });

  test('timeout: throws HitlgateTimeout; nothing runs', async () => {
    let ran = false;
    await assert.rejects(client().gate(bigRefund(interaction()), () => { ran = true; }, { timeoutMs: 300 }), (e) => e instanceof HitlgateTimeout && e.fallback === undefined);
    assert.equal(ran, false);
  });

  // A man in the middle (or a confused proxy) changes what the agent is told to run.
  let replayedReceipt; // a genuine receipt of another task for the same action
  const tamperings = {
    'a raised amount': ['action_changed', (task) => { task.final.action.amount = 1000; }],
    'a forged signature': ['bad_signature', (task) => { task.receipt.signature = task.receipt.signature.replace(/^./, (c) => (c === '0' ? '1' : '0')); }],
    'a removed receipt': ['missing', (task) => { delete task.receipt; }],
    "another task's genuine receipt": ['wrong_task', (task) => { task.receipt = replayedReceipt; }],
  };
  for (const [name, [reason, tamper]] of Object.entries(tamperings)) {
    test(`a receipt that does not match (${name}) is refused; nothing runs`, async () => {
      const refund = { name: 'refund', amount: 100, currency: 'USD' };
      replayedReceipt ??= await client().gate(bigRefund(interaction()), (a) => a.receipt, { onHold: (d) => reviewer.edit(d.task_id, refund) });
      const tampering = async (url, init) => {
        const res = await fetch(url, init);
        if (!/\/v1\/tasks\//.test(String(url))) return res;
        const task = await res.json();
        if (task.status === 'answered') tamper(task);
        return new Response(JSON.stringify(task), { status: res.status, headers: res.headers });
      };
      let ran = false;
      const c = client({ fetch: tampering });
      await assert.rejects(
        c.gate(bigRefund(interaction()), () => { ran = true; }, { onHold: (d) => reviewer.edit(d.task_id, refund) }),
        (e) => e instanceof HitlgateReceiptError && e.reason === reason,
      );
      assert.equal(ran, false);
    });
  }

  test('receipts signed after a key rotation verify (the cached key list is refreshed)', async () => {
    const c = client();
    const before = await c.receiptKeys();
    const rotated = await gw.call(gw.adminToken, 'POST', '/v1/receipt-keys/rotate');
    assert.equal(rotated.status, 200, rotated.text);
    const out = await c.gate(bigRefund(interaction()), (a) => a.receipt.key_id, { onHold: (d) => reviewer.approve(d.task_id) });
    assert.ok(!before.some((k) => k.key_id === out), 'signed by the new key');
  });
});

describe('deadlines (deadline_ms) under the built-in retail policy', () => {
  test('a held event with deadline_ms is settled fail_closed: the wait message first, then the customer message', async () => {
    const c = client();
    const d = await c.submit({ ...bigRefund(interaction()), deadline_ms: 500 });
    assert.equal(d.on_deadline, 'fail_closed');
    assert.equal(d.wait_message, 'Let me check that with a colleague, one moment please.');
    const v = await c.waitForVerdict(d);
    assert.equal(v.kind, 'expired');
    assert.equal(v.deliver, false);
    assert.equal(v.fallback, 'fail_closed');
    assert.match(v.customerMessage, /a colleague will follow up/);
  });
});
