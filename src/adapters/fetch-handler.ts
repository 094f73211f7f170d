// The Fetch adapter's handler for a compiled policy: what corset-cors/fetch's withCors runs after
// compiling its policy argument (./fetch.ts), and corset-cors/edge's withCors for a loaded one.
// It imports no policy compiler, so an edge bundle that uses only this carries no validator.
//
// A preflight is answered without calling the handler (under `preflight: 'continue'`, the handler
// answers it and gets the decision's headers on its response). Any other request calls it and gets the
// decision's headers on the response it returns (`Vary` merged). A handler that throws (or
// rejects) is not turned into a response here: the error goes to the runtime, as without corset.
import type { CorsDecision, CorsPolicy } from '../types.js';
import { REJECTED_STATUS, asyncDecider, newCorsRequest, resolveOptions } from './options.js';
import type { CorsAdapterOptions } from './options.js';
import { decideFetchRequest, emptyResponse, withDecisionHeaders } from './fetch-request.js';

/** Options of `withCors`; `onDecision` receives the `Request`. */
export type FetchCorsOptions = CorsAdapterOptions<Request>;

/** A Fetch-API handler. Extra arguments (a Worker's `env` and `ctx`) are passed through. */
export type FetchHandler<A extends unknown[] = []> = (request: Request, ...args: A) => Response | Promise<Response>;

/**
 * `withCors` for a policy already compiled (by `compilePolicy`, or `loadPolicy` from a policy
 * compiled ahead of time): without the policy compiler, so a bundle that uses only this carries no
 * validator. `corset-cors/edge` exports it as its `withCors`.
 */
export function withCompiledCors<A extends unknown[] = []>(
  compiled: CorsPolicy,
  handler: FetchHandler<A>,
  options?: FetchCorsOptions,
): (request: Request, ...args: A) => Promise<Response> {
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
