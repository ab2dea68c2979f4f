// LangGraph.js: a tool wrapper whose held calls become interrupt()s carrying
// the hitlgate task, and helpers that resume them with Command({ resume })
// keyed by interrupt id, from a polled verdict or a webhook delivery.
//
// When the graph resumes, LangGraph runs the interrupted tool call again from
// the start: the wrapper then submits the same event (its event_id comes from
// the tool call id and the thread), gets the recorded decision, and
// interrupt() returns the resume value instead of pausing. It does not trust
// that value: it reads the task from the gateway and verifies the receipt.
import { Command, END, Send, interrupt } from '@langchain/langgraph';
import { tool, type StructuredToolInterface } from '@langchain/core/tools';
import type { Hitlgate, WaitOptions } from '../client.js';
import { HitlgateError, HitlgateInputError, blockingRules } from '../errors.js';
import type { AgentTaskView, Decision, Verdict } from '../types.js';
import { verdictFromTask } from '../verdict.js';
import {
  checkClient,
  checkGateOptions,
  defaultFromAction,
  mayFailOpen,
  notRunMessage,
  toolCallEvent,
  type ToolArgs,
  type ToolGateOptions,
} from './common.js';

export type { ToolGateOptions } from './common.js';

/** The value a held call's interrupt() carries (under `hitlgate`). */
export interface HitlgateInterruptValue {
  hitlgate: {
    task_id: string;
    tool: string;
    args: ToolArgs;
    decision: 'hold' | 'handoff';
    interaction_id: string;
    /** A line the agent can say while a person decides. */
    wait_message?: string;
    deadline_at?: string;
  };
}

/** One held tool call waiting in a paused graph. */
export interface PendingApproval {
  interruptId: string;
  taskId: string;
  tool: string;
  args: ToolArgs;
  waitMessage?: string;
}

export interface LangGraphGateOptions<Args extends ToolArgs = ToolArgs> extends ToolGateOptions<Args> {
  /** The conversation id; default: the graph's `thread_id`. */
  interactionId?: (config: { configurable?: Record<string, unknown> }) => string;
}

type AnyConfig = { configurable?: Record<string, unknown>; toolCall?: { id?: string }; toolCallId?: string };

/**
 * Wraps a LangChain tool so every call goes through hitlgate first: allowed calls run at
 * once; held calls pause the graph with an interrupt() and run, after the resume, with the
 * reviewer's (maybe edited) arguments once the approval receipt verifies; rejected,
 * blocked or expired calls do not run and tell the model what happened instead.
 */
export function gateTool<T extends StructuredToolInterface>(client: Hitlgate, original: T, options: LangGraphGateOptions): T {
  checkClient('gateTool', client);
  checkGateOptions('gateTool', options);
  if (!original || typeof original.invoke !== 'function' || !original.name) {
    throw new HitlgateInputError('gateTool: the second argument must be a LangChain tool');
  }
  const name = original.name;
  const gated = tool(
    async (args: ToolArgs, config: AnyConfig) => {
      const threadId = config?.configurable?.thread_id;
      const interactionId = options.interactionId ? options.interactionId(config) : threadId;
      if (typeof interactionId !== 'string' || interactionId === '') {
        throw new HitlgateInputError(`gated tool ${name}: no interaction id (run the graph with configurable.thread_id, or pass options.interactionId)`);
      }
      const callId = config?.toolCall?.id ?? config?.toolCallId;
      if (!callId) throw new HitlgateInputError(`gated tool ${name}: called without a tool call id (call it through a ToolNode)`);
      const callKey = threadId === undefined || threadId === interactionId ? callId : `${threadId}/${callId}`;
      const event = toolCallEvent(options, name, args, interactionId, callKey);
      const decision: Decision = await client.submit(event);
      const run = (runArgs: ToolArgs) => original.invoke(runArgs as never, config as never);
      switch (decision.decision) {
        case 'allow':
        case 'allow_monitored':
          return run(args);
        case 'block':
          return notRunMessage({ kind: 'blocked', rules: blockingRules(decision) });
        default:
          break;
      }
      const value: HitlgateInterruptValue = {
        hitlgate: {
          task_id: decision.task_id!,
          tool: name,
          args,
          decision: decision.decision as 'hold' | 'handoff',
          interaction_id: interactionId,
          ...(decision.wait_message ? { wait_message: decision.wait_message } : {}),
          ...(decision.deadline_at ? { deadline_at: decision.deadline_at } : {}),
        },
      };
      const resumed = interrupt(value) as Verdict | AgentTaskView;
      const resumedTask = (resumed as Verdict)?.taskId ?? (resumed as AgentTaskView)?.task_id;
      if (resumedTask !== decision.task_id) {
        throw new HitlgateError(`gated tool ${name}: resumed with a verdict for task ${resumedTask}, not ${decision.task_id}`);
      }
      if ((resumed as Verdict).kind === 'timed_out') return notRunMessage(resumed as Verdict);
      // The gateway, not the resume value, says what may run.
      const verdict = verdictFromTask(await client.getTask(decision.task_id!));
      if (!verdict) return notRunMessage({ kind: 'timed_out', taskId: decision.task_id! });
      if (verdict.kind === 'deliver') {
        if (verdict.action === undefined) return run(args);
        await client.verifyReceipt(verdict.receipt, verdict.action, { taskId: verdict.taskId });
        return run((options.fromAction ?? defaultFromAction)(verdict.action, args));
      }
      if (mayFailOpen(verdict, decision)) return run(args);
      return notRunMessage(verdict);
    },
    { name, description: original.description, schema: original.schema as never },
  );
  return gated as unknown as T;
}

/**
 * A conditional edge after the model node: each tool call of the last AI message goes to
 * `toolsNode` as its own task (Send), so several held calls pause the graph together,
 * each with its own interrupt id, and can be resumed one by one.
 */
export function routeToolCalls(toolsNode = 'tools') {
  return (state: { messages: Array<{ tool_calls?: Array<{ id?: string; name: string; args: unknown }> }> }) => {
    const last = state.messages[state.messages.length - 1];
    const calls = last?.tool_calls ?? [];
    if (calls.length === 0) return END;
    return calls.map((call) => new Send(toolsNode, { ...state, lg_tool_call: { ...call, type: 'tool_call' } }));
  };
}

/** The held calls in an invoke() result (`__interrupt__`) or in `graph.getState(config)`. */
export function pendingApprovals(resultOrState: unknown): PendingApproval[] {
  const interrupts: Array<{ id?: string; value?: unknown }> = [];
  const r = resultOrState as { __interrupt__?: typeof interrupts; tasks?: Array<{ interrupts?: typeof interrupts }> };
  if (Array.isArray(r?.__interrupt__)) interrupts.push(...r.__interrupt__);
  else for (const t of r?.tasks ?? []) interrupts.push(...(t.interrupts ?? []));
  const out: PendingApproval[] = [];
  for (const i of interrupts) {
    const h = (i.value as HitlgateInterruptValue | undefined)?.hitlgate;
    if (!h || !i.id) continue;
    out.push({ interruptId: i.id, taskId: h.task_id, tool: h.tool, args: h.args, waitMessage: h.wait_message });
  }
  return out;
}

/**
 * Waits for the verdicts of all `pending` calls (in parallel, each until it is settled or
 * the wait ends) and returns the Command that resumes them by interrupt id.
 */
export async function waitForResume(client: Hitlgate, pending: PendingApproval[], options: WaitOptions = {}): Promise<Command> {
  checkClient('waitForResume', client);
  if (!Array.isArray(pending) || pending.length === 0) throw new HitlgateInputError('waitForResume: no pending approvals (use pendingApprovals(result))');
  const verdicts = await Promise.all(pending.map((p) => client.waitForVerdict(p.taskId, options)));
  return resumeCommand(pending.map((p, i) => [p.interruptId, verdicts[i]]));
}

/**
 * The Command that resumes the one pending call whose task a verified webhook delivery
 * answered (`verifyWebhook(...).task`), or undefined when none of `pending` matches.
 */
export function resumeFromWebhook(pending: PendingApproval[], task: AgentTaskView): Command | undefined {
  const match = pending.find((p) => p.taskId === task?.task_id);
  if (!match) return undefined;
  const verdict = verdictFromTask(task);
  if (!verdict) throw new HitlgateInputError(`resumeFromWebhook: task ${task.task_id} is still pending`);
  return resumeCommand([[match.interruptId, verdict]]);
}

function resumeCommand(pairs: Array<[string, Verdict]>): Command {
  return new Command({ resume: Object.fromEntries(pairs) });
}
