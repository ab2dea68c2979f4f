// Backoff for retries: exponential with full jitter (each wait drawn
// uniformly from [0, min(max, base * 2^attempt)]), so many agents that lost
// the gateway at once do not come back in step.

export interface RetryOptions {
  /** Tries in all, the first included (default 5). 1 disables retries. */
  maxAttempts?: number;
  /** Upper bound of the first wait, in ms (default 200). */
  baseDelayMs?: number;
  /** Cap of any computed wait, in ms (default 5,000). */
  maxDelayMs?: number;
  /** Longest `Retry-After` honoured, in ms (default 60,000); a longer one fails the call. */
  maxRetryAfterMs?: number;
  /** For tests: the jitter source, in [0, 1). */
  random?: () => number;
}

export type ResolvedRetry = Required<RetryOptions>;

export function resolveRetry(options: RetryOptions | undefined): ResolvedRetry {
  const r = {
    maxAttempts: options?.maxAttempts ?? 5,
    baseDelayMs: options?.baseDelayMs ?? 200,
    maxDelayMs: options?.maxDelayMs ?? 5_000,
    maxRetryAfterMs: options?.maxRetryAfterMs ?? 60_000,
    random: options?.random ?? Math.random,
  };
  if (!Number.isInteger(r.maxAttempts) || r.maxAttempts < 1) {
    throw new TypeError(`retry.maxAttempts must be an integer >= 1, not ${options?.maxAttempts}`);
  }
  for (const k of ['baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs'] as const) {
    if (typeof r[k] !== 'number' || !(r[k] >= 0)) throw new TypeError(`retry.${k} must be a number >= 0`);
  }
  return r;
}

/** The wait before retry number `attempt` (0 = the first retry). */
export function backoffDelay(attempt: number, r: ResolvedRetry): number {
  const ceiling = Math.min(r.maxDelayMs, r.baseDelayMs * 2 ** attempt);
  return Math.floor(r.random() * ceiling);
}

/** `Retry-After` as ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
