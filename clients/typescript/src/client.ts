import { randomUUID } from 'node:crypto';
import {
  HitlgateAlreadyExists,
  HitlgateBlocked,
  HitlgateHttpError,
  HitlgateHandedOff,
  HitlgateInputError,
  HitlgateProtocolError,
  HitlgateReceiptError,
  HitlgateRejected,
  HitlgateTimeout,
  HitlgateUnavailable,
} from './errors.js';
import { verifyReceipt } from './receipts.js';
import { backoffDelay, parseRetryAfter, resolveRetry, sleep, type ResolvedRetry, type RetryOptions } from './retry.js';
import type { Action, AgentTaskView, Decision, HitlgateEvent, Receipt, ReceiptKey, Verdict } from './types.js';
import { verdictFromTask } from './verdict.js';

export interface HitlgateOptions {
  /** The gateway, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  /** An agent key (`hg_<id>_<secret>`). */
  apiKey: string;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
  retry?: RetryOptions;
  /** Per-request limit for non-waiting calls, in ms (default 30,000). */
  requestTimeoutMs?: number;
}

export interface WaitOptions {
  /** Give up at this time (a Date or epoch ms) and return `{ kind: 'timed_out' }`. */
  deadline?: Date | number;
  /** Give up after this long, in ms (the earlier of this and `deadline` wins). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Longest single long-poll, in ms (default 30,000; the gateway caps it at 60 s). */
  pollMs?: number;
  /** Called when the gateway says the customer has waited long enough to be told. */
  onHoldingMessage?: (message: { text?: string; expected_wait_seconds?: number }) => void;
  /**
   * When the deadline handed the task to a person (`expired` with fallback `handoff`), keep
   * waiting for that person's answer instead of returning the expiry (default false).
   */
  throughHandoff?: boolean;
  /**
   * How often to ask about a handed-off task, in ms (default 1,000): the gateway answers a
   * long-poll on an expired task at once, so this wait is a poll.
   */
  handoffPollMs?: number;
}

/** A proposal for `gate`: an event whose `type` defaults to `ai_proposal`. */
export type Proposal = Omit<HitlgateEvent, 'type'> & { type?: HitlgateEvent['type'] };

/** What `gate` hands to the function that acts. */
export interface Approved {
  /** The action to run: the reviewer's edit when there was one. */
  action?: Action;
  text?: string;
  edited: boolean;
  /**
   * A reviewer changed the action but not the text: `text` still names what the AI proposed
   * (the old amount, say), so write the reply for `action` again instead of sending `text`.
   */
  textOutdated: boolean;
  /**
   * The event's deadline passed and the policy's `fail_open` let the original proposal out
   * unreviewed (there is no receipt: nobody approved it).
   */
  failOpen: boolean;
  decision: Decision;
  /** Set when a person decided (hold/handoff) or the deadline settled the task. */
  verdict?: Verdict;
  /** The verified receipt of a person's approval, when there was one. */
  receipt?: Receipt;
}

export interface GateOptions extends Omit<WaitOptions, 'signal' | 'throughHandoff' | 'handoffPollMs'> {
  signal?: AbortSignal;
  /**
   * How long the agent can wait for a verdict (sent as the event's `deadline_ms`); the
   * gateway settles the task with the policy's fallback when it passes.
   */
  deadlineMs?: number;
  /**
   * Called once when the proposal is held, before waiting: say `decision.wait_message` (the
   * policy's line for a caller who waits) while a person decides.
   */
  onHold?: (decision: Decision) => void | Promise<void>;
  /** Refuse approved actions that come without a valid receipt (default true). */
  requireReceipt?: boolean;
}

const EVENT_TYPES = new Set(['customer_message', 'ai_proposal', 'interaction_closed']);
/** How long after an event's deadline_at the client keeps waiting for the gateway to settle it. */
const SETTLE_GRACE_MS = 5_000;

type Response = { status: number; headers: Headers; text: string };

export class Hitlgate {
  readonly baseUrl: string;
  readonly #apiKey: string;
  readonly #fetch: typeof fetch;
  readonly #retry: ResolvedRetry;
  readonly #requestTimeoutMs: number;
  #keys?: Promise<ReceiptKey[]>;

  constructor(options: HitlgateOptions) {
    if (!options || typeof options !== 'object') throw new HitlgateInputError('new Hitlgate({ baseUrl, apiKey }): options are missing');
    const { baseUrl, apiKey } = options;
    if (typeof baseUrl !== 'string' || baseUrl === '') throw new HitlgateInputError('new Hitlgate: baseUrl is missing (e.g. "http://127.0.0.1:8080")');
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      throw new HitlgateInputError(`new Hitlgate: baseUrl '${baseUrl}' is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new HitlgateInputError(`new Hitlgate: baseUrl must be http:// or https://, not '${url.protocol}'`);
    }
    if (typeof apiKey !== 'string' || !/^hg_[^_\s]+_\S+$/.test(apiKey)) {
      throw new HitlgateInputError('new Hitlgate: apiKey is missing or not a hitlgate key (hg_<id>_<secret>)');
    }
    const f = options.fetch ?? globalThis.fetch;
    if (typeof f !== 'function') throw new HitlgateInputError('new Hitlgate: no fetch implementation (pass options.fetch)');
    try {
      this.#retry = resolveRetry(options.retry);
    } catch (e) {
      throw new HitlgateInputError(`new Hitlgate: ${(e as Error).message}`);
    }
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.#apiKey = apiKey;
    this.#fetch = f;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  }

  /**
   * Sends one event and returns the decision. An event without `event_id` gets a random one,
   * and every retry (network errors, 5xx, 429 after its Retry-After) sends the same id, so
   * the gateway records the event once. Other 4xx are thrown at once; a 409 is
   * HitlgateAlreadyExists (the id was used for another body).
   */
  async submit(event: HitlgateEvent, options: { signal?: AbortSignal } = {}): Promise<Decision> {
    checkEvent(event);
    const withId = event.event_id === undefined ? { ...event, event_id: randomUUID() } : event;
    const res = await this.#withRetries('POST', '/v1/events', JSON.stringify(withId), options.signal, true);
    if (res.status === 409) {
      const { message } = errorBody(res);
      throw new HitlgateAlreadyExists(message, withId.event_id!);
    }
    return JSON.parse(res.text) as Decision;
  }

  /** One read of a task, waiting up to `waitMs` for it to change (no retries). */
  async getTask(taskId: string, options: { waitMs?: number; signal?: AbortSignal } = {}): Promise<AgentTaskView> {
    const waitMs = Math.max(0, Math.floor(options.waitMs ?? 0));
    const path = `/v1/tasks/${encodeURIComponent(taskId)}?wait=${waitMs}ms`;
    const res = await this.#send('GET', path, undefined, options.signal, waitMs + this.#requestTimeoutMs);
    if (res.status !== 200) throw httpError(res);
    return JSON.parse(res.text) as AgentTaskView;
  }

  /**
   * Long-polls a held task until it is settled and returns the outcome. Dropped connections,
   * 5xx and 429 are waited out with backoff; a 4xx (unknown task, wrong key) is thrown.
   * Returns `{ kind: 'timed_out' }` when `deadline`/`timeoutMs` passes first. With a decision
   * that carries `deadline_at`, it waits for the gateway's own settlement by default.
   */
  async waitForVerdict(task: string | Pick<Decision, 'task_id' | 'deadline_at'>, options: WaitOptions = {}): Promise<Verdict> {
    const taskId = typeof task === 'string' ? task : task?.task_id;
    if (typeof taskId !== 'string' || taskId === '') {
      throw new HitlgateInputError('waitForVerdict: pass a task id or a hold/handoff decision (this one has no task_id)');
    }
    // A handed-off task waits for a person, however long they take; otherwise the gateway
    // settles the task itself at deadline_at.
    const serverDeadline =
      typeof task === 'object' && task.deadline_at && !options.throughHandoff ? Date.parse(task.deadline_at) + SETTLE_GRACE_MS : Infinity;
    const until = Math.min(
      options.deadline === undefined ? Infinity : +options.deadline,
      options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs,
      serverDeadline,
    );
    if (Number.isNaN(until)) throw new HitlgateInputError('waitForVerdict: deadline is not a valid time');
    const pollMs = Math.min(Math.max(options.pollMs ?? 30_000, 1), 60_000);
    const handoffPollMs = Math.max(options.handoffPollMs ?? 1_000, 50);
    if (!Number.isFinite(handoffPollMs)) throw new HitlgateInputError('waitForVerdict: handoffPollMs must be a number of ms');
    let holding: { text?: string; expected_wait_seconds?: number } | undefined;
    let failures = 0;
    for (;;) {
      const remaining = until - Date.now();
      if (remaining <= 0) return { kind: 'timed_out', taskId, holdingMessage: holding };
      const started = Date.now();
      try {
        const view = await this.getTask(taskId, { waitMs: Math.min(pollMs, remaining), signal: options.signal });
        failures = 0;
        const verdict = verdictFromTask(view);
        if (verdict?.kind === 'expired' && verdict.fallback === 'handoff' && options.throughHandoff) {
          await sleep(Math.min(handoffPollMs, remaining), options.signal);
          continue;
        }
        if (verdict) return verdict;
        if (view.holding_message && !holding) {
          holding = view.holding_message;
          options.onHoldingMessage?.(holding);
        }
        // A gateway that answers at once while pending must not turn this into a busy loop.
        if (Date.now() - started < 50) await sleep(Math.min(100, remaining), options.signal);
      } catch (e) {
        if (options.signal?.aborted) throw options.signal.reason;
        if (e instanceof HitlgateHttpError && !e.retryable) throw e;
        const wait = (e instanceof HitlgateHttpError ? e.retryAfterMs : undefined) ?? backoffDelay(Math.min(failures, 8), this.#retry);
        failures++;
        await sleep(Math.min(wait, Math.max(0, until - Date.now())), options.signal);
      }
    }
  }

  /** The gateway's receipt keys (`GET /v1/receipt-keys`), fetched once and cached. */
  async receiptKeys(options: { refresh?: boolean } = {}): Promise<ReceiptKey[]> {
    if (options.refresh || !this.#keys) {
      const fetching = this.#withRetries('GET', '/v1/receipt-keys', undefined, undefined, false).then((res) => {
        if (res.status !== 200) throw httpError(res);
        return (JSON.parse(res.text) as { keys: ReceiptKey[] }).keys;
      });
      this.#keys = fetching;
      fetching.catch(() => {
        if (this.#keys === fetching) this.#keys = undefined;
      });
    }
    return this.#keys;
  }

  /**
   * Throws HitlgateReceiptError unless `receipt` approves exactly `action` (for `taskId`).
   * An unknown key refreshes the cached key list once (the gateway may have rotated).
   */
  async verifyReceipt(receipt: Receipt | undefined, action: unknown, options: { taskId?: string } = {}): Promise<void> {
    try {
      verifyReceipt(receipt, action, await this.receiptKeys(), options);
    } catch (e) {
      if (!(e instanceof HitlgateReceiptError) || e.reason !== 'unknown_key') throw e;
      verifyReceipt(receipt, action, await this.receiptKeys({ refresh: true }), options);
    }
  }

  /**
   * Puts a proposal in front of hitlgate and runs `run` only if it may go out: at once on
   * allow/allow_monitored; after a person's verdict on hold/handoff, with the final (maybe
   * edited) action, whose receipt is verified first; at the event's deadline, with the original
   * proposal only on a fail_open that the hold announced. Throws HitlgateBlocked,
   * HitlgateRejected, HitlgateTimeout or HitlgateHandedOff (each with `customerMessage` when
   * there is one) instead of running.
   */
  async gate<T>(proposal: Proposal, run: (approved: Approved) => T | Promise<T>, options: GateOptions = {}): Promise<T> {
    if (typeof run !== 'function') throw new HitlgateInputError('gate(proposal, run): run must be a function');
    if (!proposal || typeof proposal !== 'object') throw new HitlgateInputError('gate(proposal, run): proposal must be an event object');
    const event: HitlgateEvent = { ...proposal, type: proposal.type ?? 'ai_proposal' };
    if (options.deadlineMs !== undefined) event.deadline_ms = options.deadlineMs;
    const decision = await this.submit(event, { signal: options.signal });
    switch (decision.decision) {
      case 'allow':
      case 'allow_monitored':
        return run({ action: event.action ?? undefined, text: event.text, edited: false, textOutdated: false, failOpen: false, decision });
      case 'block':
        throw new HitlgateBlocked(decision);
      default:
        break;
    }
    await options.onHold?.(decision);
    // A handoff ends the gate (HitlgateHandedOff); waiting for the person is the caller's choice.
    const verdict = await this.waitForVerdict(decision, { ...options, throughHandoff: false });
    switch (verdict.kind) {
      case 'deliver': {
        if (verdict.action !== undefined && options.requireReceipt !== false) {
          await this.verifyReceipt(verdict.receipt, verdict.action, { taskId: verdict.taskId });
        }
        return run({
          action: verdict.action,
          text: verdict.text,
          edited: verdict.edited,
          textOutdated: verdict.textOutdated,
          failOpen: false,
          decision,
          verdict,
          receipt: verdict.receipt,
        });
      }
      case 'do_not_deliver':
        throw new HitlgateRejected(verdict);
      case 'expired':
        if (verdict.deliver) {
          // fail_open runs what nobody approved, so only when the hold announced exactly that.
          if (decision.on_deadline !== 'fail_open') {
            throw new HitlgateProtocolError(
              `hitlgate: task ${verdict.taskId} expired as fail_open, but its hold announced on_deadline ${JSON.stringify(decision.on_deadline)}; not running it`,
            );
          }
          return run({ action: event.action ?? undefined, text: event.text, edited: false, textOutdated: false, failOpen: true, decision, verdict });
        }
        if (verdict.fallback === 'handoff') throw new HitlgateHandedOff(verdict.taskId, verdict.customerMessage);
        throw new HitlgateTimeout(verdict.taskId, { customerMessage: verdict.customerMessage, fallback: 'fail_closed' });
      case 'timed_out':
        throw new HitlgateTimeout(verdict.taskId);
    }
  }

  async #send(method: string, path: string, body: string | undefined, signal: AbortSignal | undefined, timeoutMs: number): Promise<Response> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const res = await this.#fetch(this.baseUrl + path, {
      method,
      headers: body === undefined
        ? { Authorization: `Bearer ${this.#apiKey}` }
        : { Authorization: `Bearer ${this.#apiKey}`, 'Content-Type': 'application/json' },
      body,
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  // Retries network errors, 5xx and 429 with the same request; returns any other answer
  // (2xx, and 409 when `conflictIsAnswer`) and throws the remaining 4xx.
  async #withRetries(method: string, path: string, body: string | undefined, signal: AbortSignal | undefined, conflictIsAnswer: boolean): Promise<Response> {
    const r = this.#retry;
    for (let attempt = 1; ; attempt++) {
      let failure: unknown;
      let wait: number | undefined;
      let res: Response | undefined;
      try {
        res = await this.#send(method, path, body, signal, this.#requestTimeoutMs);
      } catch (e) {
        if (signal?.aborted) throw signal.reason;
        failure = e;
      }
      if (res) {
        if (res.status < 400 || (conflictIsAnswer && res.status === 409)) return res;
        const err = httpError(res);
        if (!err.retryable) throw err;
        failure = err;
        wait = err.retryAfterMs;
        if (wait !== undefined && wait > r.maxRetryAfterMs) throw err;
      }
      if (attempt >= r.maxAttempts) {
        if (failure instanceof HitlgateHttpError) throw failure;
        throw new HitlgateUnavailable(`hitlgate at ${this.baseUrl} unreachable after ${r.maxAttempts} attempts: ${describe(failure)}`, { cause: failure });
      }
      await sleep(wait ?? backoffDelay(attempt - 1, r), signal);
    }
  }
}

function checkEvent(event: HitlgateEvent): void {
  if (!event || typeof event !== 'object' || Array.isArray(event)) throw new HitlgateInputError('submit: the event must be an object');
  for (const f of ['interaction_id', 'workflow'] as const) {
    if (typeof event[f] !== 'string' || event[f] === '') throw new HitlgateInputError(`submit: event.${f} must be a non-empty string`);
  }
  if (!EVENT_TYPES.has(event.type)) {
    throw new HitlgateInputError(`submit: event.type must be one of ${[...EVENT_TYPES].join(', ')}, not ${JSON.stringify(event.type)}`);
  }
  if (event.event_id !== undefined && (typeof event.event_id !== 'string' || event.event_id === '' || event.event_id.length > 256)) {
    throw new HitlgateInputError('submit: event.event_id must be a string of 1 to 256 characters');
  }
  const d = event.deadline_ms;
  if (d !== undefined && (!Number.isInteger(d) || d < 1 || d > 3_600_000)) {
    throw new HitlgateInputError(`submit: event.deadline_ms must be an integer from 1 to 3600000, not ${JSON.stringify(d)}`);
  }
}

function errorBody(res: Response): { code: string; message: string } {
  try {
    const parsed = JSON.parse(res.text) as { error?: { code?: string; message?: string } };
    if (parsed.error?.code) return { code: parsed.error.code, message: parsed.error.message ?? '' };
  } catch {
    // Not JSON: a proxy's error page, say.
  }
  return { code: `http_${res.status}`, message: res.text.slice(0, 200) };
}

function httpError(res: Response): HitlgateHttpError {
  const { code, message } = errorBody(res);
  const err = new HitlgateHttpError(res.status, code, message, res.status >= 500 || res.status === 429);
  err.retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
  return err;
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? e.message;
  }
  return String(e);
}
