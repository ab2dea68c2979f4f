// Checks a `task.answered` webhook delivery: HMAC-SHA-256(secret, timestamp +
// "." + body) in X-Hitlgate-Signature, compared in constant time, and a
// timestamp close to now so a captured delivery cannot be replayed later.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { HitlgateInputError, HitlgateWebhookError } from './errors.js';
import type { AgentTaskView } from './types.js';

/** Fetch API `Headers`, Node's `req.headers`, or a plain object (names in any case). */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyWebhookOptions {
  /** How far the delivery's timestamp may be from now, in seconds (default 300). */
  toleranceSeconds?: number;
  /** The current time in ms (for tests). */
  now?: number;
}

export interface WebhookDelivery {
  /** `task.answered` */
  event: string;
  /** X-Hitlgate-Delivery: the same id on every retry of one message; de-duplicate on it. */
  deliveryId: string;
  /** The agent's view of the task, as `GET /v1/tasks/{id}` returns it. */
  task: AgentTaskView;
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === lower) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

/**
 * Verifies a webhook delivery and returns its parsed body. `body` must be the raw bytes
 * as received (not re-serialized JSON). Throws HitlgateWebhookError when the signature is
 * missing or wrong, the timestamp is outside the tolerance, or the body is not a task.
 */
export function verifyWebhook(
  headers: WebhookHeaders,
  body: string | Uint8Array,
  secret: string,
  options: VerifyWebhookOptions = {},
): WebhookDelivery {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new HitlgateInputError('verifyWebhook: the webhook secret is empty');
  }
  if (headers === null || typeof headers !== 'object') {
    throw new HitlgateInputError('verifyWebhook: headers must be an object or a Headers instance');
  }
  const tolerance = options.toleranceSeconds ?? 300;
  const timestamp = header(headers, 'x-hitlgate-timestamp');
  const signature = header(headers, 'x-hitlgate-signature');
  if (!timestamp || !signature) {
    throw new HitlgateWebhookError('missing_header', 'X-Hitlgate-Timestamp and X-Hitlgate-Signature are required');
  }
  const raw = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(raw).digest();
  const given = /^sha256=([0-9a-fA-F]{64})$/.exec(signature.trim());
  if (!given || !timingSafeEqual(expected, Buffer.from(given[1], 'hex'))) {
    throw new HitlgateWebhookError('bad_signature', 'the signature does not match this body and secret');
  }
  // Checked after the signature, so an attacker cannot probe the clock with unsigned requests.
  const seconds = Number(timestamp);
  const now = (options.now ?? Date.now()) / 1000;
  if (!/^\d+$/.test(timestamp) || Math.abs(now - seconds) > tolerance) {
    throw new HitlgateWebhookError('stale', `timestamp ${timestamp} is more than ${tolerance} s from now`);
  }
  let task: AgentTaskView;
  try {
    task = JSON.parse(raw.toString('utf8'));
  } catch (e) {
    throw new HitlgateWebhookError('bad_body', `the body is not JSON: ${(e as Error).message}`);
  }
  if (!task || typeof task !== 'object' || typeof task.task_id !== 'string') {
    throw new HitlgateWebhookError('bad_body', 'the body is not a task (no task_id)');
  }
  return {
    event: header(headers, 'x-hitlgate-event') ?? 'task.answered',
    deliveryId: header(headers, 'x-hitlgate-delivery') ?? '',
    task,
  };
}
