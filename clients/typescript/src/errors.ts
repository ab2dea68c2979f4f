import type { Decision, Verdict } from './types.js';

/** Every error this package throws is one of these. */
export class HitlgateError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The caller passed something unusable (no baseUrl, an event without a workflow...). Nothing was sent. */
export class HitlgateInputError extends HitlgateError {}

/** The gateway answered with an error status; `code` and `message` come from its body. */
export class HitlgateHttpError extends HitlgateError {
  /** From a 429's or 503's Retry-After header. */
  retryAfterMs?: number;
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(`hitlgate ${status} ${code}: ${message}`);
  }
}

/**
 * 409 `already_exists` on `submit`: the event_id was recorded for this workflow with
 * another body (a regenerated proposal, say). The recorded decision and its task stand;
 * send the same event again, or a new event with a new event_id.
 */
export class HitlgateAlreadyExists extends HitlgateHttpError {
  constructor(
    message: string,
    readonly eventId: string,
  ) {
    super(409, 'already_exists', message, false);
  }
}

/** The gateway could not be reached (or kept failing) within the retry budget. */
export class HitlgateUnavailable extends HitlgateError {}

/** A receipt is missing, forged, from an unknown key or for another action: the action must not run. */
export class HitlgateReceiptError extends HitlgateError {
  constructor(
    readonly reason:
      | 'missing'
      | 'malformed'
      | 'unknown_key'
      | 'bad_signature'
      | 'key_not_valid'
      | 'action_changed'
      | 'wrong_task',
    detail: string,
  ) {
    super(`approval receipt refused (${reason}): ${detail}`);
  }
}

/** A webhook delivery failed verification; answer it with 400/401 and do not act on it. */
export class HitlgateWebhookError extends HitlgateError {
  constructor(
    readonly reason: 'missing_header' | 'bad_signature' | 'stale' | 'bad_body',
    detail: string,
  ) {
    super(`webhook refused (${reason}): ${detail}`);
  }
}

/** A person did not let the proposal through (`gate`). Say `customerMessage` when there is one. */
export class HitlgateRejected extends HitlgateError {
  readonly customerMessage?: string;
  readonly reason: 'rejected' | 'taken_over' | 'cancelled';
  readonly reviewerReason?: string;
  readonly taskId: string;
  constructor(readonly verdict: Extract<Verdict, { kind: 'do_not_deliver' }>) {
    super(
      `hitlgate: task ${verdict.taskId} was ${verdict.reason.replace('_', ' ')}` +
        (verdict.reviewerReason ? `: ${verdict.reviewerReason}` : ''),
    );
    this.customerMessage = verdict.customerMessage;
    this.reason = verdict.reason;
    this.reviewerReason = verdict.reviewerReason;
    this.taskId = verdict.taskId;
  }
}

/** The policy blocks this proposal outright (`gate`). The decision's reasons say which rule. */
export class HitlgateBlocked extends HitlgateError {
  readonly customerMessage?: string;
  constructor(
    readonly decision: Decision,
    customerMessage?: string,
  ) {
    super(`hitlgate blocked the proposal: ${blockingRules(decision).join(', ')}`);
    this.customerMessage = customerMessage;
  }
}

/**
 * No verdict in time (`gate`): either the client's own wait ended (`fallback` undefined; the
 * task may still be answered) or the gateway settled it at the event's deadline without
 * delivering (`fallback` is `fail_closed`, or `handoff` for the subclass HitlgateHandedOff).
 */
export class HitlgateTimeout extends HitlgateError {
  readonly customerMessage?: string;
  readonly fallback?: 'fail_closed' | 'handoff';
  constructor(
    readonly taskId: string,
    options: { customerMessage?: string; fallback?: 'fail_closed' | 'handoff'; message?: string } = {},
  ) {
    super(
      options.message ??
        (options.fallback
          ? `hitlgate: task ${taskId} passed its deadline (${options.fallback})`
          : `hitlgate: no verdict for task ${taskId} in time`),
    );
    this.customerMessage = options.customerMessage;
    this.fallback = options.fallback;
  }
}

/**
 * The event's deadline passed and the policy's `handoff` fallback gave the conversation to a
 * person (`gate`). Say `customerMessage`; to hear what the person decides, wait on
 * `waitForVerdict(taskId, { throughHandoff: true })`.
 */
export class HitlgateHandedOff extends HitlgateTimeout {
  declare readonly fallback: 'handoff';
  constructor(taskId: string, customerMessage?: string) {
    super(taskId, {
      customerMessage,
      fallback: 'handoff',
      message: `hitlgate: task ${taskId} passed its deadline and a person took over the conversation`,
    });
  }
}

/** The gateway's answer contradicts itself or what it announced; nothing was run. */
export class HitlgateProtocolError extends HitlgateError {}

/** The rules that made a decision `block` (a decision lists every rule that fired). */
export function blockingRules(decision: Decision): string[] {
  const rules = decision.reasons.filter((r) => r.decision === 'block').map((r) => r.rule);
  return rules.length ? rules : decision.reasons.map((r) => r.rule);
}
