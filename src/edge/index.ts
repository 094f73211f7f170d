/**
 * A policy exported ahead of time (`exportPolicy`) and loaded without the validator, the pattern parser, re2js or the Public Suffix List: small Worker bundles.
 * @module corset-cors/edge
 */
// corset-cors/edge: a policy compiled ahead of time, served from a Worker (or any Fetch runtime)
// without the policy validator, the pattern parser, re2js or the Public Suffix List:
//
//   import { loadPolicy, withCors } from 'corset-cors/edge';
//   import data from './cors-policy.json';   // `corset compile policy.json --format policy`
//   export default { fetch: withCors(loadPolicy(data), (request) => new Response('hi')) };
//
// `withCors` here is corset-cors/fetch's, for a compiled policy only (what loadPolicy or
// compilePolicy returns): a CorsPolicyInit needs the validator, which this entry leaves out.
import type { CorsPolicy } from '../types.js';
import { requireCompiledPolicy } from '../adapters/compiled-policy.js';
import { withCompiledCors, type FetchCorsOptions, type FetchHandler } from '../adapters/fetch-handler.js';

export { loadPolicy, type LoadPolicyOptions } from './load-policy.js';
export type { ExportedPolicy, ExportedPolicyBody, ExportedPolicyRule } from '../policy/policy-data.js';
export { POLICY_FORMAT, POLICY_FORMAT_VERSION } from '../policy/policy-data.js';
export type { CorsDecision, CorsPolicy, CorsRequest } from '../types.js';
export type { FetchCorsOptions, FetchHandler } from '../adapters/fetch-handler.js';

/**
 * `handler` behind a compiled policy (from `loadPolicy`, or `compilePolicy`). Throws a TypeError at
 * setup for anything else: a CorsPolicyInit must be compiled (by `corset compile`, then
 * `loadPolicy`; or with corset-cors/fetch, which carries the validator).
 */
export function withCors<A extends unknown[] = []>(
  policy: CorsPolicy,
  handler: FetchHandler<A>,
  options?: FetchCorsOptions,
): (request: Request, ...args: A) => Promise<Response> {
  return withCompiledCors(requireCompiledPolicy(policy, 'withCors(policy) from corset-cors/edge', 'corset-cors/fetch'), handler, options);
}
