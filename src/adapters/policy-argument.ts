// The policy argument every adapter takes (DESIGN.md, "Adapters"): an init object, compiled here
// once, or a compiled policy. Its own module, so that an adapter for compiled policies only
// (corset-cors/edge) reaches neither the compiler nor the validator behind it.
import { compilePolicy } from '../compile/compile-policy.js';
import { describeType } from '../arguments.js';
import type { CorsPolicy, CorsPolicyInit } from '../types.js';

/** A policy argument: an init object to compile, or a policy `compilePolicy` already returned. */
export type PolicyArgument = CorsPolicyInit | CorsPolicy;

/**
 * The compiled policy for a policy argument. A `CorsPolicy` is recognised by its `decide` method
 * and used as is; anything else object-shaped is compiled (throwing `PolicyError` when invalid).
 */
export function resolvePolicy(policy: unknown, fn: string): CorsPolicy {
  if (policy === null || typeof policy !== 'object' || Array.isArray(policy)) {
    throw new TypeError(
      `corset: ${fn}(policy): policy must be a CorsPolicyInit object or a compiled CorsPolicy, got ${describeType(policy)}`,
    );
  }
  if (typeof (policy as { decide?: unknown }).decide === 'function') return policy as CorsPolicy;
  return compilePolicy(policy as CorsPolicyInit);
}
