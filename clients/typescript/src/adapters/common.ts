// What the three framework adapters share: turning a tool call into a hitlgate
// event whose event_id is fixed by the call, so that re-running the call (a
// graph node replayed after a resume, a needsApproval asked again) submits the
// same event and gets the recorded decision back instead of a second task.
import { createHash } from 'node:crypto';
import type { Hitlgate, WaitOptions } from '../client.js';
import { HitlgateInputError, HitlgateReceiptError, blockingRules } from '../errors.js';
import type { Action, Decision, HitlgateEvent, Verdict } from '../types.js';

export type ToolArgs = Record<string, unknown>;

/** How a gated tool's call becomes a hitlgate event, and an edited action becomes arguments again. */
export interface ToolGateOptions<Args extends ToolArgs = ToolArgs> {
  /** The workflow the agent key acts for, e.g. `retail-bot`. */
  workflow: string;
  /**
   * The tool's arguments as hitlgate's action. Default: `{ name: <tool name>, params: args }`;
   * map money to `amount`/`currency` so the policy's limits apply.
   */
  toAction?: (args: Args, toolName: string) => Action;
  /** The arguments to run with after a reviewer edited the action. Default: `action.params`. */
  fromAction?: (action: Action, original: Args) => Args;
  /** More event fields: text (the reply the agent will send), intent, confidence, customer_id, channel... */
  event?: (args: Args, toolName: string) => Partial<HitlgateEvent>;
  /** Sent as the event's deadline_ms: how long this agent can wait for a person. */
  deadlineMs?: number;
}

export function defaultToAction(args: ToolArgs, toolName: string): Action {
  return { name: toolName, params: args };
}

export function defaultFromAction(action: Action): ToolArgs {
  return (action.params ?? {}) as ToolArgs;
}

export function checkGateOptions(where: string, options: ToolGateOptions<any>): void {
  if (!options || typeof options.workflow !== 'string' || options.workflow === '') {
    throw new HitlgateInputError(`${where}: options.workflow is required (the workflow your agent key acts for)`);
  }
}

export function checkClient(where: string, client: Hitlgate): void {
  if (!client || typeof client.submit !== 'function') {
    throw new HitlgateInputError(`${where}: the first argument must be a Hitlgate client`);
  }
}

/**
 * The event for one tool call. Its event_id is the conversation, the tool and `callKey` (the
 * model's tool call id), so it is the same on every replay of the call; tool call ids must
 * be unique within a conversation (they are with the hosted model APIs).
 */
export function toolCallEvent<Args extends ToolArgs>(
  options: ToolGateOptions<Args>,
  toolName: string,
  args: Args,
  interactionId: string,
  callKey: string,
): HitlgateEvent {
  const action = (options.toAction ?? defaultToAction)(args, toolName);
  const event: HitlgateEvent = {
    interaction_id: interactionId,
    workflow: options.workflow,
    type: 'ai_proposal',
    ...options.event?.(args, toolName),
    action,
    event_id: eventIdFor(interactionId, toolName, callKey),
  };
  if (options.deadlineMs !== undefined) event.deadline_ms = options.deadlineMs;
  return event;
}

/** A line for the model (and the agent's transcript) when a gated call did not run. */
export function notRunMessage(verdict: Verdict | { kind: 'blocked'; rules: string[] }): string {
  switch (verdict.kind) {
    case 'blocked':
      return `NOT DONE: the policy blocks this action (${verdict.rules.join(', ')}). Do not try it again.`;
    case 'do_not_deliver':
      return (
        `NOT DONE: a reviewer ${verdict.reason === 'taken_over' ? 'took over the conversation' : verdict.reason === 'cancelled' ? 'cancelled the request' : 'rejected this action'}.` +
        (verdict.customerMessage ? ` Tell the customer: ${verdict.customerMessage}` : '')
      );
    case 'expired':
      return (
        (verdict.fallback === 'handoff'
          ? 'NOT DONE: no reviewer decided in time; a person is taking over the conversation.'
          : `NOT DONE: no reviewer decided in time (${verdict.fallback}).`) +
        (verdict.customerMessage ? ` Tell the customer: ${verdict.customerMessage}` : '')
      );
    case 'timed_out':
      return 'NOT DONE: no reviewer decided in time.';
    default:
      return 'NOT DONE.';
  }
}

/**
 * A deadline's fail_open runs a call nobody approved: only when the gateway says so and the
 * hold had announced exactly that fallback.
 */
export function mayFailOpen(verdict: Verdict, decision: Decision): boolean {
  return verdict.kind === 'expired' && verdict.deliver && verdict.fallback === 'fail_open' && decision.on_deadline === 'fail_open';
}

function eventIdFor(interactionId: string, toolName: string, callKey: string): string {
  const id = `${interactionId}/${toolName}/${callKey}`;
  // The gateway takes up to 256 characters; a longer id is replaced by its digest.
  return id.length <= 256 ? id : `sha256:${createHash('sha256').update(id).digest('hex')}`;
}

/** Where a held tool call ended: run it (with `args`) or tell the model `refusal`. */
export interface SettledCall {
  approved: boolean;
  /** The arguments to run with: the reviewer's edit when there was one. */
  args: ToolArgs;
  verdict: Verdict | { kind: 'blocked'; rules: string[] };
  customerMessage?: string;
  /** Set when an approval's receipt did not verify (the call is then refused). */
  receiptError?: HitlgateReceiptError;
  /** The line for the model when the call does not run. */
  refusal?: string;
}

/**
 * Submits a tool call's event again (the gateway answers with the recorded decision), waits
 * for the verdict of a held call, and verifies the receipt of an approved action.
 */
export async function settleToolCall(
  client: Hitlgate,
  options: ToolGateOptions<any>,
  toolName: string,
  args: ToolArgs,
  interactionId: string,
  callKey: string,
  wait: WaitOptions,
): Promise<SettledCall> {
  const d = await client.submit(toolCallEvent(options, toolName, args, interactionId, callKey));
  if (d.decision === 'block') {
    const verdict = { kind: 'blocked' as const, rules: blockingRules(d) };
    return { approved: false, args, verdict, refusal: notRunMessage(verdict) };
  }
  if (!d.task_id) return { approved: true, args, verdict: { kind: 'deliver', taskId: '', edited: false } as Verdict };
  const verdict = await client.waitForVerdict(d, wait);
  if (verdict.kind === 'deliver' && verdict.action !== undefined) {
    try {
      await client.verifyReceipt(verdict.receipt, verdict.action, { taskId: verdict.taskId });
    } catch (e) {
      if (!(e instanceof HitlgateReceiptError)) throw e;
      return { approved: false, args, verdict, receiptError: e, refusal: `NOT DONE: the approval could not be verified (${e.reason}).` };
    }
    return { approved: true, args: (options.fromAction ?? defaultFromAction)(verdict.action, args), verdict };
  }
  if (verdict.kind === 'deliver' || mayFailOpen(verdict, d)) return { approved: true, args, verdict };
  const customerMessage = verdict.kind === 'do_not_deliver' || verdict.kind === 'expired' ? verdict.customerMessage : undefined;
  return { approved: false, args, verdict, customerMessage, refusal: notRunMessage(verdict) };
}
