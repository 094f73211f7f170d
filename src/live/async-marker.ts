// How an adapter tells a live policy with a resolver from any other policy: a property under a
// registered symbol (Symbol.for, so two copies of corset in one process still agree). Kept apart
// from live-policy.ts so that the adapters' bundles do not carry the live policy itself.
import type { CorsDecision, CorsPolicy, CorsRequest } from '../types.js';

export const NEEDS_ASYNC_DECIDE: unique symbol = Symbol.for('corset.live.decideAsync') as never;

/** A policy whose decisions may need its resolver: adapters call `decideAsync`. */
export interface AsyncDecidingPolicy extends CorsPolicy {
  decideAsync(req: CorsRequest): CorsDecision | Promise<CorsDecision>;
}

export function needsAsyncDecide(policy: CorsPolicy): policy is AsyncDecidingPolicy {
  return (policy as { [NEEDS_ASYNC_DECIDE]?: unknown })[NEEDS_ASYNC_DECIDE] === true;
}
