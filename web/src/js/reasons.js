// Plain words for the rules that fired and for the gateway's signals.
const DECISIONS = {
  allow: 'Allowed',
  allow_monitored: 'Allowed, monitored',
  hold: 'Held for review',
  handoff: 'Handed off to a person',
  block: 'Blocked',
};
export const decisionLabel = (d) => DECISIONS[d] || d || '—';

const money = (s) => s.replace(/(\d+(?:\.\d+)?) ([A-Z]{3})/g, '$1 $2');

/** One reason {trigger, rule, detail, decision, floor?} as a sentence. */
export function reasonSentence(r, event) {
  const act = event?.action?.name ? String(event.action.name).replace(/_/g, ' ') : 'Amount';
  const Act = act.charAt(0).toUpperCase() + act.slice(1);
  const d = String(r.detail || '');
  let m;
  let text;
  switch (r.trigger) {
    case 'action_value_above':
      if ((m = d.match(/^(.+?) > (.+)$/))) text = `${Act} of ${money(m[1])} is above the ${money(m[2])} limit`;
      else if ((m = d.match(/no limit configured for currency (\w+)/))) text = `No limit is configured for ${m[1]}, so the amount cannot be checked`;
      break;
    case 'confidence_below':
      if ((m = d.match(/confidence ([\d.]+) < ([\d.]+)(?: for intent (\S+))?/))) {
        text = `The AI's confidence ${m[1]} is below the required ${m[2]}${m[3] ? ` for “${m[3]}”` : ''}`;
      } else if (/no confidence/.test(d)) text = 'The AI reported no confidence for this proposal';
      break;
    case 'sentiment_below':
      if ((m = d.match(/sentiment (-?[\d.]+) < (-?[\d.]+)/))) text = `The customer's sentiment ${m[1]} is below ${m[2]} (negative)`;
      break;
    case 'sentiment_falling':
      if ((m = d.match(/fell by ([\d.]+) \(>= ([\d.]+)\)/))) text = `The customer's sentiment fell by ${m[1]} (limit ${m[2]})`;
      break;
    case 'frustration': text = 'The customer shows frustration'; break;
    case 'message_rate_above':
      if ((m = d.match(/(\d+) messages in (\d+) s \(> (\d+)\)/))) text = `The customer sent ${m[1]} messages in ${m[2]} seconds (more than ${m[3]})`;
      break;
    case 'repeat_contact':
      if ((m = d.match(/(\d+) contacts in (\d+) days/))) text = `This is the customer's ${ordinal(+m[1])} contact in ${m[2]} days`;
      break;
    case 'human_request': text = 'The customer asked for a person'; break;
    case 'legal_threat': text = 'The conversation contains legal-threat language'; break;
    case 'sensitive_topic':
      if ((m = d.match(/topic (\S+)/))) text = `A sensitive topic was raised: ${m[1].replace(/_/g, ' ')}`;
      break;
    case 'action':
      if ((m = d.match(/action (\S+)/))) text = `The AI proposes the action “${m[1]}”, which needs review`;
      break;
    case 'intent':
      if ((m = d.match(/intent (\S+)/))) text = `The conversation's intent “${m[1]}” needs review`;
      break;
    case 'condition': text = `Condition ${d.replace(/^if /, '')} holds`; break;
    case 'oversight_default': text = d ? d.charAt(0).toUpperCase() + d.slice(1) : 'Default oversight'; break;
    case 'workflow_paused': text = `A supervisor paused the workflow: ${d.replace(/^workflow \S+ is paused:? ?/, '') || 'no reason given'}`; break;
    case 'hold_next': text = d ? d.charAt(0).toUpperCase() + d.slice(1) : 'A supervisor asked to review this turn'; break;
    case 'taken_over': text = d ? d.charAt(0).toUpperCase() + d.slice(1) : 'A person has taken this conversation over'; break;
    default: break;
  }
  if (!text) text = d ? d.charAt(0).toUpperCase() + d.slice(1) : String(r.trigger || 'rule').replace(/_/g, ' ');
  return `${text} (rule ${r.rule || r.trigger})`;
}

function ordinal(n) {
  const s = ['th', 'st', 'nd', 'rd'], v = n % 100;
  return n + (s[(v - 20) % 10] || s[v] || s[0]);
}

/** The gateway's own signals, each as [label, value text, level]. level: ok|warn|bad. */
export function signalRows(sig = {}) {
  const rows = [];
  if (sig.sentiment !== undefined) {
    const s = Number(sig.sentiment);
    rows.push(['Sentiment', `${s.toFixed(2)} (${s <= -0.5 ? 'very negative' : s < -0.05 ? 'negative' : s > 0.05 ? 'positive' : 'neutral'})`, s <= -0.5 ? 'bad' : s < -0.05 ? 'warn' : 'ok']);
  }
  if (sig.sentiment_trend !== undefined) {
    const t = Number(sig.sentiment_trend);
    rows.push(['Trend', t === 0 ? 'steady' : `${t > 0 ? 'rising' : 'falling'} by ${Math.abs(t).toFixed(2)}`, t <= -0.3 ? 'bad' : t < 0 ? 'warn' : 'ok']);
  }
  if (sig.frustration !== undefined) rows.push(['Frustration', sig.frustration ? 'yes' : 'no', sig.frustration ? 'bad' : 'ok']);
  if (sig.human_request !== undefined) rows.push(['Asked for a person', sig.human_request ? 'yes' : 'no', sig.human_request ? 'bad' : 'ok']);
  if (sig.legal_threat !== undefined) rows.push(['Legal threat', sig.legal_threat ? 'yes' : 'no', sig.legal_threat ? 'bad' : 'ok']);
  if (sig.topics) rows.push(['Sensitive topics', sig.topics.length ? sig.topics.join(', ') : 'none', sig.topics.length ? 'warn' : 'ok']);
  if (sig.repeat_contacts !== undefined) rows.push(['Contacts (window)', String(sig.repeat_contacts), sig.repeat_contacts > 2 ? 'warn' : 'ok']);
  if (sig.messages_per_minute !== undefined) rows.push(['Messages / min', String(sig.messages_per_minute), sig.messages_per_minute > 5 ? 'warn' : 'ok']);
  if (sig.calibrated_confidence !== undefined) rows.push(['Calibrated confidence', `${(Number(sig.calibrated_confidence) * 100).toFixed(0)}%`, sig.calibrated_confidence < 0.5 ? 'warn' : 'ok']);
  // The triage classifier's reading of a message that came without an intent.
  if (sig.triage_confidence !== undefined) {
    rows.push(sig.out_of_scope
      ? ['Out of scope', `yes: fits no known intent${sig.triage_intent ? ` (closest ${sig.triage_intent})` : ''}`, 'bad']
      : ['Triage intent', `${sig.triage_intent} (${(Number(sig.triage_confidence) * 100).toFixed(0)}%)`, 'ok']);
  }
  return rows;
}

export const KIND_LABELS = {
  hold: 'Held proposal',
  handoff: 'Handoff',
  contest: 'Contested decision',
  autonomy_change: 'Autonomy change',
  audit_sample: 'Audit sample',
};
export const kindLabel = (k) => KIND_LABELS[k] || k;

export const VERDICT_LABELS = {
  approved: 'Approved',
  edited: 'Approved with edits',
  rejected: 'Rejected',
  taken_over: 'Taken over',
};
