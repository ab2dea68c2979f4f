export { Hitlgate } from './client.js';
export type { HitlgateOptions, WaitOptions, GateOptions, Proposal, Approved } from './client.js';
export {
  HitlgateError,
  HitlgateInputError,
  HitlgateHttpError,
  HitlgateAlreadyExists,
  HitlgateUnavailable,
  HitlgateReceiptError,
  HitlgateWebhookError,
  HitlgateRejected,
  HitlgateBlocked,
  HitlgateTimeout,
  HitlgateHandedOff,
  HitlgateProtocolError,
} from './errors.js';
export { verifyWebhook } from './webhook.js';
export type { WebhookHeaders, WebhookDelivery, VerifyWebhookOptions } from './webhook.js';
export { verifyReceipt, actionDigest } from './receipts.js';
export { canonicalJson } from './canonical-json.js';
export { verdictFromTask } from './verdict.js';
export type { RetryOptions } from './retry.js';
export type * from './types.js';
export type { components, paths, operations } from './generated/openapi.js';
