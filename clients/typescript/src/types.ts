// The wire types come from docs/openapi.yaml (src/generated/openapi.ts, made by
// `npm run generate`); this file only names them and adds the fields of the
// voice/chat deadline contract that the generated file may not have yet.
import type { components } from './generated/openapi.js';

type Schemas = components['schemas'];

/** What the gateway does when an event's deadline passes with its task still pending. */
export type DeadlineFallback = 'fail_closed' | 'fail_open' | 'handoff';

/** One conversation step sent to `POST /v1/events`. */
export type HitlgateEvent = Schemas['event.schema'] & {
  /** How long the agent can wait for a verdict (1..3,600,000 ms). */
  deadline_ms?: number;
};

/** An AI proposal's action: `{ name, amount?, currency?, params? }`. */
export type Action = NonNullable<Schemas['event.schema']['action']>;

export type DecisionKind = Schemas['decision.schema']['decision'];

/** The answer of `POST /v1/events`. */
export type Decision = Schemas['SubmittedDecision'] & {
  deadline_at?: string;
  on_deadline?: DeadlineFallback;
  /** A line the agent can say while a person decides. */
  wait_message?: string;
};

export type Receipt = Schemas['Receipt'];
export type ReceiptKeys = Schemas['ReceiptKeys'];
export type ReceiptKey = ReceiptKeys['keys'][number];
export type ReviewVerdict = Schemas['Verdict'];

type GeneratedFinal = NonNullable<Schemas['AgentTaskView']['final']>;

/** `final` of a task: what the agent should deliver now. */
export type TaskFinal = GeneratedFinal & {
  action?: Record<string, unknown>;
  /** Set when the gateway settled the task at its deadline. */
  fallback?: DeadlineFallback;
};

/** `GET /v1/tasks/{id}` and the `task.answered` webhook body. */
export type AgentTaskView = Omit<Schemas['AgentTaskView'], 'status' | 'final'> & {
  status: Schemas['AgentTaskView']['status'] | 'expired';
  final?: TaskFinal;
};

/** The final outcome of a held proposal, as `waitForVerdict` returns it. */
export type Verdict =
  | {
      kind: 'deliver';
      taskId: string;
      /** The action to run: the reviewer's edit when there is one. */
      action?: Action;
      /** The reply to send: the reviewer's edit when there is one. */
      text?: string;
      /** A reviewer changed the action or the text. */
      edited: boolean;
      receipt?: Receipt;
      task: AgentTaskView;
    }
  | {
      kind: 'do_not_deliver';
      taskId: string;
      /** What to tell the customer instead, when the reviewer wrote it. */
      customerMessage?: string;
      /** `rejected`, `taken_over` (a person took the conversation) or `cancelled`. */
      reason: 'rejected' | 'taken_over' | 'cancelled';
      /** The reviewer's own reason, for the agent's logs (not for the customer). */
      reviewerReason?: string;
      task: AgentTaskView;
    }
  | {
      /** The gateway settled the task at the event's deadline_ms. */
      kind: 'expired';
      taskId: string;
      /** fail_open delivers the original proposal (without a receipt: nobody approved it). */
      deliver: boolean;
      fallback: DeadlineFallback;
      customerMessage?: string;
      action?: Action;
      text?: string;
      task: AgentTaskView;
    }
  | {
      /** The client's own wait ended first; the task may still be answered later. */
      kind: 'timed_out';
      taskId: string;
      holdingMessage?: { text?: string; expected_wait_seconds?: number };
    };
