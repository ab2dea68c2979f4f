// Offline check of an approval receipt (docs/receipts.md): Ed25519 over
// length-prefixed fields, with the gateway's published keys, and SHA-256 of
// the action's canonical JSON. Only node:crypto.
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { HitlgateReceiptError } from './errors.js';
import type { Receipt, ReceiptKey } from './types.js';

const DOMAIN = 'hitlgate.receipt.v1';
const RFC3339_MICROS = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?Z$/;

/** SHA-256 (hex) of the action's canonical JSON: what a receipt's `action_sha256` must equal. */
export function actionDigest(action: unknown): string {
  if (action === null || typeof action !== 'object' || Array.isArray(action)) {
    throw new HitlgateReceiptError('malformed', 'the action must be a JSON object');
  }
  return createHash('sha256').update(canonicalJson(action), 'utf8').digest('hex');
}

/** Microseconds since the epoch of an RFC 3339 UTC time with up to six fractional digits. */
export function rfc3339Micros(text: string): bigint | undefined {
  const m = RFC3339_MICROS.exec(text);
  if (!m) return undefined;
  const seconds = Date.parse(m[1] + 'Z');
  if (Number.isNaN(seconds)) return undefined;
  return BigInt(seconds / 1000) * 1_000_000n + BigInt((m[2] ?? '').padEnd(6, '0'));
}

/** The bytes the gateway signs (docs/receipts.md, "Signed bytes"). */
export function signingInput(r: Receipt): Buffer {
  const parts: Buffer[] = [];
  const u64 = (n: bigint) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt.asUintN(64, n));
    parts.push(b);
  };
  const field = (s: string) => {
    const bytes = Buffer.from(s, 'utf8');
    u64(BigInt(bytes.length));
    parts.push(bytes);
  };
  const approvedAt = rfc3339Micros(r.approved_at);
  if (approvedAt === undefined) throw new HitlgateReceiptError('malformed', `approved_at '${r.approved_at}'`);
  field(DOMAIN);
  field(r.key_id);
  field(r.task_id);
  field(r.interaction_id);
  field(r.reviewer);
  field(r.verdict);
  u64(approvedAt);
  field(r.policy_version);
  field(r.action_sha256);
  return Buffer.concat(parts);
}

const keyObjects = new Map<string, KeyObject>();

function publicKey(hex: string): KeyObject {
  let key = keyObjects.get(hex);
  if (!key) {
    const raw = Buffer.from(hex, 'hex');
    if (raw.length !== 32) throw new HitlgateReceiptError('malformed', 'a public key is not 32 bytes');
    key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
    keyObjects.set(hex, key);
  }
  return key;
}

const RECEIPT_STRINGS = ['format', 'key_id', 'task_id', 'interaction_id', 'reviewer', 'verdict', 'approved_at',
  'policy_version', 'action_sha256', 'signature'] as const;

/**
 * Throws HitlgateReceiptError unless `receipt` is the gateway's signature that a person
 * approved exactly `action` (for `taskId`, when given). The checks and their order follow
 * docs/receipts.md: unknown_key, bad_signature, key_not_valid, action_changed.
 */
export function verifyReceipt(
  receipt: Receipt | undefined,
  action: unknown,
  keys: readonly ReceiptKey[],
  options: { taskId?: string } = {},
): void {
  if (!receipt) throw new HitlgateReceiptError('missing', 'the approved action came without a receipt');
  for (const f of RECEIPT_STRINGS) {
    if (typeof (receipt as Record<string, unknown>)[f] !== 'string') {
      throw new HitlgateReceiptError('malformed', `field '${f}' is missing or not a string`);
    }
  }
  if (receipt.format !== DOMAIN) throw new HitlgateReceiptError('malformed', `format '${receipt.format}'`);
  if (receipt.verdict !== 'approved' && receipt.verdict !== 'edited') {
    throw new HitlgateReceiptError('malformed', `verdict '${receipt.verdict}'`);
  }
  if (!/^[0-9a-f]{128}$/.test(receipt.signature) || !/^[0-9a-f]{64}$/.test(receipt.action_sha256)) {
    throw new HitlgateReceiptError('malformed', 'signature or action_sha256 is not lower-case hex of the right length');
  }
  const key = keys.find((k) => k.key_id === receipt.key_id);
  if (!key) throw new HitlgateReceiptError('unknown_key', `key ${receipt.key_id} is not in the gateway's key list`);
  const ok = verify(null, signingInput(receipt), publicKey(key.public_key), Buffer.from(receipt.signature, 'hex'));
  if (!ok) throw new HitlgateReceiptError('bad_signature', `the signature does not verify under ${key.key_id}`);
  const at = rfc3339Micros(receipt.approved_at)!;
  const from = rfc3339Micros(key.not_before);
  const until = key.not_after ? rfc3339Micros(key.not_after) : undefined;
  if (from === undefined || at < from || (until !== undefined && at >= until)) {
    throw new HitlgateReceiptError('key_not_valid', `${key.key_id} was not valid at ${receipt.approved_at}`);
  }
  if (actionDigest(action) !== receipt.action_sha256) {
    throw new HitlgateReceiptError('action_changed', 'the receipt approves another action than the one about to run');
  }
  if (options.taskId !== undefined && receipt.task_id !== options.taskId) {
    throw new HitlgateReceiptError('wrong_task', `the receipt is for task ${receipt.task_id}, not ${options.taskId}`);
  }
}
