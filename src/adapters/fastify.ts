// corset-cors/fastify: a Fastify plugin.
//
//   await fastify.register(corset, { policy, ...opts });
//
// - `onRequest`: decides once per request (kept as `request.corsDecision`); a preflight is
//   answered there, before routing, so an OPTIONS preflight to a route that only declares GET
//   gets the policy's answer, not a 404, and never reaches authentication hooks registered later.
// - `onSend`: the decision's headers are set on every response Fastify sends, including the ones
//   it produces itself (a schema-validation 400, a 404, an error handler's 500), and `Vary` is
//   merged with what the route or another plugin set.
// The plugin is registered without encapsulation (as `fastify-plugin` would mark it), so its hooks
// apply to the whole instance. Register it before hooks that may answer a request (authentication).
import type { FastifyInstance, FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import type { CorsDecision, CorsPolicy } from '../types.js';
import { REJECTED_STATUS, asyncDecider, mergeVary, headerValueString, newCorsRequest, resolveOptions } from './options.js';
import { resolvePolicy } from './policy-argument.js';
import type { CorsAdapterOptions, PolicyArgument, ResolvedOptions } from './options.js';
import { decideNodeRequest } from './node-request.js';

export type { CorsAdapterOptions, PolicyArgument } from './options.js';

/** Options of the plugin: the policy, and the options every adapter shares. */
export interface FastifyCorsOptions extends CorsAdapterOptions<FastifyRequest> {
  policy: PolicyArgument;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** corset's decision for this request (null until the plugin's `onRequest` hook ran). */
    corsDecision: CorsDecision | null;
  }
}

function corsetFastify(fastify: FastifyInstance, options: FastifyCorsOptions, done: (err?: Error) => void): void {
  let policy: CorsPolicy;
  let opts: ResolvedOptions<FastifyRequest>;
  try {
    if (options === null || typeof options !== 'object') {
      throw new TypeError('corset: fastify.register(corset, options): options must be an object with a policy');
    }
    policy = resolvePolicy(options.policy, 'fastify.register');
    opts = resolveOptions<FastifyRequest>(options, 'fastify.register');
  } catch (err) {
    done(err as Error);
    return;
  }
  const scratch = newCorsRequest();
  const live = asyncDecider(policy); // a live policy with a resolver; null: the synchronous path

  const decided = (request: FastifyRequest, decision: CorsDecision): CorsDecision => {
    request.corsDecision = decision;
    if (opts.onDecision !== null) opts.onDecision(decision, request);
    return decision;
  };
  const decide = (request: FastifyRequest): CorsDecision => decided(request, decideNodeRequest(policy, opts, scratch, request.raw));
  /** A live policy's decision, which may wait for its resolver. */
  const decideLive = (request: FastifyRequest): CorsDecision | Promise<CorsDecision> => {
    const d = decideNodeRequest(live as NonNullable<typeof live>, opts, scratch, request.raw);
    return d instanceof Promise ? d.then((x) => decided(request, x)) : decided(request, d);
  };

  fastify.decorateRequest('corsDecision', null);

  fastify.addHook('onRequest', function corsetOnRequest(request: FastifyRequest, reply: FastifyReply, next: (err?: Error) => void) {
    if (live !== null) {
      const d = decideLive(request);
      if (d instanceof Promise) d.then((x) => onDecided(x, reply, next), next);
      else onDecided(d, reply, next);
      return;
    }
    onDecided(decide(request), reply, next);
  });

  function onDecided(decision: CorsDecision, reply: FastifyReply, next: (err?: Error) => void): void {
    if (decision.kind === 'preflight') {
      // Answered here; onSend below adds the headers. No `next()`: the request ends.
      reply.code(decision.status ?? (decision.allowed ? 204 : REJECTED_STATUS)).send();
      return;
    }
    if (opts.rejectDenied && decision.kind === 'actual' && !decision.allowed) {
      reply.code(REJECTED_STATUS).send();
      return;
    }
    next();
  }

  fastify.addHook('onSend', function corsetOnSend(request: FastifyRequest, reply: FastifyReply, payload: unknown, next: (err: Error | null, payload?: unknown) => void) {
    // A hook registered before this plugin may have answered first: decide now, so that response
    // (a 401 from authentication, say) is still readable by an allowed origin.
    const known = request.corsDecision;
    if ((known === null || known === undefined) && live !== null) {
      const d = decideLive(request);
      if (d instanceof Promise) d.then((x) => sendWith(x, reply, payload, next), next);
      else sendWith(d, reply, payload, next);
      return;
    }
    sendWith(known ?? decide(request), reply, payload, next);
  });

  function sendWith(decision: CorsDecision, reply: FastifyReply, payload: unknown, next: (err: Error | null, payload?: unknown) => void): void {
    const headers = decision.headers;
    for (const name in headers) {
      const value = headers[name] as string;
      if (name === 'vary') {
        const current = headerValueString(reply.getHeader('vary') as string | string[] | number | undefined);
        reply.header('vary', current === undefined ? value : mergeVary(current, value));
      } else {
        reply.header(name, value);
      }
    }
    next(null, payload);
  }

  done();
}

// What `fastify-plugin` sets, without depending on it: no encapsulation, and a name in errors.
const plugin = corsetFastify as FastifyPluginCallback<FastifyCorsOptions> & Record<symbol, unknown>;
plugin[Symbol.for('skip-override')] = true;
plugin[Symbol.for('fastify.display-name')] = 'corset';
plugin[Symbol.for('plugin-meta')] = { name: 'corset', fastify: '>=5' };

export default plugin;
export { plugin as corset };
