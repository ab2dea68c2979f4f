// The wire types come from docs/openapi.yaml (src/generated/openapi.ts, made by
// `npm run generate`); this file only names them and defines the client's own
// outcome type.
import type { components } from './generated/openapi.js';

type Schemas = components['schemas'];

/** One conversation step sent to `POST /v1/events` (with `deadline_ms`: how long the agent can wait). */
export type HitlgateEvent = Schemas['event.schema'];

/** An AI proposal's action: `{ name, amount?, currency?, params? }`. */
export type Action = NonNullable<Schemas['event.schema']['action']>;

export type DecisionKind = Schemas['decision.schema']['decision'];

/**
 * The answer of `POST /v1/events`. A hold of an event with `deadline_ms` carries
 * `deadline_at`, `on_deadline` and, when the policy has one, `wait_message`.
 */
export type Decision = Schemas['SubmittedDecision'];

/** What the gateway does when an event's deadline passes with its task still pending. */
export type DeadlineFallback = NonNullable<Schemas['decision.schema']['on_deadline']>;

export type Receipt = Schemas['Receipt'];
export type ReceiptKeys = Schemas['ReceiptKeys'];
export type ReceiptKey = ReceiptKeys['keys'][number];
export type ReviewVerdict = Schemas['Verdict'];

/** `GET /v1/tasks/{id}` and the `task.answered` webhook body. */
export type AgentTaskView = Schemas['AgentTaskView'];

/** `final` of a task: what the agent should deliver now. */
export type TaskFinal = NonNullable<AgentTaskView['final']>;

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
      /**
       * A reviewer changed the action but not the text, so `text` still names what the AI
       * proposed (the old amount, say): write the reply for `action` again instead of sending it.
       */
      textOutdated: boolean;
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
      /**
       * The gateway settled the task at the event's deadline_ms. With `fallback: 'handoff'` a
       * person now has the conversation; `waitForVerdict(taskId, { throughHandoff: true })`
       * waits for their answer.
       */
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
