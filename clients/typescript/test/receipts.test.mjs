// Receipt verification: the canonical JSON and signed bytes against the real
// gateway's receipts, and each refusal reason on receipts signed here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { Hitlgate, HitlgateReceiptError, actionDigest, canonicalJson, verifyReceipt } from '@hitlgate/client';
import { bigRefund, interaction, useGateway } from './helpers/gateway.mjs';

const ctx = useGateway(Hitlgate);

test('canonical JSON: sorted keys by UTF-8 bytes, minimal escapes, shortest numbers', () => {
  assert.equal(canonicalJson({ b: [1, { z: 1, a: 2 }], a: 'x' }), '{"a":"x","b":[1,{"a":2,"z":1}]}');
  assert.equal(canonicalJson({ 'ä': 1, z: 2, a: 3, '\ue000': 4, '😀': 5 }), '{"a":3,"z":2,"ä":1,"\ue000":4,"😀":5}');
  assert.equal(canonicalJson('\u0001\u007f\t é "q" \\'), '"\\u0001\u007f\\t é \\"q\\" \\\\"');
  assert.equal(canonicalJson([100.0, 1e2, 0.1, 1.5e-7, 1e-5, 0.0001, 1e21, 1e15, -0.5, 5e-324]),
    '[100,100,0.1,1.5e-07,1e-05,0.0001,1e+21,1000000000000000,-0.5,5e-324]');
  assert.equal(canonicalJson({ a: undefined, b: null, c: true }), '{"b":null,"c":true}');
});

// Each value goes into an edited action; the gateway signs SHA-256 of its own
// canonical JSON, and the client must compute the same digest from the parsed view.
const TRICKY = ['0.1', '1.5e-7', '0.00001', '1e21', '123.456', '-0.5', '5e-324', '1.7976931348623157e308',
  '12345678.9', '1e15', '-7', '"\\u0001\\u007f\\t é 😀 \\"q\\""', '{"ä":1,"z":2,"a":3,"\\ue000":4,"😀":5}', '[1, 2.0, "x"]'];
test("the client's action digest equals the gateway's for numbers, escapes and key orders", async () => {
  for (const raw of TRICKY) {
    const d = await ctx.client.submit(bigRefund(interaction()));
    const claim = await ctx.gw.call(ctx.reviewer.token, 'POST', `/v1/review/tasks/${d.task_id}/claim`);
    const body = `{"verdict":"edited","lease_id":"${claim.json.lease.lease_id}","edited_action":{"name":"refund","amount":99.99,"currency":"USD","params":{"v":${raw}}}}`;
    const res = await fetch(`${ctx.gw.url}/v1/review/tasks/${d.task_id}/verdict`, { method: 'POST', headers: { Authorization: `Bearer ${ctx.reviewer.token}` }, body });
    assert.equal(res.status, 200, await res.text());
    const v = await ctx.client.waitForVerdict(d);
    assert.equal(actionDigest(v.action), v.receipt.action_sha256, `digest of params.v = ${raw}`);
    await ctx.client.verifyReceipt(v.receipt, v.action, { taskId: d.task_id });
  }
});

function localReceipt(overrides = {}) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = publicKey.export({ format: 'jwk' }).x;
  const key = { key_id: 'rk-test', algorithm: 'ed25519', public_key: Buffer.from(pub, 'base64url').toString('hex'),
    not_before: '2026-01-01T00:00:00.000000Z', not_after: '2026-06-01T00:00:00.000000Z' };
  const action = { name: 'refund', amount: 100, currency: 'USD' };
  const receipt = { format: 'hitlgate.receipt.v1', key_id: 'rk-test', task_id: 't-1', interaction_id: 'c-1', reviewer: 'k-1',
    verdict: 'edited', approved_at: '2026-03-01T10:00:00.123456Z', policy_version: 'sha256:abc', action_sha256: actionDigest(action), ...overrides };
  // The signed bytes as docs/receipts.md lays them out, built independently of the client.
  const u64 = (n) => { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(n)); return b; };
  const field = (s) => Buffer.concat([u64(Buffer.byteLength(s)), Buffer.from(s)]);
  const micros = BigInt(Date.parse(receipt.approved_at.slice(0, 19) + 'Z') / 1000) * 1000000n + BigInt(receipt.approved_at.slice(20, 26));
  const bytes = Buffer.concat([field('hitlgate.receipt.v1'), field(receipt.key_id), field(receipt.task_id), field(receipt.interaction_id),
    field(receipt.reviewer), field(receipt.verdict), u64(micros), field(receipt.policy_version), field(receipt.action_sha256)]);
  receipt.signature = sign(null, bytes, privateKey).toString('hex');
  return { receipt, key, action };
}

const refusal = (reason) => (e) => e instanceof HitlgateReceiptError && e.reason === reason;

test('a receipt signed over the documented bytes verifies; each check refuses what it should', () => {
  const { receipt, key, action } = localReceipt();
  verifyReceipt(receipt, action, [key], { taskId: 't-1' });
  verifyReceipt(receipt, { currency: 'USD', amount: 100.0, name: 'refund' }, [key]); // key order, number spelling
  assert.throws(() => verifyReceipt(receipt, action, []), refusal('unknown_key'));
  assert.throws(() => verifyReceipt({ ...receipt, reviewer: 'k-2' }, action, [key]), refusal('bad_signature'));
  assert.throws(() => verifyReceipt({ ...receipt, approved_at: '2026-03-01T10:00:00.123457Z' }, action, [key]), refusal('bad_signature'));
  assert.throws(() => verifyReceipt(receipt, { ...action, amount: 101 }, [key]), refusal('action_changed'));
  assert.throws(() => verifyReceipt(receipt, action, [key], { taskId: 't-2' }), refusal('wrong_task'));
  assert.throws(() => verifyReceipt(undefined, action, [key]), refusal('missing'));
  assert.throws(() => verifyReceipt({ ...receipt, approved_at: 'yesterday' }, action, [key]), refusal('malformed'));
  assert.throws(() => verifyReceipt({ ...receipt, signature: undefined }, action, [key]), refusal('malformed'));
});

test('a signature dated outside its key period is refused (key_not_valid)', () => {
  const late = localReceipt({ approved_at: '2026-06-01T00:00:00.000000Z' }); // not_after is exclusive
  assert.throws(() => verifyReceipt(late.receipt, late.action, [late.key]), refusal('key_not_valid'));
  const early = localReceipt({ approved_at: '2025-12-31T23:59:59.999999Z' });
  assert.throws(() => verifyReceipt(early.receipt, early.action, [early.key]), refusal('key_not_valid'));
});
