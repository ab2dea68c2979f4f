// verifyWebhook on deliveries the real gateway signs and sends.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Hitlgate, HitlgateInputError, HitlgateWebhookError, verifyWebhook, verdictFromTask } from '@hitlgate/client';
import { bigRefund, interaction, startGateway } from './helpers/gateway.mjs';

const SECRET = 'whsec-test-0123456789abcdef';
let gw, receiver, deliveries, client, reviewer;
before(async () => {
  gw = await startGateway();
  deliveries = [];
  let notify = () => {};
  receiver = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      deliveries.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(204).end();
      notify();
    });
  });
  receiver.nextDelivery = (pred) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no webhook delivery in 15 s')), 15000);
    const check = () => {
      const d = deliveries.find(pred);
      if (d) { clearTimeout(timer); resolve(d); }
    };
    notify = check;
    check();
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  const put = await gw.call(gw.adminToken, 'PUT', '/v1/webhooks/retail-bot', { url: `http://127.0.0.1:${receiver.address().port}/hook`, secret: SECRET });
  assert.equal(put.status, 200, put.text);
  client = new Hitlgate({ baseUrl: gw.url, apiKey: await gw.key('agent') });
  reviewer = await gw.reviewer();
});
after(async () => {
  receiver?.close();
  await gw?.stop();
});

async function realDelivery() {
  const d = await client.submit(bigRefund(interaction()));
  await reviewer.edit(d.task_id, { name: 'refund', amount: 90, currency: 'USD' });
  return receiver.nextDelivery((x) => x.body.toString().includes(d.task_id));
}

test("a real delivery verifies and carries the verdict", async () => {
  const { headers, body } = await realDelivery();
  const got = verifyWebhook(headers, body, SECRET);
  assert.equal(got.event, 'task.answered');
  assert.ok(got.deliveryId.length > 0);
  const v = verdictFromTask(got.task);
  assert.equal(v.kind, 'deliver');
  assert.equal(v.action.amount, 90);
  await client.verifyReceipt(v.receipt, v.action, { taskId: got.task.task_id });
  // The same with a Fetch API Headers object and a string body.
  assert.equal(verifyWebhook(new Headers(headers), body.toString('utf8'), SECRET).task.task_id, got.task.task_id);
});

test('a wrong secret, a changed body or a changed timestamp is refused (bad_signature)', async () => {
  const { headers, body } = await realDelivery();
  const bad = (e) => e instanceof HitlgateWebhookError && e.reason === 'bad_signature';
  assert.throws(() => verifyWebhook(headers, body, SECRET + 'x'), bad);
  assert.throws(() => verifyWebhook(headers, body.toString().replace('"amount":90', '"amount":900'), SECRET), bad);
  const ts = Number(headers['x-hitlgate-timestamp']);
  assert.throws(() => verifyWebhook({ ...headers, 'x-hitlgate-timestamp': String(ts + 1) }, body, SECRET), bad);
  assert.throws(() => verifyWebhook({ ...headers, 'x-hitlgate-signature': 'sha256=zz' }, body, SECRET), bad);
});

test('a stale delivery is refused; one inside the tolerance passes', async () => {
  const { headers, body } = await realDelivery();
  const sent = Number(headers['x-hitlgate-timestamp']) * 1000;
  assert.throws(() => verifyWebhook(headers, body, SECRET, { now: sent + 301_000 }), (e) => e.reason === 'stale');
  assert.throws(() => verifyWebhook(headers, body, SECRET, { now: sent + 11_000, toleranceSeconds: 10 }), (e) => e.reason === 'stale');
  assert.equal(verifyWebhook(headers, body, SECRET, { now: sent + 200_000 }).event, 'task.answered');
});

test('missing headers, a non-task body and an empty secret are clear errors', () => {
  assert.throws(() => verifyWebhook({}, '{}', SECRET), (e) => e instanceof HitlgateWebhookError && e.reason === 'missing_header');
  assert.throws(() => verifyWebhook({}, '{}', ''), HitlgateInputError);
  assert.throws(() => verifyWebhook(null, '{}', SECRET), HitlgateInputError);
});
