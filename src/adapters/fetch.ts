// corset-cors/fetch: wrap a Fetch-API handler `(request: Request) => Response | Promise<Response>`, for
// Cloudflare Workers, Deno, Bun, and any runtime that serves `Request`s.
//
//   export default { fetch: withCors(policy, (request) => new Response('hi')) };
//   Deno.serve(withCors(policy, handler));
//
// A preflight is answered without calling the handler (under `preflight: 'continue'`, the handler
// answers it and gets the decision's headers on its response). Any other request calls it and gets the
// decision's headers on the response it returns (`Vary` merged). A handler that throws (or
// rejects) is not turned into a response here: the error goes to the runtime, as without corset.
import type { CorsDecision } from '../types.js';
import { REJECTED_STATUS, asyncDecider, newCorsRequest, resolveOptions, resolvePolicy } from './options.js';
import type { CorsAdapterOptions, PolicyArgument } from './options.js';
import { decideFetchRequest, emptyResponse, withDecisionHeaders } from './fetch-request.js';

export type { CorsAdapterOptions, PolicyArgument } from './options.js';

/** Options of `withCors`; `onDecision` receives the `Request`. */
export type FetchCorsOptions = CorsAdapterOptions<Request>;

/** A Fetch-API handler. Extra arguments (a Worker's `env` and `ctx`) are passed through. */
export type FetchHandler<A extends unknown[] = []> = (request: Request, ...args: A) => Response | Promise<Response>;

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
  const compiled = resolvePolicy(policy, 'withCors');
  if (typeof handler !== 'function') {
    throw new TypeError(`corset: withCors(handler): handler must be a function, got ${handler === null ? 'null' : typeof handler}`);
  }
  const opts = resolveOptions<Request>(options, 'withCors');
  const scratch = newCorsRequest();
  const live = asyncDecider(compiled); // a live policy with a resolver; null: the synchronous path

  return async function corsetFetch(request: Request, ...args: A): Promise<Response> {
    const decision: CorsDecision =
      live === null ? decideFetchRequest(compiled, opts, scratch, request) : await decideFetchRequest(live, opts, scratch, request);
    if (opts.onDecision !== null) opts.onDecision(decision, request);
    if (decision.kind === 'preflight' && opts.answerPreflight) {
      return emptyResponse(decision.status ?? (decision.allowed ? 204 : REJECTED_STATUS), decision.headers);
    }
    if (opts.rejectDenied && decision.kind === 'actual' && !decision.allowed) {
      return emptyResponse(REJECTED_STATUS, decision.headers);
    }
    const res = await handler(request, ...args);
    return withDecisionHeaders(res, decision.headers);
  };
}
