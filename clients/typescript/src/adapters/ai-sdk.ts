// Vercel AI SDK (v6 tool approval): a tool's `needsApproval` answered by
// hitlgate's decision, and `resolveApprovals`, which waits for hitlgate's
// verdicts on the approval requests of a generateText/streamText response and
// returns the conversation to send next: the reviewers' edits written into the
// tool calls' inputs, plus a tool message of approval responses (denials carry
// the reviewer's message, which the SDK hands to the model).
//
// The SDK asks needsApproval again for every approved call before running it
// (with the edited input); a call that already has an approval request in the
// conversation answers true without a new submission, since the gateway would
// refuse the edited body under the same event_id.
import type { ModelMessage, Tool, ToolSet } from 'ai';
import type { Hitlgate, WaitOptions } from '../client.js';
import { HitlgateInputError } from '../errors.js';
import {
  checkClient,
  checkGateOptions,
  settleToolCall,
  toolCallEvent,
  type SettledCall,
  type ToolArgs,
  type ToolGateOptions,
} from './common.js';

export type { ToolGateOptions } from './common.js';

export interface AiSdkGateOptions<Args extends ToolArgs = ToolArgs> extends ToolGateOptions<Args> {
  /** The conversation id, or a function of the call's `experimental_context`. */
  interactionId: string | ((experimentalContext: unknown) => string);
}

const gates = new WeakMap<object, { client: Hitlgate; name: string; options: AiSdkGateOptions<any> }>();

/** What happened to one approval request. */
export interface ApprovalOutcome extends SettledCall {
  approvalId: string;
  toolCallId: string;
  tool: string;
  /** The input the call runs with when approved (the reviewer's edit when there was one). */
  input: ToolArgs;
}

type Part = { type: string; toolCallId?: string; approvalId?: string; toolName?: string; input?: unknown; inputSchemaInput?: unknown };

/**
 * The tool with `needsApproval` answered by hitlgate: calls the policy allows run at once;
 * held, handed-off and blocked calls come back as approval requests for `resolveApprovals`.
 */
export function hitlgateTool<T extends Tool<any, any>>(client: Hitlgate, name: string, definition: T, options: AiSdkGateOptions): T {
  checkClient('hitlgateTool', client);
  checkGateOptions('hitlgateTool', options);
  if (typeof name !== 'string' || name === '') throw new HitlgateInputError('hitlgateTool(client, name, tool, options): the tool name is required (its key in `tools`)');
  if (typeof options.interactionId !== 'string' && typeof options.interactionId !== 'function') {
    throw new HitlgateInputError('hitlgateTool: options.interactionId must be a string or a function');
  }
  const gated = {
    ...definition,
    needsApproval: async (input: ToolArgs, ctx: { toolCallId: string; messages: ModelMessage[]; experimental_context?: unknown }) => {
      if (hasApprovalRequest(ctx.messages, ctx.toolCallId)) return true;
      const event = toolCallEvent(options, name, input, interactionIdOf(options, ctx.experimental_context), ctx.toolCallId);
      const decision = await client.submit(event);
      return decision.decision !== 'allow' && decision.decision !== 'allow_monitored';
    },
  } as T;
  gates.set(gated, { client, name, options });
  return gated;
}

/**
 * Waits for hitlgate's verdicts on the open approval requests of gated tools in `messages`
 * (the conversation so far, the response's messages last) and returns the messages to
 * send next. Approval requests of tools hitlgate does not gate are left untouched.
 */
export async function resolveApprovals(
  tools: ToolSet,
  messages: ModelMessage[],
  options: WaitOptions & { experimental_context?: unknown } = {},
): Promise<{ messages: ModelMessage[]; outcomes: ApprovalOutcome[] }> {
  if (!tools || typeof tools !== 'object' || !Array.isArray(messages)) {
    throw new HitlgateInputError('resolveApprovals(tools, messages): pass the tools and the conversation (e.g. [...history, ...result.response.messages])');
  }
  const answered = new Set<string>();
  const calls = new Map<string, Part>();
  const requests: Part[] = [];
  for (const m of messages) {
    if (typeof m.content === 'string') continue;
    for (const p of m.content as Part[]) {
      if (p.type === 'tool-call' && p.toolCallId) calls.set(p.toolCallId, p);
      if (p.type === 'tool-approval-request') requests.push(p);
      if (p.type === 'tool-approval-response' && p.approvalId) answered.add(p.approvalId);
    }
  }
  const open = requests.flatMap((r) => {
    const call = r.toolCallId ? calls.get(r.toolCallId) : undefined;
    const gate = call?.toolName ? gates.get(tools[call.toolName] as object) : undefined;
    if (!call || !gate || answered.has(r.approvalId!)) return [];
    return [{ approvalId: r.approvalId!, toolCallId: call.toolCallId!, gate, input: call.input as ToolArgs }];
  });

  const outcomes: ApprovalOutcome[] = await Promise.all(open.map(async (o) => {
    const { client, name, options: gateOptions } = o.gate;
    const interactionId = interactionIdOf(gateOptions, options.experimental_context);
    const settled = await settleToolCall(client, gateOptions, name, o.input, interactionId, o.toolCallId, options);
    return { approvalId: o.approvalId, toolCallId: o.toolCallId, tool: name, input: settled.args, ...settled };
  }));
  if (outcomes.length === 0) return { messages, outcomes };

  const edited = new Map(outcomes.filter((o) => o.approved).map((o) => [o.toolCallId, o.input]));
  const next = messages.map((m) => {
    if (typeof m.content === 'string' || !(m.content as Part[]).some((p) => p.toolCallId && edited.has(p.toolCallId))) return m;
    const content = (m.content as Part[]).map((p) => {
      if (!p.toolCallId || !edited.has(p.toolCallId)) return p;
      if (p.type === 'tool-call') return { ...p, input: edited.get(p.toolCallId) };
      if (p.type === 'tool-approval-request' && 'inputSchemaInput' in p) return { ...p, inputSchemaInput: edited.get(p.toolCallId) };
      return p;
    });
    return { ...m, content } as ModelMessage;
  });
  next.push({
    role: 'tool',
    content: outcomes.map((o) => ({
      type: 'tool-approval-response' as const,
      approvalId: o.approvalId,
      approved: o.approved,
      ...(o.approved ? {} : { reason: o.refusal }),
    })),
  } as ModelMessage);
  return { messages: next, outcomes };
}

function interactionIdOf(options: AiSdkGateOptions<any>, experimentalContext: unknown): string {
  const id = typeof options.interactionId === 'function' ? options.interactionId(experimentalContext) : options.interactionId;
  if (typeof id !== 'string' || id === '') throw new HitlgateInputError('hitlgate tool: interactionId gave no conversation id');
  return id;
}

function hasApprovalRequest(messages: ModelMessage[] | undefined, toolCallId: string): boolean {
  return (messages ?? []).some((m) => typeof m.content !== 'string' &&
    (m.content as Part[]).some((p) => p.type === 'tool-approval-request' && p.toolCallId === toolCallId));
}
