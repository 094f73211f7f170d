// The check of the adapters for compiled policies only (corset-cors/edge's withCors, corset-cors/hono's
// compiledCors): the policy argument must be what compilePolicy or loadPolicy returned, refused
// at setup otherwise, never a TypeError on the first request. Its own module, reaching no compiler.
import { describeType } from '../arguments.js';
import type { CorsPolicy } from '../types.js';

/**
 * `policy` as a compiled policy, or a TypeError naming `fn` (e.g. "withCors(policy) from
 * corset-cors/edge") and `forInit`, the function that takes a CorsPolicyInit instead.
 */
export function requireCompiledPolicy(policy: unknown, fn: string, forInit: string): CorsPolicy {
  if (policy === null || typeof policy !== 'object' || typeof (policy as { decide?: unknown }).decide !== 'function') {
    throw new TypeError(
      `corset: ${fn} takes a compiled policy (loadPolicy(data), data from \`corset compile --format policy\`), got ${describeType(policy)}${policy !== null && typeof policy === 'object' ? ` without decide(): a CorsPolicyInit needs ${forInit}, which carries the validator` : ''}`,
    );
  }
  return policy as CorsPolicy;
}
