/**
 * `withCors(policy, handler, options)`: CORS around a Fetch-API handler, for Cloudflare Workers, Deno, Bun and any runtime that serves `Request`s.
 * @module corset-cors/fetch
 */
// corset-cors/fetch: wrap a Fetch-API handler `(request: Request) => Response | Promise<Response>`, for
// Cloudflare Workers, Deno, Bun, and any runtime that serves `Request`s.
//
//   export default { fetch: withCors(policy, (request) => new Response('hi')) };
//   Deno.serve(withCors(policy, handler));
//
// A preflight is answered without calling the handler. Any other request calls it and gets the
// decision's headers on the response it returns (`Vary` merged). A handler that throws (or
// rejects) is not turned into a response here: the error goes to the runtime, as without corset.
import { resolvePolicy } from './policy-argument.js';
import type { PolicyArgument } from './options.js';
import { withCompiledCors, type FetchCorsOptions, type FetchHandler } from './fetch-handler.js';

export type { CorsAdapterOptions, PolicyArgument } from './options.js';
export { withCompiledCors, type FetchCorsOptions, type FetchHandler } from './fetch-handler.js';

/**
 * `handler` behind a policy (a `CorsPolicyInit`, compiled here once, or a compiled `CorsPolicy`).
 * Throws at setup, never per request: `PolicyError` for an invalid policy, `TypeError` for a wrong
 * argument type.
 */
export function withCors<A extends unknown[] = []>(
  policy: PolicyArgument,
  handler: FetchHandler<A>,
  options?: FetchCorsOptions,
): (request: Request, ...args: A) => Promise<Response> {
  return withCompiledCors(resolvePolicy(policy, 'withCors'), handler, options);
}
