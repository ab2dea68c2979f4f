// OpenAI Agents JS: `needsApproval` answered by hitlgate's decision, and a
// helper that waits for the verdicts of a paused run's interruptions and
// approves or rejects them. While it waits the run exists only as the string
// RunState.toString() made (hand it to `onSuspend` to keep it somewhere
// durable); it is restored with RunState.fromString once the verdicts are in.
// A reviewer's edit is written into the serialized run's tool call before the
// restore, so the tool runs with the edited arguments and the model's history
// shows the call that really ran.
import { RunState, run, tool, type Agent, type RunContext, type RunResult, type RunToolApprovalItem } from '@openai/agents';
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

export interface AgentsGateOptions<Args extends ToolArgs = ToolArgs> extends ToolGateOptions<Args> {
  /** The conversation id, from the run's context (e.g. `ctx => ctx.context.conversationId`). */
  interactionId: (runContext: RunContext<any>) => string;
}

type ToolOptions = Parameters<typeof tool>[0];
type GatedTool = ReturnType<typeof tool>;

const gates = new WeakMap<object, { client: Hitlgate; options: AgentsGateOptions<any> }>();

/** What happened to one interrupted call: approved ones run with `args`, the others do not. */
export interface ApprovalOutcome extends SettledCall {
  callId: string;
  tool: string;
  result: 'approved' | 'rejected';
}

/**
 * `tool({...})` with `needsApproval` answered by hitlgate: a call the policy allows runs
 * at once; a held, handed-off or blocked one interrupts the run for `waitForApprovals`.
 */
export function hitlgateTool(client: Hitlgate, toolOptions: ToolOptions, options: AgentsGateOptions): GatedTool {
  checkClient('hitlgateTool', client);
  checkGateOptions('hitlgateTool', options);
  if (typeof options.interactionId !== 'function') {
    throw new HitlgateInputError('hitlgateTool: options.interactionId must be a function of the run context');
  }
  const name = toolOptions?.name;
  if (typeof name !== 'string' || name === '') throw new HitlgateInputError('hitlgateTool: the tool needs a name');
  const gated = tool({
    ...toolOptions,
    needsApproval: async (runContext: RunContext<any>, input: unknown, callId?: string) => {
      if (!callId) throw new HitlgateInputError(`gated tool ${name}: no call id`);
      const event = toolCallEvent(options, name, input as ToolArgs, options.interactionId(runContext), callId);
      const decision = await client.submit(event);
      return decision.decision !== 'allow' && decision.decision !== 'allow_monitored';
    },
  } as ToolOptions);
  gates.set(gated, { client, options });
  return gated;
}

export interface WaitForApprovalsOptions extends WaitOptions {
  /** Called with the serialized run before waiting: store it to survive a restart. */
  onSuspend?: (serializedRunState: string) => void | Promise<void>;
}

/**
 * Waits for hitlgate's verdicts on the gated interruptions of a paused run and returns the
 * restored RunState with each approved (edited arguments applied, receipt verified) or
 * rejected (with the reviewer's message for the model). Interruptions of tools that
 * hitlgate does not gate are left for the caller. Run the agent again with `state`.
 */
export async function waitForApprovals(
  agent: Agent<any, any>,
  state: RunState<any, any>,
  options: WaitForApprovalsOptions = {},
): Promise<{ state: RunState<any, any>; outcomes: ApprovalOutcome[] }> {
  if (!agent || !state || typeof state.getInterruptions !== 'function') {
    throw new HitlgateInputError('waitForApprovals(agent, result.state): pass the agent and the paused run state');
  }
  const gated = state.getInterruptions().flatMap((item) => {
    const gate = gateOf(item);
    if (!gate || item.rawItem.type !== 'function_call') return [];
    return [{ item, gate, callId: item.rawItem.callId, tool: item.rawItem.name, args: JSON.parse(item.rawItem.arguments || '{}') as ToolArgs }];
  });
  const serialized = state.toString();
  await options.onSuspend?.(serialized);

  const outcomes: ApprovalOutcome[] = await Promise.all(gated.map(async (g) => {
    const settled = await settleToolCall(g.gate.client, g.gate.options, g.tool, g.args, g.gate.options.interactionId(state._context), g.callId, options);
    return { callId: g.callId, tool: g.tool, result: settled.approved ? 'approved' as const : 'rejected' as const, ...settled };
  }));

  const edits = new Map(outcomes.filter((o, i) => o.approved && o.args !== gated[i].args).map((o) => [o.callId, o.args]));
  const restored = await RunState.fromString(agent, edits.size ? withEditedArguments(serialized, edits) : serialized);
  for (const item of restored.getInterruptions()) {
    if (item.rawItem.type !== 'function_call') continue;
    const outcome = outcomes.find((o) => o.callId === (item.rawItem as { callId: string }).callId);
    if (!outcome) continue;
    if (outcome.approved) restored.approve(item);
    else restored.reject(item, { message: outcome.refusal });
  }
  return { state: restored, outcomes };
}

/**
 * Runs the agent and, each time it pauses on gated calls, waits for hitlgate's verdicts and
 * runs it again, until it finishes (or pauses on a call hitlgate does not gate).
 */
export async function runWithHitlgate(
  agent: Agent<any, any>,
  input: Parameters<typeof run>[1],
  options: WaitForApprovalsOptions & { runOptions?: Record<string, unknown> } = {},
): Promise<{ result: RunResult<any, Agent<any, any>>; outcomes: ApprovalOutcome[] }> {
  const outcomes: ApprovalOutcome[] = [];
  let result: RunResult<any, Agent<any, any>> = await run(agent, input, options.runOptions as never);
  while (result.interruptions?.length) {
    const resolved = await waitForApprovals(agent, result.state, options);
    if (resolved.outcomes.length === 0) break;
    outcomes.push(...resolved.outcomes);
    result = await run(agent, resolved.state, options.runOptions as never);
  }
  return { result, outcomes };
}

function gateOf(item: RunToolApprovalItem) {
  const name = item.name;
  const owner = item.agent?.tools?.find((t: { name?: string }) => t.name === name);
  return owner ? gates.get(owner) : undefined;
}

// Rewrites `arguments` of every function_call with an edited call id, wherever the
// serialized run keeps a copy (model output, generated items, pending interruptions).
function withEditedArguments(serialized: string, edits: Map<string, ToolArgs>): string {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.type === 'function_call' && typeof o.callId === 'string' && edits.has(o.callId)) {
      o.arguments = JSON.stringify(edits.get(o.callId));
    }
    Object.values(o).forEach(visit);
  };
  const tree = JSON.parse(serialized);
  visit(tree);
  return JSON.stringify(tree);
}
