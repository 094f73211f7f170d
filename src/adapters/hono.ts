/**
 * `cors(policy, options)`: Hono 4 middleware, on any runtime Hono runs on.
 * @module corset-cors/hono
 */
// corset-cors/hono: Hono middleware.
//
//   app.use(cors(policy, opts));          // or app.use('/api/*', cors(policy, opts))
//
// A preflight is answered here, before routing (no 404 for OPTIONS on a GET-only route); under
// `preflight: 'continue'` it goes on to the routes like any other request. Any other
// request goes on; afterwards the decision's headers are set on `c.res`, whichever layer produced
// it: a route, the not-found handler, or `app.onError` for a handler that threw.
import type { Context, MiddlewareHandler } from 'hono';
import { REJECTED_STATUS, asyncDecider, newCorsRequest, resolveOptions } from './options.js';
import { resolvePolicy } from './policy-argument.js';
import { requireCompiledPolicy } from './compiled-policy.js';
import type { CorsAdapterOptions, PolicyArgument } from './options.js';
import type { CorsPolicy } from '../types.js';
import { decideFetchRequest, emptyResponse, withDecisionHeaders } from './fetch-request.js';

export type { CorsAdapterOptions, PolicyArgument } from './options.js';

/** Options of `cors` from `corset-cors/hono`; `onDecision` receives Hono's `Context`. */
export type HonoCorsOptions = CorsAdapterOptions<Context>;

/**
 * Middleware for a policy (a `CorsPolicyInit`, compiled here once, or a compiled `CorsPolicy`).
 * Throws at setup, never per request: `PolicyError` for an invalid policy, `TypeError` for a wrong
 * argument type.
 */
export function cors(policy: PolicyArgument, options?: HonoCorsOptions): MiddlewareHandler {
  return compiledCors(resolvePolicy(policy, 'cors'), options);
}

/**
 * `cors` for a policy already compiled (`loadPolicy(data)` from corset-cors/edge, or
 * `compilePolicy`): a bundle that imports only this leaves the compiler and the validator out.
 * Throws a TypeError at setup for anything else.
 */
export function compiledCors(policy: CorsPolicy, options?: HonoCorsOptions): MiddlewareHandler {
  const compiled = requireCompiledPolicy(policy, 'compiledCors(policy) from corset-cors/hono', 'cors(policy)');
  const opts = resolveOptions<Context>(options, 'cors');
  const scratch = newCorsRequest();
  const live = asyncDecider(compiled); // a live policy with a resolver; null: the synchronous path

  return async function corsetHono(c, next) {
    const decision = live === null ? decideFetchRequest(compiled, opts, scratch, c.req.raw) : await decideFetchRequest(live, opts, scratch, c.req.raw);
    if (opts.onDecision !== null) opts.onDecision(decision, c);
    if (decision.kind === 'preflight' && opts.answerPreflight) {
      return emptyResponse(decision.status ?? (decision.allowed ? 204 : REJECTED_STATUS), decision.headers);
    }
    if (opts.rejectDenied && decision.kind === 'actual' && !decision.allowed) {
      return emptyResponse(REJECTED_STATUS, decision.headers);
    }
    await next();
    const res = c.res;
    const out = withDecisionHeaders(res, decision.headers);
    if (out !== res) {
      // Hono's `res` setter copies the old response's headers over a new one, which would put the
      // old `Vary` back over the merged one; clearing it first hands over the copy as it is.
      c.res = undefined;
      c.res = out;
    }
    return;
  };
}
