import type { Action, AgentTaskView, Verdict } from './types.js';

/**
 * The final outcome a task view carries, or undefined while it is still pending.
 * Works on `GET /v1/tasks/{id}` answers and on webhook bodies alike.
 */
export function verdictFromTask(task: AgentTaskView): Exclude<Verdict, { kind: 'timed_out' }> | undefined {
  const final = task.final;
  if (task.status === 'pending' || !final) return undefined;
  const taskId = task.task_id;
  const action = final.action as Action | undefined;
  if (task.status === 'expired') {
    return {
      kind: 'expired',
      taskId,
      // Only fail_open lets anything out; an answer that says otherwise is not trusted.
      deliver: final.deliver && final.fallback === 'fail_open',
      fallback: final.fallback ?? 'fail_closed',
      customerMessage: final.customer_message,
      action,
      text: final.text,
      task,
    };
  }
  if (task.status === 'cancelled') {
    return { kind: 'do_not_deliver', taskId, reason: 'cancelled', customerMessage: final.customer_message, task };
  }
  if (final.deliver) {
    return {
      kind: 'deliver',
      taskId,
      action,
      text: final.text,
      edited: task.verdict?.kind === 'edited',
      textOutdated: final.text_outdated === true,
      receipt: task.receipt,
      task,
    };
  }
  return {
    kind: 'do_not_deliver',
    taskId,
    reason: task.verdict?.kind === 'taken_over' ? 'taken_over' : 'rejected',
    customerMessage: final.customer_message,
    reviewerReason: task.verdict?.reason,
    task,
  };
}
